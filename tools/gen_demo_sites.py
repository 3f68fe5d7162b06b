"""Generate the demo's sample party websites under ``src/tribune/data/demo/sites/``.

Run after editing the content or the templates::

    .venv/bin/python tools/gen_demo_sites.py          # (re)write the sites and the manifest
    .venv/bin/python tools/gen_demo_sites.py --check  # exit 1 if the files on disk differ

The sites are fictional but shaped like real ones: WordPress-, Drupal- and Joomla-like pages, a
hand-made site, a generic news theme; feeds in RSS 2.0, RSS 1.0 (RDF), Atom and JSON Feed 1.1; a
news sitemap under a sitemap index. The replay server (:mod:`tribune.replay`) serves each
directory as a site of its own and replaces ``{{site}}`` / ``{{site:NAME}}`` with base URLs;
``_later/`` holds the files as they are after a later edit (``ReplayServer.publish_later``).

The article texts are original prose, written for the demo, in ``tools/demo_content/<site>.txt``:

    % a comment
    == slug | 2026-09-14 10:30 | kind | key=value; key=value; flag
    The title
    A paragraph (one line each).
    ## A subheading
    * A list item
    > A quoted paragraph
    @- a line of the first version only (an edit)
    @+ a line of the later version only (an edit, or a signatory added later)

Header options: ``author=``, ``tags=a, b``, ``updated=2026-10-08 16:00`` (the later version's
date), ``later`` (the article appears only in ``_later/``), ``republish=site/slug`` (the
article's body is that article's, after the lines given here). Kinds: statement, joint,
interview, condolence, greeting, report, article, question, speech.

The output is deterministic: running the script twice gives the same bytes.
"""

from __future__ import annotations

import filecmp
import hashlib
import html
import json
import posixpath
import re
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "tools" / "demo_content"
OUTPUT = ROOT / "src" / "tribune" / "data" / "demo" / "sites"
MANIFEST = ROOT / "src" / "tribune" / "data" / "demo" / "sites.json"
SITE = "{{site}}"
LATER = "_later"
KINDS = ("statement", "joint", "interview", "condolence", "greeting", "report", "article",
         "question", "speech")  # fmt: skip

# --- labels --------------------------------------------------------------------------------

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "el": "Ιανουαρίου Φεβρουαρίου Μαρτίου Απριλίου Μαΐου Ιουνίου Ιουλίου Αυγούστου Σεπτεμβρίου "
    "Οκτωβρίου Νοεμβρίου Δεκεμβρίου",
    "tr": "Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık",
    "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
WEEKDAYS_DE = ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So.")

KIND_LABELS = {
    "en": ("Statements|Joint statements|Interviews|Condolences|Greetings|Events|Articles|"
           "Parliament|Speeches"),
    "es": ("Comunicados|Declaraciones conjuntas|Entrevistas|Condolencias|Saludos|Actividades|"
           "Artículos|Parlamento|Intervenciones"),
    "pt": ("Comunicados|Declarações conjuntas|Entrevistas|Condolências|Saudações|Iniciativas|"
           "Artigos|Assembleia|Intervenções"),
    "el": ("Ανακοινώσεις|Κοινές ανακοινώσεις|Συνεντεύξεις|Συλλυπητήρια|Χαιρετισμοί|Εκδηλώσεις|"
           "Άρθρα|Βουλή|Ομιλίες"),
    "tr": ("Açıklamalar|Ortak açıklamalar|Röportajlar|Başsağlığı|Mesajlar|Etkinlikler|Yazılar|"
           "Meclis|Konuşmalar"),
    "ru": ("Заявления|Совместные заявления|Интервью|Соболезнования|Приветствия|Мероприятия|"
           "Статьи|Депутатские запросы|Выступления"),
    "de": ("Erklärungen|Gemeinsame Erklärungen|Interviews|Nachrufe|Grußworte|Berichte|Artikel|"
           "Parlament|Reden"),
    "fr": ("Communiqués|Déclarations communes|Entretiens|Hommages|Messages|Initiatives|Articles|"
           "Questions écrites|Discours"),
}  # fmt: skip
KIND_SLUGS = {
    "en": "statements joint-statements interviews condolences greetings events articles "
    "parliament speeches",
    "es": "comunicados declaraciones-conjuntas entrevistas condolencias saludos actividades "
    "articulos parlamento intervenciones",
    "pt": "comunicados declaracoes-conjuntas entrevistas condolencias saudacoes iniciativas "
    "artigos assembleia intervencoes",
    "el": "anakoinoseis koines-anakoinoseis synenteykseis syllypitiria xairetismoi ekdiloseis "
    "arthra vouli omilies",
    "tr": "aciklamalar ortak-aciklamalar roportajlar bassagligi mesajlar etkinlikler yazilar "
    "meclis konusmalar",
    "ru": "zayavleniya sovmestnye-zayavleniya intervyu soboleznovaniya privetstviya "
    "meropriyatiya stati zaprosy vystupleniya",
    "de": "erklaerungen gemeinsame-erklaerungen interviews nachrufe grussworte berichte artikel "
    "parlament reden",
    "fr": "communiques declarations-communes entretiens hommages messages initiatives articles "
    "questions-ecrites discours",
}

_WORDS = ("home news latest categories tags older newer next read_more by search about contact "
          "privacy updated posted_in tagged source skip menu page_of prev_post next_post "
          "first_published")  # fmt: skip
_LABELS = {
    "en": "Home|News|Latest|Categories|Tags|Older posts|Newer posts|Next »|Read more|By|Search|"
    "About us|Contact|Privacy|Updated|Posted in|Tagged|Source|Skip to content|Menu|Page {n} of {m}|"
    "Previous|Next|First published",
    "es": "Inicio|Actualidad|Lo último|Categorías|Etiquetas|Entradas anteriores|Entradas "
    "siguientes|Siguiente »|Leer más|Por|Buscar|Quiénes somos|Contacto|Privacidad|Actualizado|"
    "Publicado en|Etiquetado|Fuente|Saltar al contenido|Menú|Página {n} de {m}|Anterior|Siguiente|"
    "Publicado originalmente",
    "pt": "Início|Notícias|Últimas|Categorias|Etiquetas|Artigos mais antigos|Artigos mais recentes|"
    "Seguinte »|Ler mais|Por|Pesquisar|Quem somos|Contactos|Privacidade|Atualizado|Publicado em|"
    "Etiquetas|Fonte|Saltar para o conteúdo|Menu|Página {n} de {m}|Anterior|Seguinte|"
    "Publicado originalmente",
    "el": "Αρχική|Επικαιρότητα|Τελευταία|Κατηγορίες|Ετικέτες|Παλαιότερα|Νεότερα|Επόμενη »|"
    "Περισσότερα|Από|Αναζήτηση|Ταυτότητα|Επικοινωνία|Προσωπικά δεδομένα|Ενημερώθηκε|Δημοσιεύτηκε "
    "στο|Ετικέτες|Πηγή|Μετάβαση στο περιεχόμενο|Μενού|Σελίδα {n} από {m}|Προηγούμενο|Επόμενο|"
    "Πρώτη δημοσίευση",
    "tr": "Anasayfa|Güncel|Son yazılar|Kategoriler|Etiketler|Önceki yazılar|Sonraki yazılar|"
    "Sonraki »|Devamını oku|Yazan|Ara|Hakkımızda|İletişim|Gizlilik|Güncellendi|Kategori|Etiketler|"
    "Kaynak|İçeriğe geç|Menü|Sayfa {n} / {m}|Önceki|Sonraki|İlk yayın",
    "ru": "Главная|Новости|Последние|Рубрики|Метки|Ранее|Позднее|Следующая »|Подробнее|Автор|"
    "Поиск|О партии|Контакты|Конфиденциальность|Обновлено|Рубрика|Метки|Источник|К содержанию|"
    "Меню|Страница {n} из {m}|Предыдущая|Следующая|Впервые опубликовано",
    "de": "Startseite|Aktuelles|Neueste Beiträge|Rubriken|Schlagworte|Ältere Beiträge|Neuere "
    "Beiträge|Weiter »|Weiterlesen|Von|Suche|Über uns|Kontakt|Datenschutz|Aktualisiert|Rubrik|"
    "Schlagworte|Quelle|Direkt zum Inhalt|Menü|Seite {n} von {m}|Vorheriger Artikel|Nächster "
    "Artikel|Zuerst veröffentlicht",
    "fr": "Accueil|Actualités|Dernières publications|Rubriques|Mots-clés|Articles plus anciens|"
    "Articles plus récents|Suivant »|Lire la suite|Par|Rechercher|Le Parti|Contact|Mentions "
    "légales|Mis à jour|Rubrique|Mots-clés|Source|Aller au contenu|Menu|Page {n} sur {m}|"
    "Précédent|Suivant|Première publication",
}
LABELS = {lang: dict(zip(_WORDS.split(), text.split("|"), strict=True)) for lang, text in
          _LABELS.items()}  # fmt: skip


def kind_label(lang: str, kind: str) -> str:
    return KIND_LABELS[lang].split("|")[KINDS.index(kind)]


def kind_slug(lang: str, kind: str) -> str:
    return KIND_SLUGS[lang].split()[KINDS.index(kind)]


def slugify(text: str) -> str:
    """A tag's slug as a CMS makes it: lower case, dashes, non-ASCII percent-encoded."""
    slug = re.sub(r"[\s/]+", "-", text.strip().lower())
    return quote(slug, safe="-")


def human_date(lang: str, when: datetime) -> str:
    month = MONTHS[lang].split()[when.month - 1]
    return {
        "en": f"{when.day} {month} {when.year}",
        "es": f"{when.day} de {month} de {when.year}",
        "pt": f"{when.day} de {month} de {when.year}",
        "el": f"{when.day} {month} {when.year}",
        "tr": f"{when.day} {month} {when.year}",
        "ru": f"{when.day} {month} {when.year} г.",
        "de": f"{when.day}. {month} {when.year}",
        "fr": f"{when.day} {month} {when.year}",
    }[lang]


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# --- sites ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """One sample site: who it is, how its CMS looks, where its articles and sources are."""

    name: str
    org: str | None
    lang: str
    title: str
    tagline: str
    tz: str
    cms: str  # wordpress, drupal, joomla, handmade, modern
    url: str  # article URL path: {y} {m} {d} {slug} {id}
    kind: str  # the manifest's source kind
    source: str  # the manifest's source path
    feed: str | None = None  # rss2, rdf, atom, json
    feed_path: str | None = None
    full_text: bool = False
    listing: tuple[str, str] | None = None  # first page path, later pages' path with {n}
    per_page: int = 10
    recipe: dict[str, str] | None = None
    sitemap: bool = False
    robots: str | None = None
    encoding: str = "utf-8"
    text_dates: bool = False  # plain text dates, no <time> and no date metadata
    rights: str = "full-text"
    id_base: int = 1000
    about: str = ""
    contact: str = ""
    nav: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()  # the portal's list of party sites
    region: str = ""  # the locale's region where it is not the language's usual one

    @property
    def locale(self) -> str:
        usual = {"en": "GB", "es": "ES", "pt": "PT", "el": "GR", "tr": "TR", "ru": "RU",
                 "de": "DE", "fr": "FR"}  # fmt: skip
        return f"{self.lang}-{self.region or usual[self.lang]}"

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.lang]


SITES: tuple[Site, ...] = (
    Site(
        name="kke-gr",
        org="gr-kke",
        lang="el",
        title="Κομμουνιστικό Κόμμα Ελλάδας",
        tagline="Ιστοσελίδα της Κεντρικής Επιτροπής του ΚΚΕ",
        tz="Europe/Athens",
        cms="modern",
        url="/el/articles/{id}-{slug}/",
        kind="feed",
        source="/el/rss.xml",
        feed="rss2",
        feed_path="/el/rss.xml",
        robots="User-agent: *\nAllow: /\n",
        id_base=28410,
        about="Το Κομμουνιστικό Κόμμα Ελλάδας (ΚΚΕ) ιδρύθηκε το Νοέμβρη του 1918. Η Κεντρική "
        "Επιτροπή του εκδίδει ανακοινώσεις, δηλώσεις και άρθρα για την πολιτική επικαιρότητα.",
        contact="Λεωφόρος Ηρακλείου 145, Περισσός, Αθήνα. Τηλ. 210 2592111, cpg@int.kke.gr",
        nav=(
            ("Επικαιρότητα", "/el/articles/"),
            ("Διεθνή", "/el/international/"),
            ("Βουλή", "/el/parliament/"),
            ("Ευρωβουλή", "/el/europarliament/"),
        ),
        tags=(
            "Ειρήνη",
            "ΝΑΤΟ",
            "Παλαιστίνη",
            "Κούβα",
            "Εργατική τάξη",
            "Απεργία",
            "ΚΝΕ",
            "ΠΑΜΕ",
            "Ευρωπαϊκή Ένωση",
            "Νεολαία",
        ),
    ),
    Site(
        name="tkp-tr",
        org="tr-tkp",
        lang="tr",
        title="Türkiye Komünist Partisi",
        tagline="Sömürüye, gericiliğe ve emperyalizme karşı",
        tz="Europe/Istanbul",
        cms="wordpress",
        url="/{y}/{m}/{d}/{slug}/",
        kind="feed",
        source="/feed.atom",
        feed="atom",
        feed_path="/feed.atom",
        full_text=True,
        id_base=15320,
        about="Türkiye Komünist Partisi (TKP), 10 Eylül 1920'de Bakü'de kurulan partinin "
        "mirasçısıdır. Merkez Komitesi açıklamalarını bu sitede yayımlar.",
        contact="Merkez Komitesi, Kadıköy, İstanbul. E-posta: iletisim@tkp.example",
        nav=(
            ("Açıklamalar", "/kategori/aciklamalar/"),
            ("Uluslararası", "/kategori/uluslararasi/"),
            ("Halk Komiteleri", "/kategori/halk-komiteleri/"),
        ),
        tags=(
            "Emperyalizm",
            "NATO",
            "Filistin",
            "Küba",
            "İşçi sınıfı",
            "Grev",
            "Gençlik",
            "Laiklik",
            "Halk Komiteleri",
            "Barış",
        ),
    ),
    Site(
        name="sacp-za",
        region="ZA",
        org="za-sacp",
        lang="en",
        title="South African Communist Party",
        tagline="Socialism is the future, build it now!",
        tz="Africa/Johannesburg",
        cms="modern",
        url="/news/{slug}/",
        kind="feed",
        source="/feed.json",
        feed="json",
        feed_path="/feed.json",
        full_text=True,
        robots="User-agent: *\nDisallow: /admin/\n",
        id_base=4410,
        about="The South African Communist Party (SACP), founded in 1921, is a partner in the "
        "Alliance with the ANC and COSATU. This site publishes the statements of its Central "
        "Committee and Politburo.",
        contact="3rd Floor, Cosatu House, Braamfontein, Johannesburg. Email: info@sacp.example",
        nav=(
            ("Statements", "/news/"),
            ("Umsebenzi", "/umsebenzi/"),
            ("Alliance", "/alliance/"),
            ("International", "/international/"),
        ),
        tags=(
            "Cuba",
            "Palestine",
            "Workers",
            "Alliance",
            "Youth",
            "Africa",
            "Solidarity",
            "Public transport",
            "Unemployment",
            "Peace",
        ),
    ),
    Site(
        name="cpb-uk",
        org="gb-cpb",
        lang="en",
        title="Communist Party of Britain",
        tagline="For a socialist Britain, for peace and people's sovereignty",
        tz="Europe/London",
        cms="wordpress",
        url="/{y}/{m}/{slug}/",
        kind="feed",
        source="/feed.xml",
        feed="rss2",
        feed_path="/feed.xml",
        full_text=True,
        id_base=9120,
        about="The Communist Party of Britain (CPB) works for a socialist Britain through the "
        "labour movement. Its programme is Britain's Road to Socialism.",
        contact="Ruskin House, 23 Coombe Road, Croydon. Email: office@cpb.example",
        nav=(
            ("News", "/category/news/"),
            ("Statements", "/category/statements/"),
            ("Britain's Road to Socialism", "/brs/"),
            ("Join", "/join/"),
        ),
        tags=(
            "Strikes",
            "NHS",
            "NATO",
            "Palestine",
            "Cuba",
            "Trade unions",
            "Housing",
            "Scotland",
            "Wales",
            "Peace",
        ),
    ),
    Site(
        name="pcp-pt",
        org="pt-pcp",
        lang="pt",
        title="Partido Comunista Português",
        tagline="Democracia e Socialismo",
        tz="Europe/Lisbon",
        cms="drupal",
        url="/comunicados/{y}/{slug}",
        kind="feed",
        source="/rdf/comunicados.rdf",
        feed="rdf",
        feed_path="/rdf/comunicados.rdf",
        robots="User-agent: *\nDisallow: /admin/\nDisallow: /user/\n",
        id_base=7731,
        about="O Partido Comunista Português (PCP) foi fundado a 6 de Março de 1921. Este sítio "
        "publica os comunicados, as notas e as intervenções do Partido.",
        contact="Rua Soeiro Pereira Gomes, 3, Lisboa. Correio: gabinete.imprensa@pcp.example",
        nav=(
            ("Comunicados", "/comunicados"),
            ("Assembleia da República", "/assembleia"),
            ("Internacional", "/internacional"),
            ("Avante!", "/avante"),
        ),
        tags=(
            "Paz",
            "Salários",
            "Habitação",
            "Serviço Nacional de Saúde",
            "Palestina",
            "Cuba",
            "Juventude",
            "NATO",
            "Trabalhadores",
            "Festa do Avante!",
        ),
    ),
    Site(
        name="kprf-ru",
        org="ru-kprf",
        lang="ru",
        title="КПРФ — Коммунистическая партия Российской Федерации",
        tagline="Официальный сайт",
        tz="Europe/Moscow",
        cms="handmade",
        url="/news/{id}.html",
        kind="auto",
        source="/",
        feed="rss2",
        feed_path="/rss/news.rss",
        encoding="windows-1251",
        text_dates=True,
        id_base=241560,
        about="Коммунистическая партия Российской Федерации (КПРФ) создана в феврале 1993 года. "
        "Председатель ЦК КПРФ — Геннадий Андреевич Зюганов.",
        contact="Москва, Малый Сухаревский пер., 3. Пресс-служба ЦК КПРФ.",
        nav=(
            ("Новости", "/news/"),
            ("Заявления", "/statements/"),
            ("Фракция", "/duma/"),
            ("Газета «Правда»", "/pravda/"),
        ),
        tags=(
            "Куба",
            "Палестина",
            "НАТО",
            "Молодёжь",
            "Госдума",
            "Ленин",
            "Октябрь",
            "Социализм",
            "Венесуэла",
            "Пенсии",
        ),
    ),
    Site(
        name="pcv-ve",
        region="VE",
        org="ve-pcv",
        lang="es",
        title="Partido Comunista de Venezuela",
        tagline="Tribuna Popular — órgano del Comité Central del PCV",
        tz="America/Caracas",
        cms="wordpress",
        url="/noticias/{slug}/",
        kind="feed",
        source="/feed/atom.xml",
        feed="atom",
        feed_path="/feed/atom.xml",
        id_base=31100,
        about="El Partido Comunista de Venezuela (PCV) fue fundado el 5 de marzo de 1931. Tribuna "
        "Popular es su órgano de prensa.",
        contact="Caracas, Venezuela. Correo: prensa@pcv.example",
        nav=(
            ("Noticias", "/noticias/"),
            ("Buró Político", "/categoria/buro-politico/"),
            ("Internacional", "/categoria/internacional/"),
            ("Tribuna Popular", "/tp/"),
        ),
        tags=(
            "Salarios",
            "Imperialismo",
            "Cuba",
            "Elecciones",
            "Clase obrera",
            "Soberanía",
            "Palestina",
            "Juventud",
            "Campesinado",
            "Caribe",
        ),
    ),
    Site(
        name="solidarity-dispatch",
        org=None,
        lang="en",
        title="Solidarity Dispatch",
        tagline="Statements of the communist and workers' movement, gathered every day",
        tz="UTC",
        cms="modern",
        url="/en/news/{id}-{slug}.html",
        kind="feed",
        source="/rss.xml",
        feed="rss2",
        feed_path="/rss.xml",
        rights="excerpt",
        robots="User-agent: *\nAllow: /\n",
        id_base=60210,
        about="Solidarity Dispatch is an independent volunteer portal. It republishes, with "
        "their permission, statements of communist and workers' parties in English.",
        contact="Write to the editors: editors@solidarity-dispatch.example",
        nav=(
            ("Statements", "/en/statements/"),
            ("Parties", "/en/parties/"),
            ("Events", "/en/events/"),
            ("Submit", "/en/submit/"),
        ),
        tags=(
            "Palestine",
            "Cuba",
            "Venezuela",
            "IMCWP",
            "NATO",
            "Strikes",
            "Youth",
            "Peace",
            "Africa",
            "Latin America",
        ),
        sources=(
            ("kke-gr", "Communist Party of Greece (KKE)"),
            ("tkp-tr", "Communist Party of Turkey (TKP)"),
            ("sacp-za", "South African Communist Party (SACP)"),
            ("cpi-in", "Communist Party of India (CPI)"),
            ("pcp-pt", "Portuguese Communist Party (PCP)"),
            ("kprf-ru", "Communist Party of the Russian Federation (CPRF)"),
        ),
    ),
    Site(
        name="pce-es",
        org="es-pce",
        lang="es",
        title="Partido Comunista de España",
        tagline="Comité Federal del PCE",
        tz="Europe/Madrid",
        cms="wordpress",
        url="/{y}/{m}/{slug}/",
        kind="page",
        source="/actualidad/",
        listing=("/actualidad/", "/actualidad/page/{n}/"),
        recipe={"links": "article.post h2.entry-title a", "next": ".nav-previous a"},
        robots="User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n",
        id_base=52040,
        about="El Partido Comunista de España (PCE) fue fundado en 1921. Forma parte de Izquierda "
        "Unida (IU).",
        contact="Calle Olimpo, 35, Madrid. Correo: prensa@pce.example",
        nav=(
            ("Actualidad", "/actualidad/"),
            ("Mundo Obrero", "/mundo-obrero/"),
            ("Internacional", "/category/internacional/"),
            ("Afíliate", "/afiliate/"),
        ),
        tags=(
            "Vivienda",
            "OTAN",
            "Palestina",
            "Cuba",
            "Sindicatos",
            "UJCE",
            "Memoria",
            "Salario mínimo",
            "Paz",
            "Venezuela",
        ),
    ),
    Site(
        name="dkp-de",
        org="de-dkp",
        lang="de",
        title="Deutsche Kommunistische Partei",
        tagline="Für Frieden, Arbeit und Sozialismus",
        tz="Europe/Berlin",
        cms="drupal",
        url="/artikel/{slug}",
        kind="page",
        source="/aktuelles",
        listing=("/aktuelles", "/aktuelles/seite/{n}"),
        per_page=8,
        text_dates=True,
        robots="User-agent: *\nDisallow: /admin/\nDisallow: /user/login\nDisallow: /node/add/\n",
        id_base=3310,
        about="Die Deutsche Kommunistische Partei (DKP) wurde 1968 gegründet. Ihre Wochenzeitung "
        "ist die UZ – Unsere Zeit.",
        contact="Hoffnungstraße 18, Essen. E-Mail: pv@dkp.example",
        nav=(
            ("Aktuelles", "/aktuelles"),
            ("Frieden", "/rubrik/frieden"),
            ("Internationales", "/rubrik/internationales"),
            ("UZ", "/uz"),
        ),
        tags=(
            "Frieden",
            "NATO",
            "Aufrüstung",
            "Tarifrunde",
            "SDAJ",
            "Kuba",
            "Palästina",
            "Ostermarsch",
            "Mieten",
            "Antifaschismus",
        ),
    ),
    Site(
        name="cpi-in",
        region="IN",
        org="in-cpi",
        lang="en",
        title="Communist Party of India",
        tagline="Central Office, Ajoy Bhavan, New Delhi",
        tz="Asia/Kolkata",
        cms="joomla",
        url="/index.php/news/item/{id}-{slug}",
        kind="page",
        source="/index.php/news",
        listing=("/index.php/news", "/index.php/news/page-{n}"),
        recipe={
            "item": ".blog-item",
            "links": "h2[itemprop=name] a",
            "title": "h2[itemprop=name]",
            "date": "dd.published time",
            "next": 'a.page-link[aria-label="Go to next page"]',
        },
        robots="User-agent: *\nDisallow: /administrator/\nDisallow: /cache/\n"
        "Disallow: /includes/\nDisallow: /tmp/\n",
        id_base=820,
        about="The Communist Party of India (CPI) was founded on 26 December 1925 in Kanpur. Its "
        "General Secretary is D. Raja.",
        contact="Ajoy Bhavan, 15 Indrajit Gupta Marg, New Delhi. Email: office@cpi.example",
        nav=(
            ("News", "/index.php/news"),
            ("Statements", "/index.php/statements"),
            ("New Age", "/index.php/new-age"),
            ("Contact", "/index.php/contact"),
        ),
        tags=(
            "Palestine",
            "Farmers",
            "Workers",
            "Federalism",
            "Elections",
            "Cuba",
            "Kerala",
            "Peace",
            "Youth",
            "Secularism",
        ),
    ),
    Site(
        name="pcf-fr",
        org="fr-pcf",
        lang="fr",
        title="Parti communiste français",
        tagline="Section internationale — communiqués et prises de position",
        tz="Europe/Paris",
        cms="handmade",
        url="/actualites/{y}-{m}-{d}-{slug}.html",
        kind="auto",
        source="/",
        listing=("/", "/actualites-{n}.html"),
        per_page=8,
        text_dates=True,
        id_base=100,
        about="Le Parti communiste français (PCF) a été fondé en décembre 1920 au congrès de "
        "Tours. Son secrétaire national est Fabien Roussel.",
        contact="2, place du Colonel-Fabien, Paris 19e. Courriel : international@pcf.example",
        nav=(
            ("Le Parti", "/parti.html"),
            ("International", "/international.html"),
            ("Archives", "/actualites-2.html"),
        ),
        tags=(
            "paix",
            "Palestine",
            "Cuba",
            "salaires",
            "services publics",
            "Europe",
            "OTAN",
            "jeunesse",
            "retraites",
            "Afrique",
        ),
    ),
    Site(
        name="pcdob-br",
        region="BR",
        org="br-pcdob",
        lang="pt",
        title="Partido Comunista do Brasil",
        tagline="PCdoB — 104 anos de luta pelo Brasil e pelo socialismo",
        tz="America/Sao_Paulo",
        cms="wordpress",
        url="/noticias/{y}/{m}/{d}/{slug}/",
        kind="sitemap",
        source="/sitemap_index.xml",
        sitemap=True,
        robots="User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
        "Sitemap: {{site}}/sitemap_index.xml\n",
        id_base=71300,
        about="O Partido Comunista do Brasil (PCdoB) foi fundado em 25 de março de 1922. Este "
        "portal publica as notas e resoluções da direção nacional.",
        contact="Rua Rego Freitas, São Paulo. E-mail: imprensa@pcdob.example",
        nav=(
            ("Notícias", "/noticias/"),
            ("Notas", "/categoria/notas/"),
            ("Internacional", "/categoria/internacional/"),
            ("Filie-se", "/filie-se/"),
        ),
        tags=(
            "Soberania",
            "Emprego",
            "BRICS",
            "Cuba",
            "Palestina",
            "Juventude",
            "Reforma agrária",
            "Petrobras",
            "Amazônia",
            "Venezuela",
        ),
    ),
)
SITES_BY_NAME = {s.name: s for s in SITES}


# --- content -------------------------------------------------------------------------------


@dataclass
class Article:
    site: Site
    slug: str
    when: datetime
    kind: str
    title: str
    lines: list[str]  # with @- / @+ markers
    author: str = ""
    tags: tuple[str, ...] = ()
    updated: datetime | None = None
    later: bool = False
    republish: str | None = None
    number: int = 0
    copied: list[str] = field(default_factory=list)  # the republished body's lines

    @property
    def edited(self) -> bool:
        return any(line.startswith(("@+ ", "@- ")) for line in self.lines + self.copied)

    def body(self, later: bool) -> list[str]:
        """The article's lines in one version, the version markers dropped."""
        out = []
        for line in self.lines + self.copied:
            if line.startswith("@+ "):
                if later:
                    out.append(line[3:])
            elif line.startswith("@- "):
                if not later:
                    out.append(line[3:])
            else:
                out.append(line)
        return out

    @property
    def path(self) -> str:
        s = self.when
        return self.site.url.format(
            y=f"{s.year:04d}", m=f"{s.month:02d}", d=f"{s.day:02d}", slug=self.slug, id=self.number
        )

    @property
    def file(self) -> str:
        return file_of(self.path)

    @property
    def url(self) -> str:
        return SITE + self.path

    @property
    def author_slug(self) -> str:
        return slugify(self.author) if self.author else "redaccion"


def file_of(path: str) -> str:
    """The file the replay server serves for a URL path."""
    rel = path.lstrip("/")
    return rel + "index.html" if not rel or rel.endswith("/") else rel


HEADER = re.compile(r"^== (\S+) \| (\d{4}-\d\d-\d\d \d\d:\d\d) \| (\w+)(?: \| (.*))?$")


# Minutes east of UTC in summer and in winter time. A table rather than zoneinfo, whose data a
# minimal system may lack: every date is in September-November 2026, and summer time ends in
# Europe on 25 October 2026.
TIMEZONES = {
    "Europe/Athens": (180, 120),
    "Europe/Istanbul": (180, 180),
    "Africa/Johannesburg": (120, 120),
    "Europe/London": (60, 0),
    "Europe/Lisbon": (60, 0),
    "Europe/Moscow": (180, 180),
    "America/Caracas": (-240, -240),
    "UTC": (0, 0),
    "Europe/Madrid": (120, 60),
    "Europe/Berlin": (120, 60),
    "Asia/Kolkata": (330, 330),
    "Europe/Paris": (120, 60),
    "America/Sao_Paulo": (-180, -180),
}
SUMMER_TIME_ENDS = datetime(2026, 10, 25, 2, 0)  # local time, near enough for these sites
FIRST_DAY, LAST_DAY = datetime(2026, 9, 1), datetime(2026, 12, 1)


def parse_when(site: Site, text: str) -> datetime:
    """A local date and time on a site, with the site's UTC offset on that day."""
    naive = datetime.strptime(text, "%Y-%m-%d %H:%M")
    if not FIRST_DAY <= naive < LAST_DAY:
        raise SystemExit(f"{site.name}: {text} is not in September-November 2026")
    summer, winter = TIMEZONES[site.tz]
    minutes = summer if naive < SUMMER_TIME_ENDS else winter
    return naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))


def read_content(site: Site) -> list[Article]:
    """The articles of a site, oldest first, numbered."""
    path = CONTENT / f"{site.name}.txt"
    articles: list[Article] = []
    current: Article | None = None
    for number, raw in enumerate(path.read_text("utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line or line.startswith("%"):
            continue
        match = HEADER.match(line)
        if match:
            slug, when, kind, rest = match.groups()
            if kind not in KINDS:
                raise SystemExit(f"{path}:{number}: unknown kind {kind!r}")
            current = Article(site, slug, parse_when(site, when), kind, "", [])
            _options(current, rest or "")
            articles.append(current)
        elif current is None:
            raise SystemExit(f"{path}:{number}: text before the first article")
        elif not current.title:
            current.title = line
        else:
            current.lines.append(line)
    articles.sort(key=lambda a: (a.when, a.slug))
    number = site.id_base
    for article in articles:
        digest = hashlib.sha256(f"{site.name}/{article.slug}".encode()).digest()
        number += 1 + digest[0] % 9
        article.number = number
    for article in articles:
        words = prose_words(article.body(later=True)) if not article.republish else 200
        if not MIN_WORDS <= words <= MAX_WORDS:
            raise SystemExit(f"{path}: {article.slug} has {words} words of prose")
    slugs = Counter(a.slug for a in articles)
    doubled = [s for s, n in slugs.items() if n > 1]
    if doubled:
        raise SystemExit(f"{path}: slugs used twice: {doubled}")
    return articles


MIN_WORDS, MAX_WORDS = 120, 400
NUMBERED = re.compile(r"^\d+\. ")


def prose_words(lines: list[str]) -> int:
    """The words of an article's prose: headings and numbered lists (signatories) left out."""
    return sum(
        len(line.split())
        for line in lines
        if not line.startswith("## ") and not NUMBERED.match(line)
    )


def _options(article: Article, text: str) -> None:
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        key, _, value = part.partition("=")
        if key == "author":
            article.author = value.strip()
        elif key == "tags":
            article.tags = tuple(t.strip() for t in value.split(","))
        elif key == "updated":
            article.updated = parse_when(article.site, value.strip())
        elif key == "later":
            article.later = True
        elif key == "republish":
            article.republish = value.strip()
        else:
            raise SystemExit(f"{article.site.name}/{article.slug}: unknown option {key!r}")


def body_html(lines: list[str], heading: str = "h2") -> str:
    """The HTML of an article's lines: paragraphs, subheadings, lists, quotes."""
    out: list[str] = []
    items: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("* "):
            items.append(f"<li>{inline(line[2:])}</li>")
            continue
        if items:
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
            items = []
        if not line:
            continue
        if line.startswith("## "):
            out.append(f"<{heading}>{inline(line[3:])}</{heading}>")
        elif line.startswith("> "):
            out.append(f"<blockquote><p>{inline(line[2:])}</p></blockquote>")
        else:
            out.append(f"<p>{inline(line)}</p>")
    return "\n".join(out)


def inline(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", esc(text))


def summary(article: Article, later: bool = False, limit: int = 260) -> str:
    """The first paragraph, cut at a word near ``limit`` characters."""
    first = next(
        (ln for ln in article.body(later) if not ln.startswith(("## ", "* ", "> ", "**"))), ""
    )
    first = first.replace("**", "")
    if len(first) <= limit:
        return first
    return first[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


# --- shared pieces -------------------------------------------------------------------------


@dataclass
class Page:
    """What a template needs to render one page."""

    site: Site
    path: str  # the URL path of the page
    title: str
    main: str
    articles: list[Article]  # the site's articles in this state, newest first
    canonical: bool = True
    head: str = ""
    body_class: str = ""
    article: Article | None = None


def feed_link(site: Site) -> str:
    if not site.feed or not site.feed_path:
        return ""
    kind = {"rss2": "application/rss+xml", "rdf": "application/rss+xml",
            "atom": "application/atom+xml", "json": "application/feed+json"}[site.feed]  # fmt: skip
    return (
        f'<link rel="alternate" type="{kind}" title="{esc(site.title)} » Feed" '
        f'href="{SITE}{site.feed_path}">'
    )


def meta_tags(page: Page) -> str:
    """Open Graph tags of an article page (not on the sites that only write dates as text)."""
    a = page.article
    if a is None or page.site.text_dates:
        return ""
    return (
        f'<meta property="og:type" content="article">\n'
        f'<meta property="og:title" content="{esc(a.title)}">\n'
        f'<meta property="og:url" content="{a.url}">\n'
        f'<meta property="og:site_name" content="{esc(page.site.title)}">\n'
        f'<meta property="article:published_time" content="{a.when.isoformat()}">'
    )


def head(page: Page, stylesheet: str, generator: str = "") -> str:
    site = page.site
    charset = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={site.encoding}">'
        if site.cms == "handmade"
        else f'<meta charset="{site.encoding}">'
    )
    parts = [
        charset,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{generator}">' if generator else "",
        f"<title>{esc(page.title)}</title>",
        f'<link rel="canonical" href="{SITE}{page.path}">' if page.canonical else "",
        meta_tags(page),
        feed_link(site),
        page.head,
        f'<link rel="stylesheet" href="{stylesheet}">',
    ]
    return "<head>\n" + "\n".join(p for p in parts if p) + "\n</head>"


def kinds_count(articles: list[Article]) -> list[tuple[str, int]]:
    counts = Counter(a.kind for a in articles)
    return [(k, counts[k]) for k in KINDS if counts[k]]


def tag_sizes(site: Site, articles: list[Article]) -> list[tuple[str, int]]:
    """The tag cloud: the site's usual tags, sized by use (never below 1)."""
    used = Counter(t for a in articles for t in a.tags)
    return [(tag, 1 + used[tag]) for tag in site.tags]


def html_date(site: Site, when: datetime, cls: str = "", prop: str = "") -> str:
    human = human_date(site.lang, when)
    if site.text_dates:
        return esc(human)
    attrs = (f' class="{cls}"' if cls else "") + (f' itemprop="{prop}"' if prop else "")
    return f'<time{attrs} datetime="{when.isoformat()}">{esc(human)}</time>'


# --- WordPress-like ------------------------------------------------------------------------


def wp_document(page: Page) -> str:
    site, lab = page.site, page.site.labels
    theme = {"tkp-tr": "orak", "cpb-uk": "starling", "pcv-ve": "tribuna", "pce-es": "olimpo",
             "pcdob-br": "vermelho"}.get(site.name, "twentytwenty")  # fmt: skip
    nav = "\n".join(
        f'<li id="menu-item-{40 + i}" class="menu-item menu-item-type-custom menu-item-object-'
        f'custom menu-item-{40 + i}"><a href="{SITE}{path}">{esc(label)}</a></li>'
        for i, (label, path) in enumerate((("" + lab["home"], "/"), *site.nav))
    )
    latest = "\n".join(f'<li><a href="{a.url}">{esc(a.title)}</a></li>' for a in page.articles[:5])
    cats = "\n".join(
        f'<li class="cat-item cat-item-{3 + KINDS.index(k)}"><a href="{SITE}/category/'
        f'{kind_slug(site.lang, k)}/">{esc(kind_label(site.lang, k))}</a> ({n})</li>'
        for k, n in kinds_count(page.articles)
    )
    cloud = "\n".join(
        f'<a href="{SITE}/tag/{slugify(t)}/" class="tag-cloud-link tag-link-{20 + i} '
        f'tag-link-position-{i + 1}" style="font-size: {8 + 2 * min(n, 7)}pt;" '
        f'aria-label="{esc(t)} ({n})">{esc(t)}</a>'
        for i, (t, n) in enumerate(tag_sizes(site, page.articles))
    )
    return f"""<!DOCTYPE html>
<html lang="{site.locale}">
{head(page, f"{SITE}/wp-content/themes/{theme}/style.css?ver=2.3.1", "WordPress 6.8.3")}
<body class="{page.body_class} wp-theme-{theme}">
<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">{esc(lab["skip"])}</a>
<header id="masthead" class="site-header">
<div class="site-branding">
<p class="site-title"><a href="{SITE}/" rel="home">{esc(site.title)}</a></p>
<p class="site-description">{esc(site.tagline)}</p>
</div>
<nav id="site-navigation" class="main-navigation">
<button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">\
{lab["menu"]}</button>
<div class="menu-principal-container"><ul id="primary-menu" class="menu">
{nav}
</ul></div>
</nav>
</header>
<div id="content" class="site-content">
<main id="primary" class="site-main">
{page.main}
</main>
<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" \
class="search-form" action="{SITE}/"><label><span class="screen-reader-text">{lab["search"]}</span>\
<input type="search" class="search-field" value="" name="s"></label><input type="submit" \
class="search-submit" value="{lab["search"]}"></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries">
<h2 class="widget-title">{esc(lab["latest"])}</h2>
<ul>
{latest}
</ul>
</section>
<section id="categories-2" class="widget widget_categories">
<h2 class="widget-title">{esc(lab["categories"])}</h2>
<ul>
{cats}
</ul>
</section>
<section id="tag_cloud-2" class="widget widget_tag_cloud">
<h2 class="widget-title">{esc(lab["tags"])}</h2>
<div class="tagcloud">
{cloud}
</div>
</section>
</aside>
</div>
<footer id="colophon" class="site-footer">
<nav class="footer-navigation"><ul class="footer-menu">
<li><a href="{SITE}/about/">{esc(lab["about"])}</a></li>
<li><a href="{SITE}/contact/">{esc(lab["contact"])}</a></li>
<li><a href="{SITE}/privacy/">{esc(lab["privacy"])}</a></li>
</ul></nav>
<div class="site-info">© 2026 {esc(site.title)} · <a href="https://wordpress.org/">WordPress</a></div>
</footer>
</div>
</body>
</html>
"""


def wp_meta(a: Article) -> str:
    site, lab = a.site, a.site.labels
    when = (
        f'<span class="posted-on"><a href="{a.url}" rel="bookmark">'
        f"{html_date(site, a.when, 'entry-date published')}</a></span>"
    )
    by = (
        f'<span class="byline"> {lab["by"]} <span class="author vcard"><a class="url fn n" '
        f'href="{SITE}/author/{a.author_slug}/">{esc(a.author)}</a></span></span>'
        if a.author
        else ""
    )
    return f'<div class="entry-meta">{when}{by}</div>'


def wp_classes(a: Article) -> str:
    tags = " ".join(f"tag-{slugify(t)}" for t in a.tags)
    return (
        f"post-{a.number} post type-post status-publish format-standard hentry "
        f"category-{kind_slug(a.site.lang, a.kind)} {tags}"
    ).strip()


def wp_footer(a: Article) -> str:
    site, lab = a.site, a.site.labels
    cat = (
        f'<span class="cat-links">{lab["posted_in"]} <a href="{SITE}/category/'
        f'{kind_slug(site.lang, a.kind)}/" rel="category tag">'
        f"{esc(kind_label(site.lang, a.kind))}</a></span>"
    )
    tags = ", ".join(f'<a href="{SITE}/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in a.tags)
    tagged = f'<span class="tags-links">{lab["tagged"]} {tags}</span>' if tags else ""
    return f'<footer class="entry-footer">{cat}{tagged}</footer>'


def wp_teaser(a: Article) -> str:
    return f"""<article id="post-{a.number}" class="{wp_classes(a)}">
<header class="entry-header">
<h2 class="entry-title"><a href="{a.url}" rel="bookmark">{esc(a.title)}</a></h2>
{wp_meta(a)}
</header>
<div class="entry-summary">
<p>{esc(summary(a))} [&hellip;]</p>
</div>
{wp_footer(a)}
</article>"""


def wp_article(a: Article, later: bool, prev: Article | None, nxt: Article | None) -> str:
    lab = a.site.labels
    links = []
    if prev is not None:
        links.append(
            f'<div class="nav-previous"><a href="{prev.url}" rel="prev"><span class="nav-subtitle">'
            f'{lab["prev_post"]}:</span> <span class="nav-title">{esc(prev.title)}</span></a></div>'
        )
    if nxt is not None:
        links.append(
            f'<div class="nav-next"><a href="{nxt.url}" rel="next"><span class="nav-subtitle">'
            f'{lab["next_post"]}:</span> <span class="nav-title">{esc(nxt.title)}</span></a></div>'
        )
    return f"""<article id="post-{a.number}" class="{wp_classes(a)}">
<header class="entry-header">
<h1 class="entry-title">{esc(a.title)}</h1>
{wp_meta(a)}
</header>
<div class="entry-content">
{body_html(a.body(later))}
</div>
{wp_footer(a)}
</article>
<nav class="navigation post-navigation" aria-label="Entradas">
<div class="nav-links">{"".join(links)}</div>
</nav>"""


def wp_listing(site: Site, entries: list[Article], title: str, pager: str) -> str:
    teasers = "\n".join(wp_teaser(a) for a in entries)
    return f"""<header class="page-header"><h1 class="page-title">{esc(title)}</h1></header>
{teasers}
{pager}"""


def wp_pager(site: Site, n: int, pages: int, url: Callable[[int], str]) -> str:
    lab = site.labels
    links = []
    if n < pages:
        links.append(f'<div class="nav-previous"><a href="{url(n + 1)}">{lab["older"]}</a></div>')
    if n > 1:
        links.append(f'<div class="nav-next"><a href="{url(n - 1)}">{lab["newer"]}</a></div>')
    return (
        '<nav class="navigation posts-navigation" aria-label="Entradas">\n'
        f'<div class="nav-links">{"".join(links)}</div>\n</nav>'
    )


# --- Drupal-like ---------------------------------------------------------------------------


def drupal_date(site: Site, when: datetime) -> str:
    if site.lang == "de":
        return f"{WEEKDAYS_DE[when.weekday()]}, {when:%d.%m.%Y - %H:%M}"
    return f"{when:%d/%m/%Y - %H:%M}"


def taxonomy(site: Site) -> tuple[str, str]:
    """The path prefixes of a Drupal site's categories and tags, in its language."""
    return ("rubrik", "schlagwort") if site.lang == "de" else ("categoria", "etiqueta")


def drupal_document(page: Page) -> str:
    site, lab = page.site, page.site.labels
    category, tag = taxonomy(site)
    nav = "\n".join(
        f'<li class="menu-item"><a href="{path}" data-drupal-link-system-path="{path.strip("/")}">'
        f"{esc(label)}</a></li>"
        for label, path in ((lab["home"], "/"), *site.nav)
    )
    latest = "\n".join(
        f'<li><a href="{a.path}" hreflang="{site.lang}">{esc(a.title)}</a></li>'
        for a in page.articles[:5]
    )
    cats = "\n".join(
        f'<li><a href="/{category}/{kind_slug(site.lang, k)}">{esc(kind_label(site.lang, k))}</a> '
        f"({n})</li>"
        for k, n in kinds_count(page.articles)
    )
    cloud = "\n".join(
        f'<span class="tagclouds-term"><a href="/{tag}/{slugify(t)}" class="tagclouds '
        f'level{min(n, 6)}">{esc(t)}</a></span>'
        for t, n in tag_sizes(site, page.articles)
    )
    crumbs = f'<li><a href="/">{lab["home"]}</a></li>'
    if site.listing and page.path != site.listing[0]:
        crumbs += f'<li><a href="{site.listing[0]}">{esc(lab["news"])}</a></li>'
    return f"""<!DOCTYPE html>
<html lang="{site.lang}" dir="ltr">
{head(page, "/sites/default/files/css/css_Xk3p9QzvL0aBZr.css", "Drupal 10 (https://www.drupal.org)")}
<body class="{page.body_class}">
<a href="#main-content" class="visually-hidden focusable skip-link">{esc(lab["skip"])}</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div class="layout-container">
<header role="banner" class="site-header">
<div class="region region-header">
<div id="block-sitebranding" class="block block-system block-system-branding-block">
<a href="/" rel="home" class="site-logo"><img src="/themes/custom/rot/logo.svg" \
alt="{lab["home"]}"></a>
<div class="site-name"><a href="/" rel="home">{esc(site.title)}</a></div>
<div class="site-slogan">{esc(site.tagline)}</div>
</div>
</div>
<div class="region region-primary-menu">
<nav role="navigation" aria-labelledby="block-main-menu" id="block-main" class="block block-menu \
navigation menu--main">
<h2 class="visually-hidden" id="block-main-menu">{lab["menu"]}</h2>
<ul class="menu menu-level-0">
{nav}
</ul>
</nav>
</div>
</header>
<div class="region region-breadcrumb">
<nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb">
<h2 id="system-breadcrumb" class="visually-hidden">Breadcrumb</h2>
<ol>{crumbs}</ol>
</nav>
</div>
<main role="main">
<a id="main-content" tabindex="-1"></a>
<div class="layout-content">
<div class="region region-content">
<div data-drupal-messages-fallback class="hidden"></div>
{page.main}
</div>
</div>
<aside class="layout-sidebar-second" role="complementary">
<div class="region region-sidebar-second">
<div class="views-element-container block block-views" id="block-views-block-latest">
<h2>{esc(lab["latest"])}</h2>
<div class="item-list"><ul>
{latest}
</ul></div>
</div>
<div class="block block-views" id="block-views-block-rubriken">
<h2>{esc(lab["categories"])}</h2>
<div class="item-list"><ul>
{cats}
</ul></div>
</div>
<div class="block block-tagclouds" id="block-tagclouds">
<h2>{esc(lab["tags"])}</h2>
<div class="content">
{cloud}
</div>
</div>
</div>
</aside>
</main>
<footer role="contentinfo" class="site-footer">
<div class="region region-footer">
<nav role="navigation" id="block-footer" class="block block-menu navigation menu--footer">
<ul class="menu">
<li class="menu-item"><a href="/impressum">Impressum</a></li>
<li class="menu-item"><a href="/about">{esc(lab["about"])}</a></li>
<li class="menu-item"><a href="/contact">{esc(lab["contact"])}</a></li>
<li class="menu-item"><a href="/privacy">{esc(lab["privacy"])}</a></li>
</ul>
</nav>
<div class="copyright">© 2026 {esc(site.title)}</div>
</div>
</footer>
</div>
</div>
</body>
</html>
"""


def drupal_when(a: Article) -> str:
    if a.site.text_dates:
        return esc(drupal_date(a.site, a.when))
    return f'<time datetime="{a.when.isoformat()}">{esc(drupal_date(a.site, a.when))}</time>'


def drupal_teaser(a: Article) -> str:
    site = a.site
    author = f'<span class="field field--name-uid">{esc(a.author)}</span> ' if a.author else ""
    return f"""<div class="views-row">
<article role="article" about="{a.path}" class="node node--type-article node--promoted \
node--view-mode-teaser">
<h2><a href="{a.path}" rel="bookmark"><span class="field field--name-title field--type-string \
field--label-hidden">{esc(a.title)}</span></a></h2>
<div class="node__meta">{author}<span class="field field--name-created field--type-created \
field--label-hidden">{drupal_when(a)}</span></div>
<div class="node__content">
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary \
field--label-hidden field__item"><p>{esc(summary(a))}</p></div>
<ul class="links inline"><li class="node-readmore"><a href="{a.path}" rel="tag" \
hreflang="{site.lang}">{esc(site.labels["read_more"])}</a></li></ul>
</div>
</article>
</div>"""


def drupal_article(a: Article, later: bool, prev: Article | None, nxt: Article | None) -> str:
    site, lab = a.site, a.site.labels
    author = f'<span class="node__author">{lab["by"]} {esc(a.author)}</span> | ' if a.author else ""
    tags = "\n".join(
        f'<div class="field__item"><a href="/{taxonomy(site)[1]}/{slugify(t)}" '
        f'hreflang="{site.lang}">'
        f"{esc(t)}</a></div>"
        for t in a.tags
    )
    tag_block = (
        f'<div class="field field--name-field-tags field--type-entity-reference '
        f'field--label-above"><div class="field__label">{esc(lab["tags"])}</div>'
        f'<div class="field__items">\n{tags}\n</div></div>'
        if tags
        else ""
    )
    updated = ""
    if later and a.updated is not None:
        changed = drupal_date(site, a.updated)
        updated = f' | <span class="node__changed">{lab["updated"]}: {changed}</span>'
    return f"""<article role="article" about="{a.path}" class="node node--type-article \
node--view-mode-full">
<h1 class="page-title"><span class="field field--name-title">{esc(a.title)}</span></h1>
<div class="node__meta">{author}<span class="field field--name-created">{drupal_when(a)}</span>\
{updated}</div>
<div class="node__content">
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary \
field--label-hidden field__item">
{body_html(a.body(later), "h3")}
</div>
{tag_block}
</div>
</article>
{drupal_around(a, prev, nxt)}"""


def drupal_around(a: Article, prev: Article | None, nxt: Article | None) -> str:
    """The previous and next articles, as a "book navigation"-like block below the node."""
    lab = a.site.labels
    links = []
    if prev is not None:
        links.append(
            f'<li class="node-prev"><a href="{prev.path}" rel="prev">‹ {lab["prev_post"]}: '
            f"{esc(prev.title)}</a></li>"
        )
    if nxt is not None:
        links.append(
            f'<li class="node-next"><a href="{nxt.path}" rel="next">{lab["next_post"]}: '
            f"{esc(nxt.title)} ›</a></li>"
        )
    return (
        '<nav class="node-navigation" role="navigation" aria-label="Artikel">\n<ul>\n'
        + "\n".join(links)
        + "\n</ul>\n</nav>"
    )


def drupal_listing(site: Site, entries: list[Article], title: str, pager: str) -> str:
    rows = "\n".join(drupal_teaser(a) for a in entries)
    return f"""<h1 class="page-title">{esc(title)}</h1>
<div class="views-element-container"><div class="view view-aktuelles view-id-aktuelles \
view-display-id-page_1">
<div class="view-content">
{rows}
</div>
{pager}
</div></div>"""


def drupal_pager(site: Site, n: int, pages: int, url: Callable[[int], str]) -> str:
    items = []
    if n > 1:
        items.append(
            f'<li class="pager__item pager__item--previous"><a href="{url(n - 1)}" rel="prev">'
            '<span aria-hidden="true">‹‹</span></a></li>'
        )
    for i in range(1, pages + 1):
        active = " is-active" if i == n else ""
        items.append(f'<li class="pager__item{active}"><a href="{url(i)}">{i}</a></li>')
    if n < pages:
        items.append(
            f'<li class="pager__item pager__item--next"><a href="{url(n + 1)}" rel="next">'
            '<span aria-hidden="true">››</span></a></li>'
        )
    return (
        '<nav class="pager" role="navigation" aria-labelledby="pagination-heading">\n'
        '<h4 id="pagination-heading" class="visually-hidden">Pagination</h4>\n'
        '<ul class="pager__items js-pager__items">\n' + "\n".join(items) + "\n</ul>\n</nav>"
    )


# --- Joomla-like ---------------------------------------------------------------------------


JOOMLA_CSS = "/media/templates/site/cassiopeia/css/template.min.css?b1d4e2"


def joomla_document(page: Page) -> str:
    site, lab = page.site, page.site.labels
    nav = "\n".join(
        f'<li class="nav-item item-{101 + i}"><a href="{path}">{esc(label)}</a></li>'
        for i, (label, path) in enumerate(((lab["home"], "/"), *site.nav))
    )
    latest = "\n".join(
        f'<li itemscope itemtype="https://schema.org/Article"><a href="{a.path}" itemprop="url">'
        f'<span itemprop="name">{esc(a.title)}</span></a></li>'
        for a in page.articles[:5]
    )
    cats = "\n".join(
        f'<li><a href="/index.php/category/{kind_slug(site.lang, k)}">'
        f"{esc(kind_label(site.lang, k))}</a> ({n})</li>"
        for k, n in kinds_count(page.articles)
    )
    cloud = "\n".join(
        f'<span class="tag"><a class="tag-name" style="font-size: {1 + min(n, 6) * 0.15:.2f}em" '
        f'href="/index.php/component/tags/tag/{slugify(t)}">{esc(t)}</a></span>'
        for t, n in tag_sizes(site, page.articles)
    )
    return f"""<!DOCTYPE html>
<html lang="{site.locale.lower()}" dir="ltr">
{head(page, JOOMLA_CSS, "Joomla! - Open Source Content Management")}
<body class="site com_content wrapper-static {page.body_class} has-sidebar-right">
<header class="header container-header full-width">
<div class="grid-child">
<div class="navbar-brand">
<a class="brand-logo" href="/"><span title="{esc(site.title)}">{esc(site.title)}</span></a>
<div class="site-description">{esc(site.tagline)}</div>
</div>
</div>
<div class="grid-child container-nav">
<ul class="mod-menu mod-list nav ">
{nav}
</ul>
</div>
</header>
<div class="site-grid">
<div class="grid-child container-component">
<nav class="mod-breadcrumbs__wrapper" aria-label="Breadcrumbs">
<ol class="mod-breadcrumbs breadcrumb px-3 py-2">
<li class="mod-breadcrumbs__item breadcrumb-item"><a href="/" class="pathway">{lab["home"]}</a></li>
<li class="mod-breadcrumbs__item breadcrumb-item"><a href="/index.php/news" class="pathway">\
{lab["news"]}</a></li>
</ol>
</nav>
<main>
{page.main}
</main>
</div>
<div class="grid-child container-sidebar-right">
<div class="sidebar-right card ">
<h3 class="card-header ">{esc(lab["latest"])}</h3>
<div class="card-body"><ul class="mod-articleslatest latestnews mod-list">
{latest}
</ul></div>
</div>
<div class="sidebar-right card ">
<h3 class="card-header ">{esc(lab["categories"])}</h3>
<div class="card-body"><ul class="mod-articlescategories categories-module mod-list">
{cats}
</ul></div>
</div>
<div class="sidebar-right card ">
<h3 class="card-header ">{esc(lab["tags"])}</h3>
<div class="card-body"><div class="mod-tagspopular-cloud tagspopular tagscloud">
{cloud}
</div></div>
</div>
</div>
</div>
<footer class="container-footer footer full-width">
<div class="grid-child">
<ul class="mod-menu mod-list nav ">
<li class="nav-item"><a href="/index.php/about">{esc(lab["about"])}</a></li>
<li class="nav-item"><a href="/index.php/contact">{esc(lab["contact"])}</a></li>
<li class="nav-item"><a href="/index.php/privacy">{esc(lab["privacy"])}</a></li>
</ul>
<p>© 2026 {esc(site.title)}. All rights reserved.</p>
</div>
</footer>
</body>
</html>
"""


def joomla_info(a: Article, later: bool = False) -> str:
    site, lab = a.site, a.site.labels
    author = (
        f'<dd class="createdby" itemprop="author" itemscope itemtype="https://schema.org/Person">'
        f'<span class="icon-user icon-fw" aria-hidden="true"></span>Written by: '
        f'<span itemprop="name">{esc(a.author)}</span></dd>'
        if a.author
        else ""
    )
    updated = ""
    if later and a.updated is not None:
        updated = (
            f'<dd class="modified"><span class="icon-calendar icon-fw" aria-hidden="true"></span>'
            f'<time datetime="{a.updated.isoformat()}" itemprop="dateModified">{lab["updated"]}: '
            f"{human_date(site.lang, a.updated)}</time></dd>"
        )
    return f"""<dl class="article-info text-muted">
<dt class="article-info-term">Details</dt>
{author}
<dd class="category-name"><span class="icon-folder-open icon-fw" aria-hidden="true"></span>\
Category: <a href="/index.php/category/{kind_slug(site.lang, a.kind)}" itemprop="genre">\
{esc(kind_label(site.lang, a.kind))}</a></dd>
<dd class="published"><span class="icon-calendar icon-fw" aria-hidden="true"></span>\
<time datetime="{a.when.isoformat()}" itemprop="datePublished">Published: \
{a.when.day:02d} {MONTHS["en"].split()[a.when.month - 1]} {a.when.year}</time></dd>
{updated}
</dl>"""


def joomla_teaser(a: Article) -> str:
    return f"""<div class="com-content-category-blog__item blog-item" itemprop="blogPost" \
itemscope itemtype="https://schema.org/BlogPosting">
<div class="item-content">
<div class="page-header">
<h2 itemprop="name"><a href="{a.path}" itemprop="url">{esc(a.title)}</a></h2>
</div>
{joomla_info(a)}
<p>{esc(summary(a))}</p>
<p class="readmore"><a class="btn btn-secondary" href="{a.path}" aria-label="Read more: \
{esc(a.title)}"><span class="icon-chevron-right" aria-hidden="true"></span>Read more …</a></p>
</div>
</div>"""


def joomla_article(a: Article, later: bool, prev: Article | None, nxt: Article | None) -> str:
    lab = a.site.labels
    tags = "\n".join(
        f'<li class="list-inline-item tag-list0" itemprop="keywords"><a href="/index.php/'
        f'component/tags/tag/{slugify(t)}" class="btn btn-sm btn-info">{esc(t)}</a></li>'
        for t in a.tags
    )
    links = ""
    if prev is not None:
        links += (
            f'<a class="btn btn-sm btn-secondary previous" href="{prev.path}" rel="prev">'
            f'<span class="visually-hidden">{lab["prev_post"]}: {esc(prev.title)}</span>'
            f'<span class="icon-chevron-left" aria-hidden="true"></span> {lab["prev_post"]}</a>'
        )
    if nxt is not None:
        links += (
            f'<a class="btn btn-sm btn-secondary next" href="{nxt.path}" rel="next">'
            f'<span class="visually-hidden">{lab["next_post"]}: {esc(nxt.title)}</span>'
            f'{lab["next_post"]} <span class="icon-chevron-right" aria-hidden="true"></span></a>'
        )
    return f"""<article class="com-content-article item-page" itemscope \
itemtype="https://schema.org/Article">
<meta itemprop="inLanguage" content="{a.site.locale}">
<div class="page-header">
<h1 itemprop="headline">{esc(a.title)}</h1>
</div>
{joomla_info(a, later)}
<div itemprop="articleBody" class="com-content-article__body">
{body_html(a.body(later), "h3")}
</div>
<ul class="tags list-inline">
{tags}
</ul>
<nav class="pagenavigation" aria-label="Page Navigation"><span class="pagination ms-0">{links}\
</span></nav>
</article>"""


def joomla_listing(site: Site, entries: list[Article], title: str, pager: str) -> str:
    items = "\n".join(joomla_teaser(a) for a in entries)
    return f"""<div class="com-content-category-blog blog" itemscope \
itemtype="https://schema.org/Blog">
<div class="page-header"><h1>{esc(title)}</h1></div>
<div class="com-content-category-blog__items blog-items ">
{items}
</div>
{pager}
</div>"""


def joomla_pager(site: Site, n: int, pages: int, url: Callable[[int], str]) -> str:
    def item(label: str, target: int, aria: str, icon: str = "") -> str:
        if target < 1 or target > pages or target == n:
            return f'<li class="disabled page-item"><span class="page-link">{label}</span></li>'
        inner = f'<span class="{icon}" aria-hidden="true"></span>' if icon else label
        return (
            f'<li class="page-item"><a aria-label="{aria}" href="{url(target)}" '
            f'class="page-link">{inner}</a></li>'
        )

    numbers = [
        f'<li class="active page-item"><a aria-current="true" aria-label="Page {i}" href="#" '
        f'class="page-link">{i}</a></li>'
        if i == n
        else item(str(i), i, f"Go to page {i}")
        for i in range(1, pages + 1)
    ]
    items = [
        item("Start", 1, "Go to start page", "icon-angle-double-left"),
        item("Prev", n - 1, "Go to previous page", "icon-angle-left"),
        *numbers,
        item("Next", n + 1, "Go to next page", "icon-angle-right"),
        item("End", pages, "Go to end page", "icon-angle-double-right"),
    ]
    counter = site.labels["page_of"].format(n=n, m=pages)
    return f"""<div class="com-content-category-blog__navigation w-100">
<p class="com-content-category-blog__counter counter float-end pt-3 pe-2">{counter}</p>
<div class="com-content-category-blog__pagination">
<nav class="pagination__wrapper" aria-label="Pagination">
<ul class="pagination ms-0 mb-4">
{chr(10).join(items)}
</ul>
</nav>
</div>
</div>"""


# --- hand-made -----------------------------------------------------------------------------


def rel_link(page_path: str, target: str) -> str:
    """A relative link from one URL path to another, as a hand-made site writes them."""
    base = page_path if page_path.endswith("/") else posixpath.dirname(page_path) + "/"
    if target == "/":
        return posixpath.relpath("/index.html", base)
    out = posixpath.relpath(target, base)
    return out + "/" if target.endswith("/") and not out.endswith("/") else out


def handmade_document(page: Page) -> str:
    site, lab = page.site, page.site.labels

    def link(target: str) -> str:
        return rel_link(page.path, target)

    nav = " | ".join(
        f'<a href="{link(path)}">{esc(label)}</a>'
        for label, path in ((lab["home"], "/"), *site.nav)
    )
    latest = "<br>\n".join(
        f'&raquo; <a href="{link(a.path)}">{esc(a.title)}</a>' for a in page.articles[:4]
    )
    cats = "<br>\n".join(
        f'<a href="{link("/rubrique-" + kind_slug(site.lang, k) + ".html")}">'
        f"{esc(kind_label(site.lang, k))}</a> ({n})"
        for k, n in kinds_count(page.articles)
    )
    cloud = "\n".join(
        f'<a href="{link("/mot-" + slugify(t) + ".html")}" '
        f'style="font-size:{10 + 2 * min(n, 6)}px">'
        f"{esc(t)}</a>"
        for t, n in tag_sizes(site, page.articles)
    )
    return f"""<!DOCTYPE html>
<html lang="{site.lang}">
{head(page, link("/style.css"))}
<body>
<div id="conteneur">
<div id="bandeau">
<a href="{link("/")}"><img src="{link("/images/logo.gif")}" alt="{esc(site.title)}" width="120" \
height="80" border="0"></a>
<span class="titre-site">{esc(site.title)}</span><br>
<span class="slogan">{esc(site.tagline)}</span>
</div>
<div id="barre">{nav}</div>
<table width="100%" cellpadding="6" cellspacing="0" border="0">
<tr>
<td id="contenu" valign="top">
{page.main}
</td>
<td id="colonne" valign="top" width="220">
<div class="encadre">
<b>{esc(lab["latest"])}</b><br>
{latest}
</div>
<div class="encadre">
<b>{esc(lab["categories"])}</b><br>
{cats}
</div>
<div class="encadre nuage">
<b>{esc(lab["tags"])}</b><br>
{cloud}
</div>
</td>
</tr>
</table>
<div id="pied">© 2026 {esc(site.title)} — \
<a href="{link("/contact.html")}">{esc(lab["contact"])}</a> \
— <a href="{link("/legal.html")}">{esc(lab["privacy"])}</a></div>
</div>
</body>
</html>
"""


def handmade_listing_entry(page_path: str, a: Article) -> str:
    href = rel_link(page_path, a.path)
    return f"""<div class="actu">
<span class="date">{a.when:%d/%m/%Y}</span> — <a class="titre" href="{href}">{esc(a.title)}</a>
<p>{esc(summary(a))} <a href="{href}">{esc(a.site.labels["read_more"])}</a></p>
</div>
<hr>"""


def handmade_article(a: Article, later: bool, prev: Article | None, nxt: Article | None) -> str:
    lab = a.site.labels
    author = f"<br>{lab['by']} {esc(a.author)}" if a.author else ""
    around = []
    if prev is not None:
        around.append(f'<a href="{rel_link(a.path, prev.path)}">« {esc(prev.title)}</a>')
    if nxt is not None:
        around.append(f'<a href="{rel_link(a.path, nxt.path)}">{esc(nxt.title)} »</a>')
    shown = f"{a.when:%d.%m.%Y %H:%M}" if a.site.lang == "ru" else human_date(a.site.lang, a.when)
    return f"""<article class="actu-complete">
<h1>{esc(a.title)}</h1>
<p class="date">{esc(kind_label(a.site.lang, a.kind))} — {esc(shown)}{author}</p>
{body_html(a.body(later), "h3")}
</article>
<p class="autour">{" | ".join(around)}</p>"""


# --- a generic news theme ------------------------------------------------------------------


def modern_document(page: Page) -> str:
    site, lab = page.site, page.site.labels
    nav = "\n".join(
        f'<li><a href="{path}">{esc(label)}</a></li>'
        for label, path in ((lab["home"], "/"), *site.nav)
    )
    latest = "\n".join(
        f'<li><a href="{a.path}">{esc(a.title)}</a> <span class="date">'
        f"{a.when:%d.%m.%Y}</span></li>"
        for a in page.articles[:6]
    )
    cats = "\n".join(
        f'<li><a href="/category/{kind_slug(site.lang, k)}/">{esc(kind_label(site.lang, k))}</a>'
        f" <span>({n})</span></li>"
        for k, n in kinds_count(page.articles)
    )
    cloud = "\n".join(
        f'<a href="/tag/{slugify(t)}/" class="tag size-{min(n, 5)}">{esc(t)}</a>'
        for t, n in tag_sizes(site, page.articles)
    )
    sources = ""
    if site.sources:
        items = "\n".join(
            f'<li><a href="{{{{site:{name}}}}}/">{esc(label)}</a></li>'
            for name, label in site.sources
        )
        sources = f"""<section class="block block-sources">
<h3>Party websites</h3>
<ul>
{items}
</ul>
</section>"""
    return f"""<!doctype html>
<html lang="{site.lang}">
{head(page, "/assets/css/main.css?v=3")}
<body class="{page.body_class}">
<a class="skip" href="#main">{esc(lab["skip"])}</a>
<header class="site-header">
<div class="container">
<a class="logo" href="/">{esc(site.title)}</a>
<span class="tagline">{esc(site.tagline)}</span>
<nav class="main-nav" aria-label="Main">
<ul>
{nav}
</ul>
</nav>
<form class="search" action="/search" method="get"><input type="search" name="q" \
placeholder="{esc(lab["search"])}"></form>
</div>
</header>
<div class="container layout">
<main id="main" class="content">
{page.main}
</main>
<aside class="sidebar">
<section class="block block-latest">
<h3>{esc(lab["latest"])}</h3>
<ul>
{latest}
</ul>
</section>
<section class="block block-categories">
<h3>{esc(lab["categories"])}</h3>
<ul>
{cats}
</ul>
</section>
<section class="block block-tags">
<h3>{esc(lab["tags"])}</h3>
<div class="tag-cloud">
{cloud}
</div>
</section>
{sources}
</aside>
</div>
<footer class="site-footer">
<div class="container">
<ul class="footer-links">
<li><a href="/about/">{esc(lab["about"])}</a></li>
<li><a href="/contact/">{esc(lab["contact"])}</a></li>
<li><a href="{site.feed_path or "/"}">RSS</a></li>
</ul>
<p class="copyright">© 2026 {esc(site.title)}</p>
</div>
</footer>
</body>
</html>
"""


def modern_article(a: Article, later: bool, prev: Article | None, nxt: Article | None) -> str:
    site, lab = a.site, a.site.labels
    author = f' <span class="author">{lab["by"]} {esc(a.author)}</span>' if a.author else ""
    updated = ""
    if later and a.updated is not None:
        updated = f" · {lab['updated']} {html_date(site, a.updated)}"
    tags = " ".join(f'<a href="/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in a.tags)
    source = ""
    if a.republish:
        name, _, _slug = a.republish.partition("/")
        original = {x.slug: x for x in ALL[name]}[_slug]
        source = (
            f'<p class="source">{lab["source"]}: <a href="{{{{site:{name}}}}}{original.path}">'
            f"{esc(original.site.title)}</a> · {lab['first_published']} "
            f"{esc(human_date(site.lang, original.when))}</p>"
        )
    around = []
    if prev is not None:
        around.append(f'<a class="prev" href="{prev.path}" rel="prev">← {esc(prev.title)}</a>')
    if nxt is not None:
        around.append(f'<a class="next" href="{nxt.path}" rel="next">{esc(nxt.title)} →</a>')
    return f"""<article class="article article--{a.kind}" itemscope \
itemtype="https://schema.org/NewsArticle">
<header class="article-header">
<a class="article-kind" href="/category/{kind_slug(site.lang, a.kind)}/">\
{esc(kind_label(site.lang, a.kind))}</a>
<h1 class="article-title" itemprop="headline">{esc(a.title)}</h1>
<p class="article-meta">{html_date(site, a.when, "published", "datePublished")}{author}{updated}</p>
</header>
<div class="article-body" itemprop="articleBody">
{body_html(a.body(later))}
</div>
{source}
<footer class="article-footer"><div class="article-tags">{tags}</div></footer>
</article>
<nav class="article-nav">{" ".join(around)}</nav>"""


def modern_teaser(a: Article) -> str:
    return f"""<article class="teaser">
<span class="teaser-kind">{esc(kind_label(a.site.lang, a.kind))}</span>
<h3 class="teaser-title"><a href="{a.path}">{esc(a.title)}</a></h3>
<p class="teaser-meta">{html_date(a.site, a.when)}</p>
<p class="teaser-summary">{esc(summary(a))}</p>
</article>"""


# --- pages of a site -----------------------------------------------------------------------

DOCUMENTS: dict[str, Callable[[Page], str]] = {
    "wordpress": wp_document,
    "drupal": drupal_document,
    "joomla": joomla_document,
    "handmade": handmade_document,
    "modern": modern_document,
}
ARTICLES: dict[str, Callable[[Article, bool, Article | None, Article | None], str]] = {
    "wordpress": wp_article,
    "drupal": drupal_article,
    "joomla": joomla_article,
    "handmade": handmade_article,
    "modern": modern_article,
}
ALL: dict[str, list[Article]] = {}


def body_class(site: Site, what: str, a: Article | None = None) -> str:
    if site.cms == "wordpress":
        if what == "article" and a is not None:
            return (
                f"post-template-default single single-post postid-{a.number} single-format-standard"
            )
        return "home blog" if what == "home" else "archive category paged"
    if site.cms == "drupal":
        return "path-node page-node-type-article" if what == "article" else "path-frontpage"
    if site.cms == "joomla":
        return "view-article layout-blog" if what == "article" else "view-category layout-blog"
    return f"page-{what}"


def article_page(site: Site, a: Article, shown: list[Article], later: bool) -> str:
    """An article page; ``shown`` is the site's articles (newest first) in the same state."""
    order = sorted(shown, key=lambda x: x.when)
    i = order.index(a)
    prev = order[i - 1] if i > 0 else None
    nxt = order[i + 1] if i + 1 < len(order) else None
    main = ARTICLES[site.cms](a, later, prev, nxt)
    page = Page(
        site,
        a.path,
        f"{a.title} – {site.title}",
        main,
        shown,
        body_class=body_class(site, "article", a),
        article=a,
    )
    return DOCUMENTS[site.cms](page)


def listing_pages(site: Site, shown: list[Article]) -> dict[str, str]:
    """The paged listing of a site without a feed: URL path -> HTML.

    Articles published later go on top of the first page, which grows by as many: the other
    pages stay as they were, as they would between two polls of a real site.
    """
    assert site.listing is not None
    first, pattern = site.listing
    per = site.per_page
    extra = sum(1 for a in shown if a.later)
    pages = max(1, -(-(len(shown) - extra) // per))

    def url(n: int) -> str:
        path = first if n == 1 else pattern.format(n=n)
        return SITE + path if site.cms == "wordpress" else path

    out = {}
    for n in range(1, pages + 1):
        path = first if n == 1 else pattern.format(n=n)
        start = 0 if n == 1 else (n - 1) * per + extra
        entries = shown[start : n * per + extra]
        title = site.labels["news"]
        links = ""
        if n < pages and site.cms in ("wordpress", "joomla"):
            links = f'<link rel="next" href="{url(n + 1)}">'
        if n > 1 and site.cms in ("wordpress", "joomla"):
            links += f'\n<link rel="prev" href="{url(n - 1)}">'
        if site.cms == "handmade":
            main = handmade_main(site, path, entries, n, pages, url)
        else:
            render, pager = LISTINGS[site.cms]
            page_title = (
                title if n == 1 else f"{title} – {site.labels['page_of'].format(n=n, m=pages)}"
            )
            main = render(site, entries, page_title, pager(site, n, pages, url))
        page = Page(
            site,
            path,
            f"{title} – {site.title}",
            main,
            shown,
            head=links,
            body_class=body_class(site, "listing"),
        )
        out[path] = DOCUMENTS[site.cms](page)
    return out


def handmade_main(
    site: Site, path: str, entries: list[Article], n: int, pages: int, url: Callable[[int], str]
) -> str:
    lab = site.labels
    rows = "\n".join(handmade_listing_entry(path, a) for a in entries)
    numbers = " ".join(
        f"<b>{i}</b>" if i == n else f'<a href="{rel_link(path, url(i))}">{i}</a>'
        for i in range(1, pages + 1)
    )
    nxt = f' &nbsp; <a href="{rel_link(path, url(n + 1))}">{lab["next"]}</a>' if n < pages else ""
    return f"""<h1>{esc(lab["news"])}</h1>
{rows}
<p class="pages">Pages : {numbers}{nxt}</p>"""


LISTINGS: dict[str, tuple[Callable[..., str], Callable[..., str]]] = {
    "wordpress": (wp_listing, wp_pager),
    "drupal": (drupal_listing, drupal_pager),
    "joomla": (joomla_listing, joomla_pager),
}


def home_page(site: Site, shown: list[Article]) -> str:
    """The home page: the latest items, as each CMS shows them."""
    lab = site.labels
    latest = shown[:10]
    if site.cms == "wordpress":
        main = "\n".join(wp_teaser(a) for a in latest)
    elif site.cms == "drupal":
        main = drupal_listing(site, latest[:6], lab["home"], "")
    elif site.cms == "joomla":
        main = joomla_listing(site, latest[:5], lab["home"], "")
    elif site.cms == "handmade":
        rows = "\n".join(handmade_listing_entry("/", a) for a in latest)
        main = f"<h1>{esc(lab['news'])}</h1>\n{rows}"
    else:
        more = ""
        if site.listing:
            more = f'<p class="more"><a href="{site.listing[0]}">{esc(lab["news"])} »</a></p>'
        main = (
            f'<section class="news-list">\n<h2 class="section-title">{esc(lab["news"])}</h2>\n'
            + "\n".join(modern_teaser(a) for a in latest)
            + f"\n</section>\n{more}"
        )
    page = Page(site, "/", site.title, main, shown, body_class=body_class(site, "home"))
    return DOCUMENTS[site.cms](page)


def static_page(site: Site, path: str, title: str, text: str, shown: list[Article]) -> str:
    main = f'<div class="page-content">\n<h1>{esc(title)}</h1>\n<p>{esc(text)}</p>\n</div>'
    page = Page(site, path, f"{title} – {site.title}", main, shown, body_class="page")
    return DOCUMENTS[site.cms](page)


def static_paths(site: Site) -> dict[str, str]:
    """Where a CMS keeps its about and contact pages."""
    return {
        "wordpress": {"about": "/about/", "contact": "/contact/"},
        "drupal": {"about": "/about", "contact": "/contact"},
        "joomla": {"about": "/index.php/about", "contact": "/index.php/contact"},
        "handmade": {
            "about": "/parti.html" if site.lang == "fr" else "/about.html",
            "contact": "/contact.html",
        },
        "modern": {"about": "/about/", "contact": "/contact/"},
    }[site.cms]


# --- feeds and sitemaps --------------------------------------------------------------------


def xml_head(site: Site) -> str:
    return f'<?xml version="1.0" encoding="{site.encoding}"?>\n'


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def rss2(site: Site, shown: list[Article], later: bool) -> str:
    items = []
    for a in shown:
        parts = [
            f"<title>{esc(a.title)}</title>",
            f"<link>{a.url}</link>",
            f'<guid isPermaLink="false">{SITE}/?p={a.number}</guid>',
            f"<pubDate>{format_datetime(a.when)}</pubDate>",
            f"<dc:creator>{cdata(a.author or site.title)}</dc:creator>",
            f"<category>{cdata(kind_label(site.lang, a.kind))}</category>",
            *(f"<category>{cdata(t)}</category>" for t in a.tags),
            f"<description>{cdata(summary(a, later))}</description>",
        ]
        if site.full_text:
            parts.append(f"<content:encoded>{cdata(body_html(a.body(later)))}</content:encoded>")
        items.append("<item>\n" + "\n".join(parts) + "\n</item>")
    built = max((a.updated or a.when) if later else a.when for a in shown)
    return (
        xml_head(site)
        + '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n'
        "<channel>\n"
        f"<title>{esc(site.title)}</title>\n"
        f'<atom:link href="{SITE}{site.feed_path}" rel="self" type="application/rss+xml"/>\n'
        f"<link>{SITE}/</link>\n"
        f"<description>{esc(site.tagline)}</description>\n"
        f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>\n"
        f"<language>{site.locale.lower() if site.lang != 'el' else 'el'}</language>\n"
        + (
            "<generator>https://wordpress.org/?v=6.8.3</generator>\n"
            if site.cms == "wordpress"
            else ""
        )
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    )


def atom(site: Site, shown: list[Article], later: bool) -> str:
    entries = []
    for a in shown:
        changed = a.updated if later and a.updated else a.when
        author = f"<author><name>{esc(a.author or site.title)}</name></author>"
        text = (
            f'<content type="html">{esc(body_html(a.body(later)))}</content>'
            if site.full_text
            else f'<summary type="html">{esc(summary(a, later))}</summary>'
        )
        entries.append(
            "<entry>\n"
            f"{author}\n"
            f'<title type="html">{esc(a.title)}</title>\n'
            f'<link rel="alternate" type="text/html" href="{a.url}"/>\n'
            f"<id>{SITE}/?p={a.number}</id>\n"
            f"<updated>{changed.isoformat()}</updated>\n"
            f"<published>{a.when.isoformat()}</published>\n"
            f'<category scheme="{SITE}" term="{esc(kind_label(site.lang, a.kind))}"/>\n'
            f"{text}\n"
            "</entry>"
        )
    updated = max((a.updated or a.when) if later else a.when for a in shown)
    return (
        xml_head(site)
        + f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{site.locale.lower()}">\n'
        f'<title type="text">{esc(site.title)}</title>\n'
        f'<subtitle type="text">{esc(site.tagline)}</subtitle>\n'
        f"<updated>{updated.isoformat()}</updated>\n"
        f'<link rel="alternate" type="text/html" href="{SITE}/"/>\n'
        f"<id>{SITE}{site.feed_path}</id>\n"
        f'<link rel="self" type="application/atom+xml" href="{SITE}{site.feed_path}"/>\n'
        '<generator uri="https://wordpress.org/" version="6.8.3">WordPress</generator>\n'
        + "\n".join(entries)
        + "\n</feed>\n"
    )


def json_feed(site: Site, shown: list[Article], later: bool) -> str:
    items = []
    for a in shown:
        item: dict[str, Any] = {
            "id": f"{SITE}/?p={a.number}",
            "url": a.url,
            "title": a.title,
            "summary": summary(a, later),
            "date_published": a.when.isoformat(),
        }
        if later and a.updated:
            item["date_modified"] = a.updated.isoformat()
        if site.full_text:
            item["content_html"] = body_html(a.body(later))
        item["authors"] = [{"name": a.author or site.title}]
        item["tags"] = [kind_label(site.lang, a.kind), *a.tags]
        item["language"] = site.lang
        items.append(item)
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": site.title,
        "home_page_url": f"{SITE}/",
        "feed_url": f"{SITE}{site.feed_path}",
        "description": site.tagline,
        "language": site.lang,
        "items": items,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def rdf(site: Site, shown: list[Article], later: bool) -> str:
    seq = "\n".join(f'<rdf:li rdf:resource="{a.url}"/>' for a in shown)
    items = "\n".join(
        f'<item rdf:about="{a.url}">\n'
        f"<title>{esc(a.title)}</title>\n"
        f"<link>{a.url}</link>\n"
        f"<description>{esc(summary(a, later))}</description>\n"
        f"<dc:date>{a.when.isoformat()}</dc:date>\n"
        f"<dc:creator>{esc(a.author or site.title)}</dc:creator>\n"
        f"<dc:subject>{esc(kind_label(site.lang, a.kind))}</dc:subject>\n"
        f"<dc:language>{site.lang}</dc:language>\n"
        "</item>"
        for a in shown
    )
    return (
        xml_head(site) + '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<channel rdf:about="{SITE}{site.feed_path}">\n'
        f"<title>{esc(site.title)}</title>\n"
        f"<link>{SITE}/</link>\n"
        f"<description>{esc(site.tagline)}</description>\n"
        f"<dc:language>{site.lang}</dc:language>\n"
        f"<items>\n<rdf:Seq>\n{seq}\n</rdf:Seq>\n</items>\n"
        "</channel>\n" + items + "\n</rdf:RDF>\n"
    )


FEEDS: dict[str, Callable[[Site, list[Article], bool], str]] = {
    "rss2": rss2,
    "atom": atom,
    "json": json_feed,
    "rdf": rdf,
}


def sitemaps(site: Site, shown: list[Article]) -> dict[str, str]:
    """A sitemap index and one news sitemap per month, as an SEO plugin writes them."""
    months: dict[str, list[Article]] = {}
    for a in sorted(shown, key=lambda x: x.when):
        months.setdefault(f"{a.when:%Y-%m}", []).append(a)
    out = {}
    index = []
    for month, articles in months.items():
        path = f"/news-sitemap-{month}.xml"
        last = max(a.when for a in articles)
        index.append(
            f"<sitemap>\n<loc>{SITE}{path}</loc>\n<lastmod>{last.isoformat()}</lastmod>\n</sitemap>"
        )
        urls = "\n".join(
            "<url>\n"
            f"<loc>{a.url}</loc>\n"
            f"<lastmod>{a.when.isoformat()}</lastmod>\n"
            "<news:news>\n<news:publication>\n"
            f"<news:name>{esc(site.title)}</news:name>\n"
            f"<news:language>{site.lang}</news:language>\n"
            "</news:publication>\n"
            f"<news:publication_date>{a.when.isoformat()}</news:publication_date>\n"
            f"<news:title>{esc(a.title)}</news:title>\n"
            "</news:news>\n</url>"
            for a in articles
        )
        out[path] = (
            xml_head(site) + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            + urls
            + "\n</urlset>\n"
        )
    out["/sitemap_index.xml"] = (
        xml_head(site)
        + '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(index)
        + "\n</sitemapindex>\n"
    )
    return out


# --- a whole site --------------------------------------------------------------------------

CSS = """body{font-family:Georgia,serif;margin:0;color:#222}a{color:#a40000}
header,footer{background:#a40000;color:#fff;padding:1em}header a,footer a{color:#fff}
main,.content,#contenu{max-width:46em;padding:1em}aside,#colonne{font-size:.9em}
"""


def site_files(site: Site, articles: list[Article], later: bool) -> dict[str, str]:
    """Every file of a site in one state (before or after the later edits): path -> text."""
    shown = sorted((a for a in articles if later or not a.later), key=lambda a: a.when)[::-1]
    files: dict[str, str] = {"index.html": home_page(site, shown)}
    for a in shown:
        files[a.file] = article_page(site, a, shown, later)
    if site.listing:
        for path, text in listing_pages(site, shown).items():
            files[file_of(path)] = text
    if site.feed and site.feed_path:
        files[file_of(site.feed_path)] = FEEDS[site.feed](site, shown, later)
    if site.sitemap:
        for path, text in sitemaps(site, shown).items():
            files[file_of(path)] = text
    lab = site.labels
    paths = static_paths(site)
    files[file_of(paths["about"])] = static_page(
        site, paths["about"], lab["about"], site.about, shown
    )
    files[file_of(paths["contact"])] = static_page(
        site, paths["contact"], lab["contact"], site.contact, shown
    )
    if site.robots:
        files["robots.txt"] = site.robots
    stylesheet = {
        "wordpress": None,
        "drupal": None,
        "joomla": None,
        "handmade": "style.css",
        "modern": "assets/css/main.css",
    }[site.cms]
    if stylesheet:
        files[stylesheet] = CSS
    return files


def changed_later(site: Site, articles: list[Article]) -> dict[str, str]:
    """The files that differ after the later edits; only what changes goes to ``_later/``."""
    if not any(a.later or a.edited for a in articles):
        return {}
    before = site_files(site, articles, later=False)
    after = site_files(site, articles, later=True)
    keep = set()
    new = [a for a in articles if a.later]
    for a in articles:
        if a.later or a.edited:
            keep.add(a.file)
    if site.feed_path:
        keep.add(file_of(site.feed_path))
    if site.sitemap:
        keep |= {p for p in after if p.endswith(".xml")}
    if new:
        keep.add("index.html")
        if site.listing:
            keep.add(file_of(site.listing[0]))
    return {p: t for p, t in after.items() if p in keep and before.get(p) != t}


def as_directories(files: dict[str, str], others: set[str]) -> dict[str, str]:
    """``a/b`` becomes ``a/b/index.html`` where ``a/b/...`` exists too (in either state): the
    replay server serves a directory's index.html for its path, with or without a slash."""
    dirs = {
        "/".join(p.split("/")[:i]) for p in set(files) | others for i in range(1, p.count("/") + 1)
    }
    return {(p + "/index.html" if p in dirs else p): t for p, t in files.items()}


def write_site(site: Site, articles: list[Article], root: Path) -> None:
    directory = root / site.name
    now = site_files(site, articles, later=False)
    later = changed_later(site, articles)
    for path, text in as_directories(now, set(later)).items():
        write(directory / path, text, site)
    for path, text in as_directories(later, set(now)).items():
        write(directory / LATER / path, text, site)
    if site.encoding != "utf-8":
        codec = {"windows-1251": "cp1251", "iso-8859-7": "iso8859_7"}[site.encoding]
        config = {"charset": site.encoding, "encode": codec}
        write(directory / "_replay.json", json.dumps(config, indent=2) + "\n", site)


def write(path: Path, text: str, site: Site) -> None:
    if site.encoding != "utf-8":
        text.encode({"windows-1251": "cp1251", "iso-8859-7": "iso8859_7"}[site.encoding])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def manifest() -> str:
    entries = [
        {
            "site": s.name,
            "org": s.org,
            "kind": s.kind,
            "path": s.source,
            "language": s.lang,
            "rights": s.rights,
            "recipe": s.recipe,
            "title": s.title,
        }
        for s in SITES
    ]
    return json.dumps(entries, ensure_ascii=False, indent=2) + "\n"


def copy_republished() -> None:
    """Fills each republished article's body from the original's first version."""
    for articles in ALL.values():
        for a in articles:
            if a.republish:
                name, _, slug = a.republish.partition("/")
                original = {x.slug: x for x in ALL[name]}[slug]
                a.copied = original.body(later=False)


def generate(root: Path) -> None:
    ALL.clear()
    for site in SITES:
        ALL[site.name] = read_content(site)
    copy_republished()
    for site in SITES:
        write_site(site, ALL[site.name], root)


def same_tree(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.diff_files or compared.funny_files:
        return False
    return all(same_tree(a / d, b / d) for d in compared.common_dirs)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "sites"
        generate(fresh)
        text = manifest()
        if "--check" in argv:
            same = same_tree(fresh, OUTPUT) and MANIFEST.read_text("utf-8") == text
            print("up to date" if same else "out of date: run tools/gen_demo_sites.py")
            return 0 if same else 1
        if OUTPUT.exists():
            shutil.rmtree(OUTPUT)
        shutil.copytree(fresh, OUTPUT)
        MANIFEST.write_text(text, encoding="utf-8")
    total = sum(len([a for a in v if not a.later]) for v in ALL.values())
    later = sum(len([a for a in v if a.later]) for v in ALL.values())
    print(f"{len(SITES)} sites, {total} articles (+{later} later) in {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""End-to-end ingest: a polling round that fetches, extracts, links and stores 5,000 articles.

usage: .venv/bin/python bench/ingest_speed.py [--articles N] [--sites N] [--repeat N] [--json]
                                              [--profile] [--write] [--fetch-timeout S]

Everything runs on this machine, over loopback HTTP, in a temporary directory:

1. Generate (seeded, so always the same) ``--sites`` sites of a party each, for the replay server
   (:mod:`tribune.replay.server`, one 127.0.0.1 port per site): an RSS feed of ``articles /
   sites`` entries carrying summaries only (so every item needs its page fetched and
   extracted), the article pages with CMS chrome around them (cookie banner, header, navigation,
   breadcrumbs, related links, sidebar, footer, scripts) and an ``<article>`` with an ``h1``, a
   ``time``, a byline and 5–12 paragraphs (sometimes a sub-heading, a quotation or a figure),
   and a robots.txt. The prose comes from :mod:`newsgen` (English, with the real party names of
   the packaged KB, so the linker finds mentions); every other site writes in Spanish,
   Portuguese, French, German, Italian, Greek or Turkish from the short templates below, naming
   parties by their native names.
2. pipeline: a fresh SQLite database (``tribune.db.migrate.upgrade`` and
   ``tribune.kb.load.load_kb`` once into a template, copied for each run), one ``feed`` source
   per site (``add_source``), then ``tribune.ingest.poll.poll(db, which="all", settings=...)``
   with ``Settings(allow_private_networks=True)`` and the default fetch limits, timed around the
   call (wall clock). The round runs in a child process and the replay server in this one, so
   neither takes the other's interpreter lock; the child's start-up is not timed, the linker
   build inside ``poll`` is. Every run must store exactly ``--articles`` items, each with its
   page's text: a round that stores feed summaries instead (its page fetch failed, which
   ``poll`` tolerates) did less work than the reference, and is reported as not a valid
   measure (exit status 1). ``--fetch-timeout`` overrides the fetch timeout of the round.
3. reference: ``trafilatura.extract`` alone on the same pages (read from the generated files,
   ``{{site}}`` replaced by the base URL the server used, so the input is byte for byte what the
   pipeline fetched), with the options ``tribune.ingest.extract.extract_page`` uses for these
   pages (``include_formatting``, ``include_links``, the page URL; no metadata search, since
   each feed entry has its title and date), in a ``ProcessPoolExecutor(max_workers=2)``; wall
   clock from the pool's creation to the last result, pages already in memory. A second
   reference adds ``with_metadata=True``, as the pipeline asked for it before.
4. floor: the least work this measure allows, to show what the goal leaves. Two processes
   (forked like the reference's) each fetch half of the pages from the same replay server with
   an httpx2 client of their own and extract each with the reference's options; nothing is
   stored, linked or compared, and no page crosses a process. Its ratio to the reference is the
   ratio no pipeline fetching through httpx2 could beat on this machine. A second floor
   extracts with metadata, to compare with the reference with metadata.

Runs alternate (pipeline, references, floor) ``--repeat`` times; the medians and their ratio
(pipeline ÷ reference; goal ≤ 1.5) are printed, with the time of the four understanding stages
``poll`` runs after the sources (each stage's ``run`` timed in the child) and the ratio of the
gathering alone (the pipeline's time less the stages'). ``--profile`` adds one more pipeline
round under cProfile (not counted in the medians) and prints its top 25 functions by
cumulative time (and by own time) in the child process: where the time of the process running
``poll`` goes, whatever ``poll`` does inside. ``--json`` prints the results as JSON;
``--write`` replaces the "Gathering: ingest of 5,000 articles" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import cProfile
import html
import io
import json
import multiprocessing
import pstats
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import trafilatura

from benchdoc import load_average, machine, replace_section
from newsgen import HEADLINES, TOPICS, Party, _Writer, load_parties

HEADING = "Gathering: ingest of 5,000 articles"
GOAL_RATIO = 1.5
MB = 1_000_000
SECTIONS = ("Politics", "Economy", "Labour", "International", "Youth", "Opinion", "Archive")
TAGS = ("strike", "elections", "prices", "war", "congress", "housing", "health", "solidarity")
# as tribune.ingest.extract.extract_page asks for a feed entry with a title and a date (every
# entry here): the page's metadata is not searched for
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_formatting": True,
    "include_links": True,
    "with_metadata": False,
}
# the reference of the earlier figures, when the pipeline asked for the page's metadata too
WITH_METADATA: dict[str, Any] = {**EXTRACT_OPTIONS, "with_metadata": True}

# Short templates for the sites that do not write in English (written for this benchmark). The
# slots are those of newsgen; parties are named by their native names.
FOREIGN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "es": (
        ("{P} convoca una huelga general en {city}", "Declaración de {P} sobre los presupuestos"),
        (
            "{P} convocó una manifestación en {city} con la participación de {num} personas.",
            "Según {person}, portavoz de {P}, los salarios han perdido un {pct} de su poder "
            "adquisitivo desde {year}.",
            "Los trabajadores del puerto de {city} mantienen la huelga desde hace {small} días.",
            "{P2} expresó su solidaridad con los huelguistas y pidió la retirada de la reforma.",
            "El gobierno aprobó un presupuesto que recorta {money} en sanidad pública.",
            "«No aceptaremos más recortes», declaró {person} ante la asamblea de {n} delegados.",
        ),
    ),
    "pt": (
        ("{P} realiza o seu congresso em {city}", "Greve dos professores: {P} exige resposta"),
        (
            "{P} realizou o seu congresso em {city}, com {n} delegados eleitos.",
            "Os preços dos alimentos subiram {pct} no último ano, denunciou {person}.",
            "A greve dos professores em {city} entrou no {small}.º dia consecutivo.",
            "{P2} enviou uma mensagem de saudação aos trabalhadores em luta.",
            "O parlamento rejeitou a proposta de {P} por {n} votos contra {small}.",
            "A manifestação reuniu {num} pessoas no centro de {city}, segundo os organizadores.",
        ),
    ),
    "fr": (
        ("{P} appelle à manifester à {city}", "Retraites : la déclaration de {P}"),
        (
            "{P} appelle à manifester à {city} contre la réforme des retraites.",
            "Selon {person}, plus de {num} salariés ont participé à la grève de {weekday}.",
            "Les loyers ont augmenté de {pct} en un an, alors que les salaires stagnent.",
            "{P2} a salué la mobilisation et demandé l'ouverture de négociations.",
            "Le gouvernement a trouvé {money} pour les banques, mais rien pour les hôpitaux.",
            "« La lutte ne fait que commencer », a déclaré {person} devant {n} militants.",
        ),
    ),
    "de": (
        ("{P} ruft zur Kundgebung in {city} auf", "Erklärung von {P} zum Haushalt"),
        (
            "{P} rief für Samstag zu einer Kundgebung in {city} auf.",
            "Nach Angaben von {person} beteiligten sich {num} Beschäftigte am Warnstreik.",
            "Die Mieten in {city} sind seit {year} um {pct} gestiegen.",
            "{P2} erklärte sich mit den Streikenden solidarisch.",
            "Das Parlament beschloss zusätzliche Ausgaben von {money} für Rüstung.",
            "„Wir zahlen nicht für eure Krise“, sagte {person} vor {n} Delegierten.",
        ),
    ),
    "it": (
        ("Presidio di {P} a {city}", "{P}: la manovra colpisce i lavoratori"),
        (
            "{P} ha organizzato un presidio davanti alla prefettura di {city}.",
            "Secondo {person}, i salari reali sono diminuiti del {pct} dal {year}.",
            "Lo sciopero dei lavoratori della logistica è durato {small} giorni.",
            "{P2} ha espresso pieno sostegno alla lotta dei portuali di {city}.",
            "Il governo ha stanziato {money} per le spese militari.",
            "Al corteo hanno partecipato {num} persone, secondo gli organizzatori.",
        ),
    ),
    "el": (
        ("Συλλαλητήριο του {P} στην πόλη {city}", "Ανακοίνωση του {P} για τον προϋπολογισμό"),
        (
            "Το {P} πραγματοποίησε συλλαλητήριο στην πόλη {city} με τη συμμετοχή {num} ανθρώπων.",
            "Σύμφωνα με τον {person}, οι τιμές στα τρόφιμα αυξήθηκαν κατά {pct}.",
            "Οι εργαζόμενοι στα λιμάνια συνεχίζουν την απεργία για {small} ημέρες.",
            "Το {P2} εξέφρασε την αλληλεγγύη του στους απεργούς.",
            "Η κυβέρνηση ενέκρινε δαπάνες {money} για εξοπλισμούς.",
            "Η Βουλή ψήφισε το νομοσχέδιο με {n} ψήφους υπέρ και {small} κατά.",
        ),
    ),
    "tr": (
        ("{P} {city} kentinde miting düzenledi", "{P}: zamlar geri alınsın"),
        (
            "{P}, {city} kentinde {num} kişinin katıldığı bir miting düzenledi.",
            "{person}, gıda fiyatlarının son bir yılda {pct} oranında arttığını söyledi.",
            "Liman işçilerinin grevi {small}. gününe girdi.",
            "{P2}, grevci işçilerle dayanışma içinde olduğunu açıkladı.",
            "Hükümet silahlanmaya {money} ayırdı.",
            "Meclis, yasa tasarısını {n} oya karşı {small} oyla kabul etti.",
        ),
    ),
}
LANGUAGES = ("en", "es", "en", "pt", "en", "fr", "en", "de", "en", "it", "en", "el", "en", "tr")


def say(*parts: object) -> None:
    """Progress, on stderr (stdout carries the results)."""
    print(*parts, file=sys.stderr, flush=True)


# --- the generated sites ---------------------------------------------------------------------


class _NativeWriter(_Writer):
    """newsgen's writer, naming parties by their native names (no English article)."""

    def party(self, other: bool = False) -> str:
        p = self.rng.choice(self.parties) if other or self.rng.random() < 0.3 else self.home
        first = p.id not in self.named
        self.named.add(p.id)
        name = p.native or p.name
        if first and p.acronyms:
            return f"{name} ({p.acronyms[0]})"
        if p.acronyms and self.rng.random() < 0.5:
            return self.rng.choice(p.acronyms)
        return name


@dataclass
class Page:
    path: str  # URL path on its site
    title: str
    summary: str
    author: str
    when: datetime
    paragraphs: list[str]
    blocks: list[str] = field(default_factory=list)  # the entry content's HTML blocks


@dataclass
class Site:
    name: str
    party: Party
    language: str
    pages: list[Page] = field(default_factory=list)
    feed_path: str = "/feed.xml"

    @property
    def directory_name(self) -> str:
        return self.name


def _slug(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60] or "article"


def _article(rng: random.Random, site: Site, parties: list[Party], when: datetime) -> Page:
    """One article: title, summary (its first sentence), 5–12 paragraphs and their HTML."""
    day = when.date()
    if site.language == "en":
        writer: _Writer = _Writer(rng, parties, site.party)
        headlines, pool = HEADLINES, None
    else:
        writer = _NativeWriter(rng, parties, site.party)
        headlines, pool = FOREIGN[site.language]
    title = writer.fill(rng.choice(headlines), day)
    paragraphs = []
    for _ in range(rng.randrange(5, 13)):
        sentences = list(pool or TOPICS[rng.choice(tuple(TOPICS))])
        rng.shuffle(sentences)
        paragraphs.append(" ".join(writer.fill(s, day) for s in sentences[: rng.randrange(2, 5)]))
    blocks = [f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs]
    if rng.random() < 0.4:
        where = rng.randrange(2, len(blocks))
        blocks.insert(where, f"<h2>{html.escape(writer.fill(rng.choice(headlines), day))}</h2>")
    if rng.random() < 0.3:
        quote = html.escape(writer.fill(rng.choice(pool or TOPICS["strike"]), day))
        blocks.insert(rng.randrange(1, len(blocks)), f"<blockquote><p>{quote}</p></blockquote>")
    if rng.random() < 0.3:
        n = rng.randrange(1000, 9999)
        blocks.insert(
            1,
            f'<figure><img src="{{{{site}}}}/media/{n}.jpg" alt="" width="800" height="450">'
            f"<figcaption>{html.escape(writer.fill('{city}, {date}.', day))}</figcaption></figure>",
        )
    summary = re.split(r"(?<=[.!?])\s", paragraphs[0], maxsplit=1)[0]
    author = writer.fill("{person}", day)
    path = f"/{when.year}/{when.month:02d}/{_slug(title)}-{len(site.pages) + 1}.html"
    return Page(path, title, summary, author, when, paragraphs, blocks)


def _links(items: list[tuple[str, str]]) -> str:
    return "".join(f'<li><a href="{{{{site}}}}{p}">{html.escape(t)}</a></li>' for p, t in items)


def render_page(site: Site, page: Page, latest: list[Page], related: list[Page]) -> str:
    """The page of an article, with the chrome a party's CMS puts around it."""
    e = html.escape
    name = e(site.party.native or site.party.name)
    iso = page.when.isoformat()
    human = f"{page.when.day} {page.when:%B %Y}, {page.when:%H:%M}"
    nav = _links([("/", "Home")] + [(f"/category/{s.lower()}/", s) for s in SECTIONS])
    months = [(page.when - timedelta(days=31 * i)) for i in range(1, 7)]
    archive = _links([(f"/{m.year}/{m.month:02d}/", f"{m:%B %Y}") for m in months])
    tags = ", ".join(
        f'<a rel="tag" href="{{{{site}}}}/tag/{t}/">{t}</a>'
        for t in random.Random(page.path).sample(TAGS, 3)
    )
    body = "\n".join(page.blocks)
    return f"""<!DOCTYPE html>
<html lang="{site.language}">
<head>
<meta charset="utf-8">
<title>{e(page.title)} | {name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{e(page.summary)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(page.title)}">
<meta property="og:url" content="{{{{site}}}}{page.path}">
<meta property="og:site_name" content="{name}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="{{{{site}}}}{page.path}">
<link rel="alternate" type="application/rss+xml" title="{name}" href="{{{{site}}}}/feed.xml">
<link rel="stylesheet" href="{{{{site}}}}/assets/style.css?ver=6.4.2">
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}
gtag('js',new Date());gtag('config','G-XXXXXXX');</script>
</head>
<body class="single single-post postid-{zlib.crc32(page.path.encode()) % 99999}">
<div id="cookie-notice" class="cookie-banner"><p>We use cookies to measure the audience of this
site. <a href="{{{{site}}}}/privacy/">Privacy policy</a></p><button>Accept</button>
<button>Refuse</button></div>
<header class="site-header">
<div class="site-branding"><a href="{{{{site}}}}/" rel="home"><img
src="{{{{site}}}}/assets/logo.svg" alt="{name}"></a><p class="site-title">{name}</p></div>
<nav class="main-navigation" aria-label="Main"><ul class="menu">{nav}</ul></nav>
<form class="search-form" action="{{{{site}}}}/"><input type="search" name="s"
placeholder="Search"><button type="submit">Search</button></form>
<ul class="social"><li><a href="https://twitter.com/">X</a></li><li><a
href="https://www.facebook.com/">Facebook</a></li><li><a href="https://t.me/">Telegram</a></li></ul>
</header>
<div class="breadcrumbs"><a href="{{{{site}}}}/">Home</a> › <a
href="{{{{site}}}}/category/politics/">Politics</a> › <span>{e(page.title)}</span></div>
<div id="content" class="site-content">
<main id="main" class="site-main">
<article class="post type-post status-publish format-standard hentry">
<header class="entry-header">
<h1 class="entry-title">{e(page.title)}</h1>
<div class="entry-meta"><time class="entry-date published" datetime="{iso}">{human}</time>
<span class="byline">by <a class="url fn n" rel="author"
href="{{{{site}}}}/author/{_slug(page.author)}/">{e(page.author)}</a></span></div>
</header>
<div class="entry-content">
{body}
</div>
<footer class="entry-footer"><span class="tags-links">Tags: {tags}</span>
<div class="share">Share: <a href="https://twitter.com/intent/tweet?url={{{{site}}}}{page.path}">X</a>
<a href="https://www.facebook.com/sharer.php?u={{{{site}}}}{page.path}">Facebook</a>
<a href="mailto:?subject={e(page.title)}">E-mail</a> <a href="javascript:window.print()">Print</a>
</div></footer>
</article>
<section class="related-posts"><h3>Related</h3>
<ul>{_links([(p.path, p.title) for p in related])}</ul></section>
</main>
<aside id="secondary" class="widget-area">
<section class="widget widget_recent_entries"><h3 class="widget-title">Latest</h3>
<ul>{_links([(p.path, p.title) for p in latest])}</ul></section>
<section class="widget widget_newsletter"><h3 class="widget-title">Newsletter</h3>
<form action="{{{{site}}}}/newsletter/"><input type="email" name="email" placeholder="E-mail">
<button>Subscribe</button></form></section>
<section class="widget widget_archive"><h3 class="widget-title">Archive</h3>
<ul>{archive}</ul></section>
</aside>
</div>
<footer class="site-footer">
<ul class="footer-menu">{FOOTER}</ul>
<p class="copyright">© {page.when.year} {name}. All rights reserved.</p>
</footer>
<script src="{{{{site}}}}/assets/jquery.min.js?ver=3.7.1"></script>
<script src="{{{{site}}}}/assets/theme.js?ver=2.1" defer></script>
</body>
</html>
"""


def render_feed(site: Site, pages: list[Page], *, full_text: bool = False) -> str:
    """An RSS 2.0 feed of *pages*, newest first: summaries only, or with the full text."""
    e = html.escape
    name = e(site.party.native or site.party.name)
    items = []
    for page in pages:
        content = ""
        if full_text:
            body = "\n".join(page.blocks).replace("]]>", "]]&gt;")
            content = f"\n<content:encoded><![CDATA[{body}]]></content:encoded>"
        items.append(
            f"<item><title>{e(page.title)}</title><link>{{{{site}}}}{page.path}</link>\n"
            f'<guid isPermaLink="false">{site.name}-{e(page.path)}</guid>'
            f"<pubDate>{format_datetime(page.when)}</pubDate>\n"
            f"<dc:creator>{e(page.author)}</dc:creator>"
            f"<description>{e(page.summary)}</description>{content}</item>"
        )
    newest = format_datetime(pages[0].when) if pages else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"<title>{name}</title><link>{{{{site}}}}/</link>\n"
        f"<description>News of {name}</description><language>{site.language}</language>\n"
        f"<lastBuildDate>{newest}</lastBuildDate>\n" + "\n".join(items) + "\n</channel>\n</rss>\n"
    )


FOOTER = _links(
    [("/about/", "About"), ("/contact/", "Contact"), ("/press/", "Press"), ("/feed.xml", "RSS")]
)
ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nDisallow: /private/\n"


def make_site_data(n_sites: int, per_site: list[int], seed: int) -> list[Site]:
    """Sites of one party each (a distinct party of the packaged KB), with their articles."""
    parties = load_parties()
    rng = random.Random(seed)
    pool = [p for p in parties if p.acronyms and p.native]
    if n_sites <= len(pool):
        homes = rng.sample(pool, n_sites)
    else:
        homes = [rng.choice(pool) for _ in range(n_sites)]
    start = datetime(2026, 11, 1, 18, 0, tzinfo=UTC)
    sites = []
    for i, party in enumerate(homes):
        site = Site(f"site{i:03d}", party, LANGUAGES[i % len(LANGUAGES)])
        srng = random.Random(seed * 1009 + i)
        when = start
        for _ in range(per_site[i]):
            when -= timedelta(minutes=srng.randrange(20, 600))
            site.pages.append(_article(srng, site, parties, when))
        sites.append(site)
    return sites


def write_sites(root: Path, articles: int, n_sites: int, seed: int = 20261201) -> list[Site]:
    """Generate the ingest corpus under *root*: one directory per site, for the replay server."""
    per_site = [articles // n_sites + (i < articles % n_sites) for i in range(n_sites)]
    sites = make_site_data(n_sites, per_site, seed)
    for site in sites:
        directory = root / site.name
        directory.mkdir(parents=True)
        (directory / "robots.txt").write_text(ROBOTS, encoding="utf-8")
        (directory / "feed.xml").write_text(render_feed(site, site.pages), encoding="utf-8")
        for i, page in enumerate(site.pages):
            latest = [p for p in site.pages[max(0, i - 9) : i + 1] if p is not page][:8]
            related = site.pages[i + 1 : i + 5]
            file = directory / page.path.lstrip("/")
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(render_page(site, page, latest, related), encoding="utf-8")
    return sites


# --- databases and the measured round (shared with poll_304.py) ------------------------------


def make_template(path: Path) -> Path:
    """A SQLite database migrated with the project's code and holding the packaged KB."""
    from tribune.db.engine import Database
    from tribune.db.migrate import upgrade
    from tribune.kb.load import load_kb

    db = Database(f"sqlite:///{path.absolute()}")
    upgrade(db)
    load_kb(db)
    db.dispose()
    with contextlib.closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def fresh_db(template: Path, path: Path) -> str:
    """A copy of the template database at *path*; its URL."""
    shutil.copyfile(template, path)
    return f"sqlite:///{path.absolute()}"


def add_feeds(url: str, feeds: list[tuple[str, str, str]]) -> None:
    """One ``feed`` source per (URL, organisation id, language)."""
    from tribune.db.engine import Database
    from tribune.ingest.sources import NewSource, add_source

    db = Database(url)
    for feed_url, org, language in feeds:
        add_source(db, NewSource(url=feed_url, org_id=org, kind="feed", language=language))
    db.dispose()


def status_mb(name: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, in MB."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1]) * 1024 / MB
    return float("nan")


def print_profile(prof: cProfile.Profile, top: int = 25) -> None:
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    say(f"\n### cProfile of the round, top {top} by cumulative time\n{out.getvalue()}")
    out.seek(0)
    out.truncate()
    stats.sort_stats("tottime").print_stats(top)
    say(f"\n### cProfile of the round, top {top} by own time\n{out.getvalue()}")


STAGES = ("kind_stage", "joint_stage", "role_stage", "story_stage")


def _timed_stages() -> dict[str, float]:
    """Wall seconds of each understanding stage ``poll`` runs after the sources, filled in as
    they run (each stage's ``run`` wrapped in a timer)."""
    import tribune.ingest.poll as polling

    seconds: dict[str, float] = {}
    for name in STAGES:
        module = getattr(polling, name)

        def timed(*args: Any, _run: Any = module.run, _name: str = name, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return _run(*args, **kwargs)
            finally:
                seconds[_name] = seconds.get(_name, 0.0) + time.perf_counter() - start

        module.run = timed
    return seconds


def poll_child(url: str, profile: bool, fetch_timeout: float | None = None) -> None:
    """In a fresh process: one ``poll(which="all")`` round on *url*; its figures as JSON."""
    from tribune.config import Settings
    from tribune.db.engine import Database
    from tribune.ingest.poll import poll

    stages = _timed_stages()
    timeout = {"fetch_timeout_s": fetch_timeout} if fetch_timeout else {}
    settings = Settings(database_url=url, allow_private_networks=True, **timeout)
    db = Database(url)
    rss_before = status_mb("VmRSS")
    prof = cProfile.Profile() if profile else None
    start = time.perf_counter()
    if prof is not None:
        reports = prof.runcall(poll, db, which="all", settings=settings)
    else:
        reports = poll(db, which="all", settings=settings)
    seconds = time.perf_counter() - start
    peak = status_mb("VmHWM")
    if prof is not None:
        print_profile(prof)
    counts: Counter[str] = Counter()
    for r in reports:
        counts.update(r.counts)
    figures = {
        "seconds": seconds,
        "sources": len(reports),
        "outcomes": dict(Counter(r.outcome for r in reports)),
        "counts": dict(counts),
        "errors": [f"{r.url}: {r.error}" for r in reports if r.outcome == "error"][:5],
        "stages_s": stages,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak,
        "fetch_concurrency": settings.fetch_concurrency,
        "fetch_per_host": settings.fetch_per_host,
        "settings": settings.model_dump(exclude={"database_url", "user_agent"}),
    }
    print(json.dumps(figures))


def run_poll_child(
    script: str, url: str, *, profile: bool = False, fetch_timeout: float | None = None
) -> dict[str, Any]:
    """Run ``script --child URL`` (its :func:`poll_child`); its figures plus the process's."""
    options = ["--profile"] if profile else []
    if fetch_timeout:
        options += ["--fetch-timeout", str(fetch_timeout)]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, script, "--child", url, *options],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"the polling child failed ({done.returncode})")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = time.perf_counter() - start
    return figures


# --- the reference ---------------------------------------------------------------------------


def _extract(job: tuple[str, str], options: dict[str, Any] = EXTRACT_OPTIONS) -> int:
    page, url = job
    text = trafilatura.extract(page, url=url, **options)
    return len(text or "")


def _extract_with_metadata(job: tuple[str, str]) -> int:
    return _extract(job, WITH_METADATA)


def reference(
    jobs: list[tuple[str, str]], workers: int = 2, *, metadata: bool = False
) -> tuple[float, int]:
    """Wall seconds for trafilatura alone on every page in a pool, and how many gave text.

    trafilatura is imported and warmed up here first; the workers are forked from this process,
    so they start with it loaded, as a pool inside the polling process would.
    """
    _extract(jobs[0])
    context = multiprocessing.get_context("fork")
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        task = _extract_with_metadata if metadata else _extract
        sizes = list(pool.map(task, jobs, chunksize=16))
    return time.perf_counter() - start, sum(1 for s in sizes if s > 0)


# --- the floor: the least work the measure allows ----------------------------------------------


def _fetch_and_extract(urls: list[str], metadata: bool = False) -> tuple[int, int]:
    """In a pool worker: fetch *urls* over HTTP with an httpx2 client of its own, eight at a
    time, and extract each page as the reference does (``metadata``: as the reference with
    metadata does); (pages answered 200, pages with text)."""
    import asyncio

    import httpx2

    async def run() -> tuple[int, int]:
        slots = asyncio.Semaphore(8)
        answered = with_text = 0
        async with httpx2.AsyncClient() as client:

            async def one(url: str) -> None:
                nonlocal answered, with_text
                async with slots:
                    response = await client.get(url)
                if response.status_code == 200:
                    answered += 1
                    job = (response.text, url)
                    with_text += (_extract_with_metadata(job) if metadata else _extract(job)) > 0

            await asyncio.gather(*(one(u) for u in urls))
        return answered, with_text

    return asyncio.run(run())


def _fetch_and_extract_with_metadata(urls: list[str]) -> tuple[int, int]:
    return _fetch_and_extract(urls, metadata=True)


def floor(urls: list[str], workers: int = 2, *, metadata: bool = False) -> tuple[float, int, int]:
    """Wall seconds to fetch every page from the replay server and extract it, nothing else.

    Each of ``workers`` processes (forked, trafilatura warm, as for the reference) fetches its
    share with its own client and extracts inline: no page crosses a process, nothing is stored,
    linked or compared. The least any pipeline fetching through httpx2 could take here.
    """
    _extract(("<html><body><p>warm</p></body></html>", "http://127.0.0.1/"))
    context = multiprocessing.get_context("fork")
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        task = _fetch_and_extract_with_metadata if metadata else _fetch_and_extract
        parts = list(pool.map(task, [urls[i::workers] for i in range(workers)]))
    seconds = time.perf_counter() - start
    return seconds, sum(a for a, _ in parts), sum(t for _, t in parts)


# --- main ------------------------------------------------------------------------------------


def items_stored(url: str, longer_than: int = 0) -> tuple[int, int]:
    """Items in the database, and those whose text is longer than *longer_than* characters."""
    with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as raw:
        total = raw.execute("SELECT count(*) FROM items").fetchone()[0]
        query = "SELECT count(*) FROM items WHERE length(body_text) > ?"
        full = raw.execute(query, (longer_than,)).fetchone()[0]
    return int(total), int(full)


def table(r: dict[str, Any]) -> str:
    pipe, ref = r["pipeline_s"], r["reference_s"]
    p, q, ratio = statistics.median(pipe), statistics.median(ref), r["ratio"]
    each = ", ".join(f"{t:.1f}" for t in pipe)
    each_ref = ", ".join(f"{t:.1f}" for t in ref)
    met = "met" if ratio <= GOAL_RATIO else "MISSED"
    n = r["articles"]
    meta = r["reference_metadata_s"]
    m, meta_each = statistics.median(meta), ", ".join(f"{t:.1f}" for t in meta)
    fl = r["floor_s"]
    f, floor_each = statistics.median(fl), ", ".join(f"{t:.1f}" for t in fl)
    flm = r["floor_metadata_s"]
    fm, floor_meta_each = statistics.median(flm), ", ".join(f"{t:.1f}" for t in flm)
    totals = [sum(st.values()) for st in r["stages_s"]]
    stage_s = statistics.median(totals)
    middle = r["stages_s"][totals.index(sorted(totals)[len(totals) // 2])]
    stage_each = ", ".join(f"{k.removesuffix('_stage')} {v:.1f}" for k, v in middle.items())
    return "\n".join(
        [
            "| measure | value | goal | ratio to goal |",
            "| --- | --- | --- | --- |",
            f'| pipeline: `poll(which="all")`, {n:,} articles on {r["sites"]} sites, median of '
            f"{len(pipe)} rounds ({each}) | {p:.1f} s ({n / p:.0f} items/s) | – | – |",
            f"| reference: `trafilatura.extract` alone, 2 processes, median of {len(ref)} "
            f"({each_ref}) | {q:.1f} s ({n / q:.0f} pages/s) | – | – |",
            f"| pipeline ÷ reference (medians) | {ratio:.2f} | ≤ {GOAL_RATIO:g} "
            f"| {ratio / GOAL_RATIO:.2f}× ({met}) |",
            f"| of the pipeline: the four understanding stages after the sources, median "
            f"({stage_each}) | {stage_s:.1f} s | – | – |",
            f"| the gathering alone (pipeline less the stages) ÷ reference | "
            f"{r['gathering_ratio']:.2f} | ≤ {GOAL_RATIO:g} | "
            f"{r['gathering_ratio'] / GOAL_RATIO:.2f}× "
            f"({'met' if r['gathering_ratio'] <= GOAL_RATIO else 'MISSED'}) |",
            f"| floor: fetching each page (httpx2, the same server) and extracting it, nothing "
            f"else, 2 processes with a client each, median of {len(fl)} ({floor_each}) "
            f"| {f:.1f} s; ÷ reference {r['floor_ratio']:.2f}; pipeline ÷ it {p / f:.2f} "
            f"| ≤ {GOAL_RATIO:g} | {r['floor_ratio'] / GOAL_RATIO:.2f}× "
            f"({'met' if r['floor_ratio'] <= GOAL_RATIO else 'MISSED'}) |",
            f"| reference with the page's metadata (`with_metadata=True`, the reference of the "
            f"earlier figures), median of {len(meta)} ({meta_each}) | {m:.1f} s; pipeline ÷ it "
            f"{p / m:.2f} | – | – |",
            f"| floor with the page's metadata, ÷ the reference with metadata, median of "
            f"{len(flm)} ({floor_meta_each}) | {fm:.1f} s; ÷ it "
            f"{r['floor_metadata_ratio']:.2f} | ≤ {GOAL_RATIO:g} | "
            f"{r['floor_metadata_ratio'] / GOAL_RATIO:.2f}× "
            f"({'met' if r['floor_metadata_ratio'] <= GOAL_RATIO else 'MISSED'}) |",
            f"| items stored / stored with the page's text (not the feed summary) / pages "
            f"requested, per round (fewest) | {r['stored']:,} / {r['full_text']:,} / "
            f"{r['pages_requested']:,} | {n:,} each | {'met' if r['valid'] else 'MISSED'} |",
            f"| corpus: pages (mean size) / feeds (mean size) | {n:,} "
            f"({r['page_kb']:.1f} kB) / {r['sites']} ({r['feed_kb']:.0f} kB) | – | – |",
            "| polling process: peak RSS (VmHWM, median; child processes it starts not counted) "
            f"| {statistics.median(r['peak_rss_mb']):.0f} MB | – | – |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000, help="articles (default 5000)")
    parser.add_argument("--sites", type=int, default=20, help="sites, one feed each (default 20)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each (default 3)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", action="store_true", help="one more round under cProfile")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--fetch-timeout",
        type=float,
        metavar="S",
        help="TRIBUNE_FETCH_TIMEOUT_S for the round (default: the project's default)",
    )
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        poll_child(args.child, args.profile, args.fetch_timeout)
        return
    if args.articles < args.sites:
        parser.error("--articles must be at least --sites")

    from tribune.replay.server import ReplayServer

    load = load_average()
    say(f"machine: {machine()}; load average {load}")
    results: dict[str, Any] = {
        "articles": args.articles,
        "sites": args.sites,
        "pipeline_s": [],
        "reference_s": [],
        "reference_metadata_s": [],
        "floor_s": [],
        "floor_metadata_s": [],
        "stages_s": [],
        "peak_rss_mb": [],
        "fetch_timeout": args.fetch_timeout,
        "valid": True,
        "machine": machine(),
        "load_average": load,
        "date": date.today().isoformat(),
    }
    with tempfile.TemporaryDirectory(prefix="tribune-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        start = time.perf_counter()
        sites = write_sites(tmp / "sites", args.articles, args.sites)
        files = [tmp / "sites" / s.name / p.path.lstrip("/") for s in sites for p in s.pages]
        results["page_kb"] = statistics.mean(f.stat().st_size for f in files) / 1000
        feeds = [tmp / "sites" / s.name / "feed.xml" for s in sites]
        results["feed_kb"] = statistics.mean(f.stat().st_size for f in feeds) / 1000
        seconds = time.perf_counter() - start
        say(f"generated {len(files):,} pages on {len(sites)} sites in {seconds:.1f} s")
        summary_chars = max(len(p.summary) for s in sites for p in s.pages)
        template = make_template(tmp / "template.db")
        with ReplayServer(tmp / "sites") as server:
            jobs = []
            for s in sites:
                base = server.sites[s.name]
                for p in s.pages:
                    text = (tmp / "sites" / s.name / p.path.lstrip("/")).read_text("utf-8")
                    jobs.append((text.replace("{{site}}", base), base + p.path))
            feed_list = [(server.url(s.name, s.feed_path), s.party.id, s.language) for s in sites]
            urls = [url for _, url in jobs]
            runs = [*range(args.repeat)] + (["profile"] if args.profile else [])
            for run in runs:
                url = fresh_db(template, tmp / f"run-{run}.db")
                add_feeds(url, feed_list)
                profiled = run == "profile"
                server.clear_log()
                figures = run_poll_child(
                    __file__, url, profile=profiled, fetch_timeout=args.fetch_timeout
                )
                stored, full = items_stored(url, summary_chars)
                pages = sum(
                    1 for s in sites for r in server.requests(s.name) if r.path.endswith(".html")
                )
                say(
                    f"pipeline{' (cProfile)' if profiled else ''}: {figures['seconds']:.1f} s, "
                    f"{stored:,} items, {full:,} with the page's text, {pages:,} pages "
                    f"requested; outcomes {figures['outcomes']}, counts {figures['counts']}, "
                    f"peak RSS {figures['peak_rss_mb']:.0f} MB"
                )
                for error in figures["errors"]:
                    say(f"  error: {error}")
                if stored != args.articles:
                    sys.exit(f"expected {args.articles:,} items stored, found {stored:,}")
                if full != args.articles:
                    say(
                        f"  WARNING: {args.articles - full:,} items were stored from the feed "
                        "summary: their page was not fetched or not extracted"
                    )
                (tmp / f"run-{run}.db").unlink()
                if profiled:
                    results["profile_s"] = figures["seconds"]
                    continue
                results["pipeline_s"].append(figures["seconds"])
                results["stages_s"].append(figures["stages_s"])
                results["peak_rss_mb"].append(figures["peak_rss_mb"])
                results["stored"] = stored
                results["full_text"] = min(full, results.get("full_text", full))
                results["pages_requested"] = min(pages, results.get("pages_requested", pages))
                results["valid"] = results["valid"] and full == args.articles
                results["settings"] = figures["settings"]
                results["fetch"] = {
                    "concurrency": figures["fetch_concurrency"],
                    "per_host": figures["fetch_per_host"],
                }
                seconds, with_text = reference(jobs)
                say(f"reference: {seconds:.1f} s, {with_text:,} pages gave text")
                results["reference_s"].append(seconds)
                seconds, with_text = reference(jobs, metadata=True)
                say(f"reference with metadata: {seconds:.1f} s, {with_text:,} pages gave text")
                results["reference_metadata_s"].append(seconds)
                for metadata in (False, True):
                    seconds, answered, with_text = floor(urls, metadata=metadata)
                    name = "floor with metadata" if metadata else "floor"
                    say(f"{name}: {seconds:.1f} s, {answered:,} pages, {with_text:,} gave text")
                    if answered != len(jobs):
                        sys.exit(f"the {name} fetched {answered:,} of {len(jobs):,} pages")
                    results["floor_metadata_s" if metadata else "floor_s"].append(seconds)
    results["ratio"] = statistics.median(results["pipeline_s"]) / statistics.median(
        results["reference_s"]
    )
    gathering = [
        p - sum(st.values())
        for p, st in zip(results["pipeline_s"], results["stages_s"], strict=True)
    ]
    results["gathering_s"] = gathering
    results["floor_ratio"] = statistics.median(results["floor_s"]) / statistics.median(
        results["reference_s"]
    )
    results["floor_metadata_ratio"] = statistics.median(
        results["floor_metadata_s"]
    ) / statistics.median(results["reference_metadata_s"])
    results["gathering_ratio"] = statistics.median(gathering) / statistics.median(
        results["reference_s"]
    )
    invalid = (
        ""
        if results["valid"]
        else f"\n\n**Not a valid measure**: in at least one round only {results['full_text']:,} "
        f"of the {args.articles:,} items were stored with their page's text (the others with "
        f"the feed summary: their page fetch failed), so the pipeline did less work than the "
        f"reference."
    )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print("\n" + table(results) + invalid)
    if args.write:
        command = " ".join([".venv/bin/python bench/ingest_speed.py", *sys.argv[1:]])
        fetch = results["fetch"]
        seconds = results["settings"]["fetch_timeout_s"]
        timeout = f"{seconds:g} s" + ("" if args.fetch_timeout else " (the default)")
        raised = (
            " `--fetch-timeout` raises the fetch timeout (which also counts the wait for a free "
            "fetch slot) so that no page fetch of the round times out and every item is stored "
            "with its page's text, as in the reference."
            if args.fetch_timeout
            else ""
        )
        replace_section(
            HEADING,
            f"`{command}` — {results['date']}, on {machine()}; load average at the start "
            f"{load} (1, 5, 15 min).\n\n{table(results)}{invalid}\n\n"
            f"One feed per site carrying summaries only, so every item costs a page fetch over "
            f"loopback HTTP (the replay server, in the benchmark's process), an extraction, "
            f"language detection, linking and a store with its near-duplicate check; fetch "
            f"limits are the defaults ({fetch['concurrency']} in flight, {fetch['per_host']} per "
            f"host), the fetch timeout {timeout}. The round runs in a child process; its time "
            f"is that of the `poll` call, linker build included. The reference is trafilatura "
            f"alone on the same pages with the options `extract_page` uses for them (formatting "
            f"and links kept; no search for the page's metadata, since the feed gave each "
            f"entry's title and date), two worker processes (one per core). Ratio: pipeline ÷ "
            f"reference; the goal is at most {GOAL_RATIO:g}."
            f"{raised}",
        )
        say("updated docs/benchmarks.md")
    if not results["valid"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

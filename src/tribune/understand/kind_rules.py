"""The words that say what kind of document a text is, in the demo languages and a few more.

Each kind has cue phrases. A phrase is matched as whole words on the folded text (lower case,
no diacritics, punctuation as spaces: :func:`tribune.understand.textnorm.normalise_name`), so
"Declaración" and "declaracion" are one cue; a final ``*`` matches any ending ("соболезн*":
"соболезнования", "соболезнует"), which Greek, Turkish and Russian inflection needs. Cues are
written as the words are spelt (folded the same way when compiled; Turkish "ı" stays a letter
of its own). They were written from how parties title and open these documents, before any
labelled text was read.

Weights: a kind whose cues are specific ("joint statement", "condolences") counts more than one
whose cues are common words ("statement", "elected"), since a joint statement's title holds
"statement" too.
"""

from __future__ import annotations

CUES: dict[str, tuple[str, ...]] = {
    "joint-statement": (
        # en
        "joint statement", "joint declaration", "common statement", "joint communique",
        "undersigned parties", "signatory parties", "parties signing", "signed by the following",
        # es, pt
        "declaracion conjunta", "comunicado conjunto", "partidos firmantes", "firman",
        "declaracao conjunta", "nota conjunta", "partidos signatarios", "subscrevem",
        # el, tr, ru
        "κοινη δηλωση", "κοινη ανακοινωση", "κοινη διακηρυξη", "υπογραφουν",
        "ortak açıklama", "ortak bildiri", "ortak deklarasyon", "imzacı*",
        "совместное заявление", "совместная декларация", "совместное обращение", "подписали",
        # fr, de, it
        "declaration commune", "communique commun", "gemeinsame erklarung",
        "dichiarazione congiunta", "comunicato congiunto",
    ),
    "condolence": (
        "condolence*", "passed away", "deep sorrow", "mourn*", "obituary", "farewell to comrade",
        "condolencia*", "pesame*", "fallecimiento", "fallecio", "profundo pesar",
        "condolencia*", "faleceu", "falecimento", "profundo pesar", "luto",
        "συλλυπητηρι*", "εφυγε απο τη ζωη", "θανατο του", "θανατο της", "πενθ*",
        "taziye*", "başsağlığı", "yaşamını yitir*", "hayatını kaybet*", "vefat*",
        "соболезн*", "скончал*", "кончин*", "ушел из жизни", "ушла из жизни", "траур*",
        "condoleance*", "deces", "beileid", "verstorben", "condoglianze", "cordoglio",
    ),
    "greeting": (
        "greeting*", "congratulat*", "message of solidarity", "solidarity message",
        "warm wishes", "we salute", "salutes",
        "saludo*", "felicita*", "mensaje de solidaridad",
        "saudacao", "saudacoes", "saudamos", "mensagem de solidariedade", "felicitac*",
        "χαιρετισμ*", "χαιρετιστηρι*", "συγχαρητηρι*", "μηνυμα αλληλεγγυης",
        "selam*", "kutla*", "tebrik*", "dayanışma mesajı",
        "приветств*", "поздравл*", "послание солидарности",
        "salutations", "message de solidarite", "grussbotschaft", "glückwunsch*", "saluto",
    ),
    "interview": (
        "interview*", "in an interview", "spoke to", "told the newspaper", "answered questions",
        "entrevista*", "en entrevista", "em entrevista",
        "συνεντευξ*",
        "röportaj*", "söyleşi*", "mülakat*",
        "интервью", "беседа с", "ответил на вопросы",
        "entretien", "intervista",
    ),
    "parliamentary": (
        "parliamentary question", "question to the commission", "written question",
        "in parliament", "european parliament", "mep", "meps", "plenary", "house of commons",
        "pregunta parlamentaria", "diputad*", "eurodiputad*", "pleno del",
        "congreso de los diputados",
        "pergunta ao governo", "requerimento", "deputad*", "assembleia da republica",
        "ερωτηση", "βουλευτ*", "ευρωβουλευτ*", "στη βουλη", "ευρωκοινοβουλι*",
        "soru önergesi", "milletvekil*", "tbmm", "meclis*",
        "депутат*", "госдум*", "государственной думе", "депутатский запрос",
        "question ecrite", "depute*", "anfrage", "abgeordnete*", "bundestag", "interrogazione",
    ),
    "campaign": (
        "join us", "join the", "campaign", "sign the petition", "petition", "vote for",
        "rally on", "mobilis*", "mobiliz*", "take part", "all out", "fund drive",
        "campana", "convoca*", "llamamiento", "manifestacion", "votad", "recogida de firmas",
        "campanha", "abaixo assinado", "apelo", "participa*", "vota na", "votar na",
        "εκστρατει*", "καλει*", "συλλαλητηρι*", "ψηφιστε", "ολοι στ*", "ολες και ολοι",
        "kampanya*", "çağrı*", "çağırıyoruz", "mitinge", "imza kampanyası", "oy ver*",
        "кампани*", "призыв*", "призывае*", "митинг*", "голосуй*", "подпиши*",
        "campagne", "appel a", "kampagne", "aufruf", "kundgebung", "campagna", "mobilitazione",
    ),
    "event-report": (
        "was held", "were held", "took place", "held in", "delegation", "visited", "concluded",
        "completed its work", "hundreds of", "thousands of", "attended",
        "se celebro", "tuvo lugar", "delegacion", "concluyo", "celebrado", "celebrada",
        "realizou se", "decorreu", "teve lugar", "delegacao", "concluiu",
        "πραγματοποιηθηκ*", "διεξηχθη", "αντιπροσωπει*", "ολοκληρωθηκ*", "συμμετειχ*",
        "gerçekleştiril*", "düzenlendi", "yapıldı", "heyet*", "katıldı",
        "состоял*", "прошел", "прошла", "прошли", "делегаци*", "завершил*",
        "s est tenu*", "delegation", "fand statt", "delegazione", "si e svolt*",
    ),
    "meeting-document": (
        "contribution of", "contribution to", "imcwp", "international meeting of communist",
        "resolution", "final declaration", "appeal of", "speech at the international",
        "contribucion", "encuentro internacional", "resolucion", "declaracion final",
        "contribuicao", "encontro internacional", "resolucao", "declaracao final",
        "συμβολη", "παρεμβαση του", "διεθνη συναντηση", "διεθνους συναντησης", "ψηφισμα",
        "τελικη διακηρυξη",
        "katkı*", "uluslararası toplantı*", "sonuç bildirge*", "karar tasarı*",
        "выступление на", "вклад", "международн* встреч*", "резолюци*", "итогов* декларац*",
        "rencontre internationale", "internationales treffen", "incontro internazionale",
        "contributo", "risoluzione",
    ),
    "article": (
        "article", "opinion", "analysis", "commentary", "op ed", "editorial", "essay",
        "articulo", "opinion", "analisis", "editorial",
        "artigo", "opiniao", "analise",
        "αρθρο", "αρθρογραφ*", "αναλυση", "αποψη",
        "makale*", "yazı", "görüş", "analiz", "köşe yazısı",
        "статья", "статье", "мнение", "анализ", "колонка",
        "tribune libre", "analyse", "artikel", "kommentar", "articolo", "commento", "analisi",
    ),
    "news": (
        "elected", "registered", "new issue", "is out", "appointed", "opened", "announced",
        "elegid*", "nuevo numero", "inscrit*",
        "eleit*", "novo numero", "inaugur*",
        "εξελεγ*", "κυκλοφορ*", "νεο τευχος",
        "seçildi", "yeni sayı*", "çıktı", "açıldı",
        "избран*", "вышел", "новый номер", "открыл*",
        "elu", "elue", "nouveau numero", "gewahlt", "neue ausgabe", "eletto", "nuovo numero",
    ),
    "statement": (
        "statement", "declaration", "press release", "press statement", "communique",
        "central committee", "political bureau", "politburo", "condemns", "denounces",
        "declaracion", "comunicado", "nota de prensa", "conden*", "denuncia*", "comite central",
        "buro politico",
        "declaracao", "nota do", "comissao politica", "comite central",
        "ανακοινωση", "δηλωση", "καταγγελ*", "καταδικ*", "γραφειο τυπου", "κεντρικη επιτροπη",
        "açıklama*", "bildiri*", "kınıyor*", "merkez komite*", "basın açıklaması",
        "заявлени*", "осужда*", "президиум*", "центральн* комитет*",
        "communique", "condamne", "erklarung", "pressemitteilung", "verurteilt",
        "dichiarazione", "comunicato", "condanna",
    ),
}  # fmt: skip

WEIGHTS = {
    "joint-statement": 2.0,
    "condolence": 2.0,
    "meeting-document": 1.6,
    "interview": 1.6,
    "parliamentary": 1.4,
    "greeting": 1.4,
    "campaign": 1.0,
    "event-report": 1.0,
    "article": 0.9,
    "statement": 0.8,
    "news": 0.7,
}

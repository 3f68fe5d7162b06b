"""Every misbehaviour of the replay server, through a whole polling round, on both databases.

Three sites (Greek RSS, Russian Atom, Portuguese RSS; summaries only, the text is on the article
pages) are polled cleanly first. Then one site misbehaves, every site publishes a third entry,
and the round runs again. The rule of the issue: the misbehaving source records a readable error
and backs off; the other sources of the round store their new entry; nothing stored earlier is
lost or changed; nothing is stored from the misbehaving answer.

Misbehaviours of article pages are tried too, of a new entry's page (the entry falls back to the
feed's summary) and of an earlier entry's page when it is re-fetched (the stored text stays as it
was). Wrong or missing charsets are not errors: the text must come out right.

A malformed feed that still yields entries is read as far as it goes, and the defect is recorded
on its source. Building the entity linker inside a round must not make other sources' fetches
time out.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import item_revisions, items, sources
from tribune.db.types import utcnow
from tribune.ingest.netguard import refusal
from tribune.ingest.poll import SourceReport, poll
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer
from tribune.understand.lang import detect_language
from tribune.understand.link import Linker

BASE = "{{site}}"  # the replay server writes the site's base URL here


@dataclass(frozen=True)
class Article:
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class Site:
    org: str
    feed: str  # path of the feed
    atom: bool
    lang: str
    declaration: str  # the feed's XML declaration, as sites write them
    articles: tuple[Article, Article, Article]  # the third is published between the rounds


SITES = {
    "kke": Site(
        org="gr-kke",
        feed="/rss.xml",
        atom=False,
        lang="el",
        declaration='<?xml version="1.0"?>',
        articles=(
            Article(
                "Όχι φρεγάτες στην Ερυθρά Θάλασσα",
                "Το ΚΚΕ καταγγέλλει την απόφαση της κυβέρνησης για τις φρεγάτες.",
                "Το Κομμουνιστικό Κόμμα Ελλάδας καταγγέλλει την απόφαση της κυβέρνησης να "
                "στείλει φρεγάτες στην Ερυθρά Θάλασσα. Η απόφαση αυτή σέρνει τη χώρα βαθύτερα "
                "στον ιμπεριαλιστικό πόλεμο και βάζει σε κίνδυνο τις ζωές των ναυτών και του "
                "λαού. Το ΚΚΕ καλεί τους εργαζόμενους και τη νεολαία να πάρουν μέρος στις "
                "συγκεντρώσεις το Σάββατο και να απαιτήσουν να γυρίσουν πίσω οι φρεγάτες.",
            ),
            Article(
                "Συλλαλητήρια το Σάββατο",
                "Συλλαλητήρια σε Αθήνα, Θεσσαλονίκη και Πάτρα.",
                "Συλλαλητήρια θα γίνουν στην Αθήνα, τη Θεσσαλονίκη και την Πάτρα το Σάββατο το "
                "μεσημέρι. Τα συνδικάτα των λιμανιών και των ναυπηγείων κάλεσαν τα μέλη τους σε "
                "στάση εργασίας τεσσάρων ωρών. Οι φοιτητές θα πορευτούν από τα πανεπιστήμια προς "
                "το κέντρο κάθε πόλης, και οι συνταξιούχοι θα είναι εκεί με τα δικά τους πανό.",
            ),
            Article(
                "Απεργία στα λιμάνια του Πειραιά",
                "Οι λιμενεργάτες του Πειραιά απεργούν για σαράντα οκτώ ώρες.",
                "Οι λιμενεργάτες του Πειραιά ξεκίνησαν απεργία σαράντα οκτώ ωρών ενάντια στην "
                "εντατικοποίηση της δουλειάς και τις απολύσεις. Το κόμμα εκφράζει την αλληλεγγύη "
                "του στους απεργούς και καλεί όλα τα σωματεία να στηρίξουν τον αγώνα τους. Η "
                "εργοδοσία προσπαθεί να τρομοκρατήσει τους εργαζόμενους, αλλά η απεργία "
                "συνεχίζεται με μεγάλη συμμετοχή σε όλους τους σταθμούς εμπορευματοκιβωτίων.",
            ),
        ),
    ),
    "kprf": Site(
        org="ru-kprf",
        feed="/feed.atom",
        atom=True,
        lang="ru",
        declaration='<?xml version="1.0" encoding="utf-8"?>',
        articles=(
            Article(
                "Заявление о росте цен",
                "Партия требует остановить рост цен на продукты и лекарства.",
                "Коммунистическая партия Российской Федерации требует остановить рост цен на "
                "продукты питания и лекарства. За последний год хлеб, молоко и крупы подорожали "
                "почти на треть, а зарплаты и пенсии остались на прежнем уровне. Партия "
                "предлагает ввести государственное регулирование цен на товары первой "
                "необходимости и повысить минимальную оплату труда.",
            ),
            Article(
                "Митинг в защиту пенсионеров",
                "В субботу пройдут митинги против повышения пенсионного возраста.",
                "В субботу в Москве и других городах пройдут митинги против повышения "
                "пенсионного возраста. Коммунисты призывают рабочих, студентов и ветеранов выйти "
                "на улицы и потребовать отмены несправедливой реформы. Организаторы ожидают, что "
                "в акциях примут участие тысячи человек из разных регионов страны.",
            ),
            Article(
                "Забастовка на заводе в Екатеринбурге",
                "Рабочие завода объявили забастовку из-за задержек зарплаты.",
                "Рабочие машиностроительного завода в Екатеринбурге объявили забастовку из-за "
                "многомесячных задержек заработной платы. Депутаты фракции посетили предприятие "
                "и встретились с трудовым коллективом. Партия требует немедленно погасить долги "
                "перед рабочими и наказать руководство, которое довело завод до кризиса.",
            ),
        ),
    ),
    "pcp": Site(
        org="pt-pcp",
        feed="/feed.xml",
        atom=False,
        lang="pt",
        declaration='<?xml version="1.0" encoding="UTF-8"?>',
        articles=(
            Article(
                "Aumento dos salários já",
                "O PCP exige o aumento geral dos salários e das pensões.",
                "O Partido Comunista Português exige o aumento geral dos salários e das pensões. "
                "Os preços da habitação, da energia e dos bens alimentares não param de subir, "
                "enquanto os grandes grupos económicos acumulam lucros recorde. O partido "
                "apresentará na Assembleia da República propostas para valorizar o salário "
                "mínimo nacional e travar a especulação.",
            ),
            Article(
                "Manifestação em Lisboa",
                "Milhares de trabalhadores desfilaram em Lisboa contra a precariedade.",
                "Milhares de trabalhadores desfilaram em Lisboa contra a precariedade e pela "
                "defesa dos serviços públicos. A manifestação, convocada pela CGTP, percorreu a "
                "avenida da Liberdade até aos Restauradores. Os participantes exigiram mais "
                "investimento no Serviço Nacional de Saúde e na escola pública.",
            ),
            Article(
                "Greve nos transportes do Porto",
                "Os trabalhadores dos transportes do Porto estão em greve.",
                "Os trabalhadores dos transportes públicos do Porto cumprem hoje uma greve de "
                "vinte e quatro horas. Reivindicam a contratação de mais motoristas, o fim das "
                "horas extraordinárias forçadas e a melhoria das condições de trabalho. O "
                "partido manifesta a sua solidariedade com a luta e responsabiliza o governo "
                "pela degradação do serviço.",
            ),
        ),
    ),
}
NEW = 2  # index of the article published between the rounds: /a/3.html


def _page(article: Article, lang: str) -> str:
    """An article page without a declared charset: only the header (if any) says it."""
    return (
        f'<!doctype html><html lang="{lang}"><head><title>{article.title}</title></head><body>'
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>{article.title}</h1><p>{article.body}</p></article>"
        "<footer>Press office</footer></body></html>"
    )


def _feed(name: str, count: int) -> str:
    """The feed of ``name`` with its first ``count`` articles, newest first, summaries only."""
    site = SITES[name]
    entries = []
    for n in reversed(range(1, count + 1)):
        a = site.articles[n - 1]
        title, summary = html.escape(a.title), html.escape(a.summary)
        if site.atom:
            entries.append(
                f'<entry><title>{title}</title><link href="{BASE}/a/{n}.html"/>'
                f"<id>urn:{name}:{n}</id><updated>2024-01-1{n}T10:00:00+03:00</updated>"
                f"<summary>{summary}</summary></entry>"
            )
        else:
            entries.append(
                f"<item><title>{title}</title><link>{BASE}/a/{n}.html</link>"
                f"<guid>{name}-{n}</guid><pubDate>Mon, 1{n} Jan 2024 10:00:00 +0200</pubDate>"
                f"<description>{summary}</description></item>"
            )
    body = "\n".join(entries)
    if site.atom:
        return (
            f'{site.declaration}\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>{name}</title><link href="{BASE}/"/><id>urn:{name}</id>'
            f"<updated>2024-01-13T10:00:00+03:00</updated>\n{body}\n</feed>\n"
        )
    return (
        f'{site.declaration}\n<rss version="2.0"><channel><title>{name}</title>'
        f"<link>{BASE}/</link><description>{name}</description>\n{body}\n</channel></rss>\n"
    )


def _build(root: Path) -> None:
    for name, site in SITES.items():
        d = root / name
        (d / "a").mkdir(parents=True)
        (d / site.feed.lstrip("/")).write_text(_feed(name, NEW), encoding="utf-8")
        for n, article in enumerate(site.articles, 1):  # /a/3.html exists, unannounced
            (d / "a" / f"{n}.html").write_text(_page(article, site.lang), encoding="utf-8")
        (d / "index.html").write_text(
            f"<!doctype html><html><head><title>{name}</title></head><body>"
            f'<h1>{name}</h1><a href="{site.feed}">feed</a><p>Welcome.</p></body></html>',
            encoding="utf-8",
        )
        (d / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")


@pytest.fixture
def replay(tmp_path: Path) -> Iterator[ReplayServer]:
    root = tmp_path / "sites"
    root.mkdir()
    _build(root)
    with ReplayServer(root) as server:
        yield server


TIMEOUT_S = 1.0
MAX_BYTES = 1_000_000
# Pages are extracted in this process (extract_workers=1): a pool of worker processes per round
# would triple the time of each test, and where a page is extracted is not what is tested here.
SETTINGS = Settings(
    allow_private_networks=True,
    fetch_timeout_s=TIMEOUT_S,
    fetch_max_bytes=MAX_BYTES,
    extract_workers=1,
)
# The clean round builds the entity linker and loads the language model, which blocks the event
# loop for a second or more: with the short timeout, pages in flight would time out meanwhile
# (see test_building_the_linker_does_not_time_out_other_sources). It has the default timeout.
CLEAN = SETTINGS.model_copy(update={"fetch_timeout_s": 30.0})
METADATA = "http://169.254.169.254/latest/meta-data/"


@dataclass(frozen=True)
class Case:
    """One misbehaviour: where it happens, its replay options, what the victim's report says."""

    id: str
    site: str
    where: str  # "feed"; "new page": the new entry's page; "old page": a re-fetched page
    options: dict[str, Any]
    error: str | None = None  # a regular expression the recorded error must match
    outcome: str = "error"
    retry_after: int | None = None
    private_guard: bool = False  # private networks refused, loopback counted as public
    page_gone: bool = False  # the new entry's page answers 404: its title and text are the feed's
    page_read: bool = False  # the misbehaving page is still read (a wrong or missing charset)

    @property
    def path(self) -> str:
        return {"feed": SITES[self.site].feed, "new page": "/a/3.html", "old page": "/a/1.html"}[
            self.where
        ]


def _feed_error(name: str, site: str, options: dict[str, Any], error: str, **kw: Any) -> Case:
    return Case(name, site, "feed", options, error, **kw)


def _charsets(where: str, **kw: Any) -> list[Case]:
    """A Greek, a Russian and a Portuguese text, each encoded in its legacy charset."""
    prefix = "" if where == "feed" else where.split()[0] + "-page-"
    return [
        Case(prefix + name, site, where, {"charset": charset, "encode": codec}, None, "ok", **kw)
        for name, site, charset, codec in (
            ("wrong-charset", "kprf", "utf-8", "windows-1251"),
            ("missing-charset", "kke", None, "iso-8859-7"),
            ("latin1-as-utf8", "pcp", "utf-8", "iso-8859-1"),
        )
    ]


def _page_cases(where: str) -> list[Case]:
    """A page that cannot be read: the round goes on without it. A mislabelled one is read."""
    prefix = where.split()[0] + "-page-"
    cases = [
        ("slow", "kprf", {"delay": 8}),
        ("500", "pcp", {"status": 500}),
        ("404", "kke", {"status": 404}),
        ("429", "kke", {"status": 429, "retry_after": 60}),
        ("304", "kprf", {"status": 304}),
        ("huge-body", "pcp", {"huge_mb": 3}),
        ("gzip-bomb", "kke", {"gzip_bomb_mb": 16}),
        ("redirect-loop", "kprf", {"redirect_loop": True}),
        ("redirect-to-metadata", "pcp", {"redirect": METADATA}),
    ]
    return [
        *(Case(prefix + name, site, where, options, None, "ok") for name, site, options in cases),
        Case(
            prefix + "redirect-to-private",
            "kke",
            where,
            {"redirect": "http://10.0.0.1/"},
            None,
            "ok",
            private_guard=True,
        ),
        *_charsets(where, page_read=True),
    ]


FEED_CASES = [
    _feed_error("slow", "kke", {"delay": 8}, r"no complete answer within 1 s|timed out"),
    _feed_error("500", "kprf", {"status": 500}, r"HTTP 500 Internal Server Error"),
    _feed_error(
        "429-retry-after",
        "pcp",
        {"status": 429, "retry_after": 7200},
        r"HTTP 429 Too Many Requests",
        retry_after=7200,
    ),
    Case("304", "kke", "feed", {"status": 304}, outcome="not-modified"),
    _feed_error(
        "huge-body",
        "kprf",
        {"huge_mb": 3},
        rf"Content-Length {3 * 1024 * 1024} is over the {MAX_BYTES} byte limit",
    ),
    _feed_error(
        "gzip-bomb",
        "pcp",
        {"gzip_bomb_mb": 16},
        rf"body is over the {MAX_BYTES} byte limit \(decompressed\)",
    ),
    _feed_error("redirect-loop", "kke", {"redirect_loop": True}, r"more than 5 redirects"),
    _feed_error(
        "redirect-to-private",
        "kprf",
        {"redirect": "http://10.0.0.1/feed.atom"},
        r"redirected to http://10\.0\.0\.1/feed\.atom: "
        r"10\.0\.0\.1 is private and private networks are not allowed",
        private_guard=True,
    ),
    _feed_error(
        "redirect-to-metadata",
        "pcp",
        {"redirect": METADATA},
        rf"redirected to {re.escape(METADATA)}: 169\.254\.169\.254 is link-local",
    ),
    _feed_error(
        "html-as-feed",
        "kke",
        {"body_from": "index.html", "content_type": "application/rss+xml"},
        r"not a feed: it looks like an HTML page",
    ),
    _feed_error("entity-bomb", "kprf", {"entity_bomb": True}, r"not a feed: .*entit"),
    # Wrong or missing charsets are survived. The new entry's page is gone, so its title and
    # text are the feed's own: they must come out right.
    *_charsets("feed", page_gone=True),
]
CASES = FEED_CASES + _page_cases("new page") + _page_cases("old page")


def _loopback_is_public(ip: Any, *, allow_private: bool) -> str | None:
    """The real rules, except that loopback counts as public so the replay sites can be polled."""
    if ip.is_loopback:
        return None
    return refusal(ip, allow_private=allow_private)


# ---------------------------------------------------------------------------------------------
# What the database holds

# An item's re-fetch schedule moves on when its page is fetched again: that is polling state,
# not what was stored.
REFETCH_STATE = {"refetch_count", "next_refetch_at", "page_etag", "page_last_modified"}


def _items(db: Database) -> dict[str, dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(sa.select(items)).mappings().all()
    return {r["public_id"]: dict(r) for r in rows}


def _stored(db: Database) -> dict[str, dict[str, Any]]:
    return {
        k: {c: v for c, v in r.items() if c not in REFETCH_STATE} for k, r in _items(db).items()
    }


def _changed(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]
) -> dict[str, dict[str, tuple[Any, Any]]]:
    """What changed in the items stored before: item -> column -> (before, after)."""
    changed = {}
    for key, old in before.items():
        new = after.get(key, {})
        diff = {c: (v, new.get(c, "(lost)")) for c, v in old.items() if new.get(c) != v}
        if diff:
            changed[key] = diff
    return changed


def _revisions(db: Database) -> dict[int, dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(sa.select(item_revisions)).mappings().all()
    return {r["id"]: dict(r) for r in rows}


def _source(db: Database, url: str) -> dict[str, Any]:
    with db.read() as conn:
        row = conn.execute(sa.select(sources).where(sources.c.url == url)).mappings().one()
    return dict(row)


def _all_due(db: Database) -> None:
    """Makes every item's page due for its re-fetch, as it is an hour after it was stored."""
    with db.write() as conn:
        conn.execute(sa.update(items).values(next_refetch_at=utcnow() - timedelta(seconds=1)))


def _add_sources(db: Database, replay: ReplayServer) -> dict[str, str]:
    """Adds the three feeds; returns site name -> feed URL."""
    urls = {}
    for name, site in SITES.items():
        urls[name] = replay.url(name, site.feed)
        add_source(db, NewSource(url=urls[name], org_id=site.org, kind="feed"))
    return urls


def _round(db: Database, settings: Settings) -> dict[str, SourceReport]:
    return {r.url: r for r in poll(db, which="all", settings=settings)}


def _readable(error: str) -> None:
    """One line that names what happened, not a traceback or an exception's repr."""
    assert error
    assert "Traceback" not in error
    assert "\n" not in error
    assert not re.match(r"^\w+(Error|Exception)\(", error)


@dataclass
class Before:
    """The three sources after a clean round, and what it stored."""

    urls: dict[str, str]  # site name -> feed URL
    items: dict[str, dict[str, Any]]
    revisions: dict[int, dict[str, Any]]
    sources: dict[str, dict[str, Any]]  # site name -> row
    refetches: dict[str, int]  # page URL -> re-fetches done


def _clean_round(db: Database, replay: ReplayServer, settings: Settings) -> Before:
    """Adds the three sources and polls them: each stores its two entries, from their pages.

    Then an hour passes: every page is due for its re-fetch.
    """
    urls = _add_sources(db, replay)
    first = _round(db, settings)
    assert {n: (first[u].outcome, first[u].counts) for n, u in urls.items()} == {
        n: ("ok", {"new": 2}) for n in urls
    }
    before = Before(
        urls,
        _stored(db),
        _revisions(db),
        {n: _source(db, u) for n, u in urls.items()},
        {r["url"]: r["refetch_count"] for r in _items(db).values()},
    )
    stored = {r["url"]: r for r in before.items.values()}
    assert sorted(stored) == sorted(replay.url(n, f"/a/{i}.html") for n in SITES for i in (1, 2))
    for name, site in SITES.items():
        for i in (1, 2):
            item = stored[replay.url(name, f"/a/{i}.html")]
            assert item["status"] == "inbox"
            assert site.articles[i - 1].body in item["body_text"]  # the page's, not the summary
    _all_due(db)
    return before


def _publish_third_entries(replay: ReplayServer) -> None:
    for name, site in SITES.items():
        replay.replace(name, site.feed, _feed(name, NEW + 1))


def _check_the_round(
    db: Database,
    replay: ReplayServer,
    before: Before,
    reports: dict[str, SourceReport],
    victim: str,
) -> dict[str, dict[str, Any]]:
    """The sources other than ``victim`` stored their new entry; nothing earlier was lost or
    changed; nothing but the sites' articles was stored. Returns the items by URL."""
    after = _stored(db)
    by_url = {r["url"]: r for r in after.values()}
    for name, url in before.urls.items():
        if name == victim:
            continue
        report = reports[url]
        assert (report.outcome, report.error, report.counts) == (
            "ok",
            "",
            {"new": 1, "unchanged": 2},
        ), name
        new = by_url[replay.url(name, "/a/3.html")]
        article = SITES[name].articles[NEW]
        assert (new["title"], new["status"]) == (article.title, "inbox")
        assert article.body in new["body_text"]
        assert "Press office" not in new["body_text"]
        row = _source(db, url)
        assert (row["error_count"], row["last_error"]) == (0, None)

    assert _changed(before.items, after) == {}
    revisions = _revisions(db)
    earlier = {r["id"] for r in before.items.values()}
    assert {k: r for k, r in revisions.items() if r["item_id"] in earlier} == before.revisions
    articles = {replay.url(n, f"/a/{i}.html") for n in SITES for i in (1, 2, 3)}
    assert set(by_url) <= articles
    return by_url


# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_misbehaving_source_fails_alone_and_loses_nothing(
    db: Database, replay: ReplayServer, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean, settings = CLEAN, SETTINGS
    if case.private_guard:
        monkeypatch.setattr("tribune.ingest.netguard.refusal", _loopback_is_public)
        clean, settings = (
            s.model_copy(update={"allow_private_networks": False}) for s in (CLEAN, SETTINGS)
        )
    before = _clean_round(db, replay, clean)
    victim = case.site

    replay.misbehave(victim, case.path, **case.options)
    if case.page_gone:
        replay.misbehave(victim, "/a/3.html", status=404)
    _publish_third_entries(replay)
    replay.clear_log()
    second = _round(db, settings)
    assert replay.count(victim, case.path) >= 1  # the misbehaviour is not a typo
    by_url = _check_the_round(db, replay, before, second, victim)

    report = second[before.urls[victim]]
    row, was = _source(db, before.urls[victim]), before.sources[victim]
    victim_new = by_url.get(replay.url(victim, "/a/3.html"))
    article = SITES[victim].articles[NEW]
    assert report.outcome == case.outcome, report.error

    if case.outcome == "error":
        assert case.error is not None
        assert re.search(case.error, report.error), report.error
        _readable(report.error)
        if not report.error.startswith("not a feed"):  # a fetch error names the URL asked for
            assert report.error.startswith(before.urls[victim] + ": "), report.error
        assert row["last_error"] == report.error
        assert row["error_count"] == was["error_count"] + 1 == 1
        assert row["last_error_at"] is not None
        # backed off: not before the minimum interval (less its jitter), nor before Retry-After
        wait = timedelta(seconds=case.retry_after or 0.9 * row["min_interval_s"])
        assert row["next_check_at"] >= row["last_error_at"] + wait
        # its polling state from the last success is kept
        for column in ("etag", "last_modified", "last_success_at"):
            assert row[column] == was[column], column
        assert victim_new is None  # nothing stored from the misbehaving answer
        assert len(by_url) == 6 + len(SITES) - 1
        return

    assert (row["error_count"], row["last_error"]) == (0, None)
    if case.outcome == "not-modified":
        assert report.counts == {}
        assert victim_new is None
        assert row["etag"] == was["etag"]
        return

    # survived: the new entry is stored, and its text came out right
    assert report.counts == {"new": 1, "unchanged": 2}
    assert victim_new is not None
    assert victim_new["title"] == article.title
    if (case.where == "new page" and not case.page_read) or case.page_gone:
        # the page could not be read: the feed's summary stands in for it
        assert victim_new["body_text"] == article.summary
    else:
        assert article.body in victim_new["body_text"]
    assert len(by_url) == 6 + len(SITES)
    if case.where == "old page":
        # the failed re-fetch kept the stored text (checked above) and moved on in the schedule
        old_page = replay.url(victim, "/a/1.html")
        refetched = {r["url"]: r["refetch_count"] for r in _items(db).values()}
        assert refetched[old_page] > before.refetches[old_page]


def _malformed_round(db: Database, replay: ReplayServer) -> tuple[Before, SourceReport]:
    """A clean round, then one where pcp's feed (three entries now) is cut in half."""
    before = _clean_round(db, replay, CLEAN)
    replay.misbehave("pcp", SITES["pcp"].feed, malformed_xml=True)
    _publish_third_entries(replay)
    second = _round(db, SETTINGS)
    _check_the_round(db, replay, before, second, "pcp")
    return before, second[before.urls["pcp"]]


def test_a_malformed_feed_gives_what_it_can_and_loses_nothing(
    db: Database, replay: ReplayServer
) -> None:
    """feedparser reads the entries before the cut, as readers do: the new entry, which is first,
    is stored from its page, and the entry cut in two is dropped, not stored half."""
    _, report = _malformed_round(db, replay)
    assert report.outcome == "ok"
    assert report.counts.get("new") == 1
    with db.read() as conn:
        titles = set(conn.execute(sa.select(items.c.title)).scalars())
    assert SITES["pcp"].articles[NEW].title in titles
    assert "Fish & chips" not in titles  # the stray item after the cut


def test_a_malformed_feed_is_recorded_on_its_source(db: Database, replay: ReplayServer) -> None:
    before, _ = _malformed_round(db, replay)
    row = _source(db, before.urls["pcp"])
    assert row["last_error"] is not None
    assert re.search(r"XML|well-formed|malformed", row["last_error"])


def _full_text_feed(name: str) -> str:
    """An Atom feed of ``name`` whose entries carry their whole text: no page is fetched."""
    site = SITES[name]
    assert site.atom
    full = [
        f'<content type="html">{html.escape(f"<p>{a.body}</p>")}</content></entry>'
        for a in site.articles[:NEW]
    ]
    parts = _feed(name, NEW).split("</entry>")
    # the feed lists the newest first
    return "".join(p + c for p, c in zip(parts, reversed(full), strict=False)) + parts[-1]


LINKER_BUILD_S = 1.5  # a KB of the network's real size takes seconds to compile


def test_building_the_linker_does_not_time_out_other_sources(
    db: Database, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = Linker.from_db.__func__  # type: ignore[attr-defined]

    def slow_build(cls: type[Linker], db: Database, **options: Any) -> Linker:
        time.sleep(LINKER_BUILD_S)
        return build(cls, db, **options)  # type: ignore[no-any-return]

    monkeypatch.setattr(Linker, "from_db", classmethod(slow_build))
    detect_language("Aquecer o modelo de línguas.")  # its first use loads it (a second), too
    # kprf's feed (full text: its first entry is linked at once, no page to fetch) comes 0.2 s
    # late; pcp's pages take 0.3 s, well within the 1 s timeout, and are in flight meanwhile
    replay.misbehave("kprf", SITES["kprf"].feed, delay=0.2, body=_full_text_feed("kprf"))
    for n in (1, 2):
        replay.misbehave("pcp", f"/a/{n}.html", delay=0.3)
    for name in ("kprf", "pcp"):
        url = replay.url(name, SITES[name].feed)
        add_source(db, NewSource(url=url, org_id=SITES[name].org, kind="feed"))
    reports = _round(db, SETTINGS)
    assert sorted((r.outcome, r.counts.get("new")) for r in reports.values()) == [("ok", 2)] * 2
    texts = {r["url"]: r["body_text"] for r in _items(db).values()}
    for name in ("kprf", "pcp"):
        for n in (1, 2):
            assert SITES[name].articles[n - 1].body in texts[replay.url(name, f"/a/{n}.html")]

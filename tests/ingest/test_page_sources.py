"""Page and auto sources, and the decaying re-fetch, through a real polling round on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import item_revisions, items, sources
from tribune.db.types import utcnow
from tribune.ingest.poll import poll
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer

SETTINGS = Settings(allow_private_networks=True, page_backfill_pages=2, extract_workers=1)
TOPICS = [
    ("on-the-dock-strike", "On the dock strike", "The dock workers of Piraeus stopped work"),
    ("against-nato-bases", "Against the NATO bases", "The bases of NATO in Crete serve war"),
    ("solidarity-with-cuba", "Solidarity with Cuba", "The blockade of Cuba must end now"),
    ("the-21st-imcwp", "The 21st IMCWP", "The 21st IMCWP met in İzmir with many parties"),
    (
        "greetings-to-the-pcp",
        "Greetings to the PCP",
        "The Portuguese Communist Party holds its congress",
    ),
    ("on-venezuela", "On Venezuela", "The elections in Venezuela took place under pressure"),
    ("condolences", "Condolences", "We learned with sorrow of the death of a comrade"),
    ("on-wages", "On wages", "Wages have fallen behind prices for three years running"),
    ("on-housing", "On housing", "Rents in Athens have doubled while wages stood still"),
]
PAGE = """<!doctype html><html><head><title>News</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/about/">About</a></nav>
</header>
<main><h1>News</h1>{entries}
<nav class="pagination">{pager}</nav></main>
<aside class="sidebar"><a href="/tag/working-class/">working class</a>
<a href="/tag/anti-imperialism/">anti-imperialism</a>
<a href="/tag/peace-now/">peace now</a></aside>
<footer><a href="/contact/">Contact</a></footer></body></html>"""
ENTRY = """<article><h2><a class="title" href="/2026/10/{day:02d}/{slug}/">{title}</a></h2>
<time datetime="2026-10-{day:02d}T10:00:00+03:00">{day} October 2026</time></article>"""
ARTICLE = """<!doctype html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a></nav><article><h1>{title}</h1><p>{text}. {filler}</p>
<p>{filler}</p></article><footer>Contact</footer></body></html>"""
FILLER = (
    "The party calls on the working people to organise in their workplaces and neighbourhoods, "
    "to reject the policies that serve the monopolies, and to strengthen the struggle for "
    "their rights, for peace and for socialism."
)


def _entries(numbers: range) -> str:
    return "\n".join(
        ENTRY.format(day=n + 1, slug=TOPICS[n][0], title=TOPICS[n][1]) for n in numbers
    )


def _write_site(root: Path, *, feed: bool) -> None:
    root.mkdir(parents=True)
    (root / "news" / "page" / "2").mkdir(parents=True)
    (root / "news" / "page" / "3").mkdir(parents=True)
    pages = [range(0, 3), range(3, 6), range(6, 9)]
    pagers = [
        '<span class="current">1</span> <a href="/news/page/2/">2</a> '
        '<a href="/news/page/2/">Older posts</a>',
        '<a href="/news/">1</a> <span class="current">2</span> <a href="/news/page/3/">3</a>',
        '<a href="/news/page/2/">2</a> <span class="current">3</span>',
    ]
    targets = [root / "news" / "index.html", root / "news/page/2/index.html"]
    targets.append(root / "news/page/3/index.html")
    for target, numbers, pager in zip(targets, pages, pagers, strict=True):
        target.write_text(PAGE.format(entries=_entries(numbers), pager=pager), encoding="utf-8")
    for n, (slug, title, text) in enumerate(TOPICS):
        folder = root / "2026" / "10" / f"{n + 1:02d}" / slug
        folder.mkdir(parents=True)
        html = ARTICLE.format(title=title, text=text, filler=FILLER)
        (folder / "index.html").write_text(html, encoding="utf-8")
    head = '<link rel="alternate" type="application/rss+xml" href="/feed.xml">' if feed else ""
    home = f"<html><head>{head}</head><body><a href='/news/'>News</a></body></html>"
    (root / "index.html").write_text(home, encoding="utf-8")
    if feed:
        entries = "".join(
            f"<item><title>{title}</title><link>{{{{site}}}}/2026/10/{n + 1:02d}/{slug}/</link>"
            f"<guid>{slug}</guid></item>"
            for n, (slug, title, _) in enumerate(TOPICS[:2])
        )
        rss = f'<?xml version="1.0"?><rss version="2.0"><channel><title>P</title>{entries}'
        (root / "feed.xml").write_text(rss + "</channel></rss>", encoding="utf-8")


@pytest.fixture
def replay(tmp_path: Path) -> Iterator[ReplayServer]:
    _write_site(tmp_path / "listing", feed=False)
    _write_site(tmp_path / "withfeed", feed=True)
    with ReplayServer(tmp_path) as server:
        yield server


def _stored(db: Database, source_url: str) -> list[str]:
    with db.read() as conn:
        query = (
            sa.select(items.c.url)
            .join(sources, sources.c.id == items.c.source_id)
            .where(sources.c.url == source_url)
            .order_by(items.c.url)
        )
        return list(conn.execute(query).scalars())


def _paths(replay: ReplayServer, site: str, since: int = 0) -> list[str]:
    """Paths requested (robots.txt aside), from the ``since``-th request on."""
    return [r.path for r in replay.requests(site)[since:] if r.path != "/robots.txt"]


def test_a_page_source_backfills_then_reads_its_first_page_only(
    db: Database, replay: ReplayServer
) -> None:
    url = replay.url("listing", "/news/")
    add_source(db, NewSource(url=url, org_id="gr-kke", kind="page"))
    (report,) = poll(db, which="all", settings=SETTINGS)
    assert (report.outcome, report.counts) == ("ok", {"new": 6}), report.error
    stored = _stored(db, url)
    assert len(stored) == 6  # two pages of three: the backfill stops at page_backfill_pages
    assert all("/2026/10/" in u for u in stored)
    assert "/news/page/2/" in _paths(replay, "listing")
    assert "/news/page/3/" not in _paths(replay, "listing")

    # a later poll reads the first page only: unchanged, it costs a 304
    mark = len(replay.requests("listing"))
    (again,) = poll(db, which="all", settings=SETTINGS)
    assert again.outcome == "not-modified"
    assert _paths(replay, "listing", mark) == ["/news/"]

    # a new statement on the first page is stored; older pages are not read again
    page = (Path(replay.root) / "listing" / "news" / "index.html").read_text(encoding="utf-8")
    new_entry = ENTRY.format(day=9, slug=TOPICS[8][0], title=TOPICS[8][1])
    replay.replace("listing", "/news/index.html", page.replace("<h1>News</h1>", new_entry))
    mark = len(replay.requests("listing"))
    (third,) = poll(db, which="all", settings=SETTINGS)
    assert (third.outcome, third.counts) == ("ok", {"new": 1, "unchanged": 3})
    assert "/news/page/2/" not in _paths(replay, "listing", mark)
    assert len(_stored(db, url)) == 7
    with db.read() as conn:
        row = (
            conn.execute(sa.select(items).where(items.c.url.like("%on-housing%"))).mappings().one()
        )
    assert row["title"] == "On housing"
    assert "Rents in Athens" in row["body_text"]
    assert row["published_at"] is not None


def test_a_recipe_source_follows_its_next_selector(db: Database, replay: ReplayServer) -> None:
    url = replay.url("listing", "/news/")
    recipe = {"links": "article h2 a.title", "next": "nav.pagination a:last-child"}
    add_source(db, NewSource(url=url, org_id="gr-kke", kind="page", recipe=recipe))
    (report,) = poll(db, which="all", settings=SETTINGS)
    assert report.counts == {"new": 6}
    assert len(_stored(db, url)) == 6


def test_a_recipe_that_matches_nothing_records_a_readable_error(
    db: Database, replay: ReplayServer
) -> None:
    url = replay.url("listing", "/news/")
    add_source(db, NewSource(url=url, org_id="gr-kke", kind="page", recipe={"links": "ul.x a"}))
    (report,) = poll(db, which="all", settings=SETTINGS)
    assert report.outcome == "error"
    with db.read() as conn:
        row = conn.execute(sa.select(sources)).mappings().one()
    assert row["last_error"] == "the recipe's selectors match no links on the page"
    assert row["error_count"] == 1


def test_an_auto_source_finds_the_announced_feed_and_remembers_it(
    db: Database, replay: ReplayServer
) -> None:
    url = replay.url("withfeed", "/")
    add_source(db, NewSource(url=url, org_id="gr-kke", kind="auto"))
    (report,) = poll(db, which="all", settings=SETTINGS)
    assert report.counts == {"new": 2}
    with db.read() as conn:
        recipe = conn.execute(sa.select(sources.c.recipe)).scalar_one()
    assert recipe == {"feed": replay.url("withfeed", "/feed.xml")}
    mark = len(replay.requests("withfeed"))
    (again,) = poll(db, which="all", settings=SETTINGS)
    assert again.outcome == "not-modified"
    (request,) = [r for r in replay.requests("withfeed")[mark:] if r.path != "/robots.txt"]
    assert request.path == "/feed.xml"
    assert "if-none-match" in request.headers


def test_an_auto_source_without_a_feed_is_read_as_a_listing(
    db: Database, replay: ReplayServer
) -> None:
    url = replay.url("listing", "/news/")
    add_source(db, NewSource(url=url, org_id="gr-kke", kind="auto"))
    (report,) = poll(db, which="all", settings=SETTINGS)
    assert report.counts == {"new": 6}, report.error
    requested = _paths(replay, "listing")
    assert "/feed/" in requested  # common feed paths were tried first, and answered 404
    with db.read() as conn:
        recipe = conn.execute(sa.select(sources.c.recipe)).scalar_one()
    assert recipe == {"listing": True}
    mark = len(replay.requests("listing"))
    poll(db, which="all", settings=SETTINGS)
    assert "/feed/" not in _paths(replay, "listing", mark)  # discovery ran once


def test_pages_are_extracted_in_worker_processes(db: Database, replay: ReplayServer) -> None:
    url = replay.url("listing", "/news/")
    add_source(db, NewSource(url=url, org_id="gr-kke", kind="page"))
    settings = SETTINGS.model_copy(update={"extract_workers": 2, "page_backfill_pages": 3})
    (report,) = poll(db, which="all", settings=settings)
    assert report.counts == {"new": 9}, report
    with db.read() as conn:
        texts = list(conn.execute(sa.select(items.c.body_text)).scalars())
    assert all(FILLER[:40] in t for t in texts)


def test_an_edited_page_gets_a_dated_revision_on_its_refetch(
    db: Database, replay: ReplayServer
) -> None:
    url = replay.url("listing", "/news/")
    add_source(db, NewSource(url=url, org_id="gr-kke", kind="page"))
    poll(db, which="all", settings=SETTINGS)
    with db.read() as conn:
        first = (
            conn.execute(sa.select(items).where(items.c.url.like("%on-the-dock-strike%")))
            .mappings()
            .one()
        )
    assert first["refetch_count"] == 0
    assert first["next_refetch_at"] - first["fetched_at"] == timedelta(hours=1)

    # not due yet: a due round leaves the page alone
    mark = len(replay.requests("listing"))
    poll(db, which="due", settings=SETTINGS)
    assert not any("dock" in p for p in _paths(replay, "listing", mark))

    # an hour later the page was edited: the re-fetch stores a revision and steps on
    path = "/2026/10/01/on-the-dock-strike/index.html"
    edited = ARTICLE.format(
        title="On the dock strike", text="The dock workers of Piraeus won", filler=FILLER
    )
    replay.replace("listing", path, edited)
    with db.write() as conn:
        conn.execute(
            sa.update(items)
            .where(items.c.id == first["id"])
            .values(
                fetched_at=first["fetched_at"] - timedelta(hours=2),
                next_refetch_at=utcnow() - timedelta(minutes=1),
            )
        )
    poll(db, which="due", settings=SETTINGS)
    with db.read() as conn:
        row = conn.execute(sa.select(items).where(items.c.id == first["id"])).mappings().one()
        revisions = list(
            conn.execute(
                sa.select(item_revisions.c.body_text)
                .where(item_revisions.c.item_id == first["id"])
                .order_by(item_revisions.c.id)
            ).scalars()
        )
    assert len(revisions) == 2
    assert "Piraeus won" in revisions[1]
    assert "Piraeus won" in row["body_text"]
    assert row["refetch_count"] == 1
    assert row["next_refetch_at"] == row["fetched_at"] + timedelta(hours=6)

    # the next re-fetch of the unchanged page is a conditional GET answered 304
    with db.write() as conn:
        conn.execute(
            sa.update(items)
            .where(items.c.id == first["id"])
            .values(next_refetch_at=utcnow() - timedelta(minutes=1))
        )
    mark = len(replay.requests("listing"))
    poll(db, which="due", settings=SETTINGS)
    (request,) = [r for r in replay.requests("listing")[mark:] if "dock" in r.path]
    assert "if-none-match" in request.headers
    with db.read() as conn:
        count = conn.execute(
            sa.select(sa.func.count())
            .select_from(item_revisions)
            .where(item_revisions.c.item_id == first["id"])
        ).scalar()
    assert count == 2

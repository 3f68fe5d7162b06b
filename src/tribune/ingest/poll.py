"""One polling round: fetch the due sources, read their feeds, store new items.

Each item is stored in a transaction of its own, and a source's state (ETag, health, next
check) is written after its items, so a round killed at any moment loses nothing and, run again,
stores nothing twice: items are found again by canonical URL or GUID. A failing source records
a readable error and backs off; the other sources of the round go on.

Feeds and sitemaps are read. Sources of kind ``page`` (and ``auto`` sources without a feed) are
not read yet: they record that as their error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import items, sources
from tribune.db.types import utcnow
from tribune.ingest.canonical import canonical_url
from tribune.ingest.errors import FetchError, HTTPStatusError
from tribune.ingest.extract import Extracted, draft_lead, extract_page, from_feed_html
from tribune.ingest.feeds import FeedEntry, FeedError, ParsedFeed, parse_feed
from tribune.ingest.fetch import Fetcher
from tribune.ingest.schedule import interval_after_error, interval_after_success, next_check
from tribune.ingest.sitemaps import parse_sitemap
from tribune.ingest.store import Gathered, known_item, store
from tribune.understand.lang import detect_language
from tribune.understand.link import Linker, LinkInputError, get_linker
from tribune.understand.mention import Mention


@dataclass
class SourceReport:
    source_id: str
    url: str
    outcome: str = "ok"  # ok, not-modified, error
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def due_sources(db: Database, *, which: str = "due", source: str | None = None) -> list[Any]:
    """The source rows to poll: due ones, all active ones, or one by public id."""
    query = sa.select(sources).where(sources.c.state == "active")
    if source is not None:
        query = sa.select(sources).where(sources.c.public_id == source)
    elif which == "due":
        query = query.where(
            sa.or_(sources.c.next_check_at.is_(None), sources.c.next_check_at <= utcnow())
        )
    with db.read() as conn:
        return list(conn.execute(query.order_by(sources.c.id)).mappings().all())


def poll(
    db: Database,
    *,
    which: str = "due",
    source: str | None = None,
    settings: Settings | None = None,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[SourceReport], None] | None = None,
) -> list[SourceReport]:
    """Run one round and report what each source gave.

    ``on_start`` is told how many sources the round polls, and ``on_done`` gets each source's
    report as soon as that source is finished (for a progress bar).
    """
    rows = due_sources(db, which=which, source=source)
    if on_start is not None:
        on_start(len(rows))
    return asyncio.run(_round(db, rows, settings, on_done))


async def _round(
    db: Database,
    rows: list[Any],
    settings: Settings | None,
    on_done: Callable[[SourceReport], None] | None,
) -> list[SourceReport]:
    linker = get_linker(db)

    async def one(row: Any) -> SourceReport:
        report = await _poll_one(db, fetcher, linker, row)
        if on_done is not None:
            on_done(report)
        return report

    async with Fetcher(settings) as fetcher:
        return list(await asyncio.gather(*(one(r) for r in rows)))


async def _poll_one(db: Database, fetcher: Fetcher, linker: Linker, row: Any) -> SourceReport:
    report = SourceReport(row["public_id"], row["url"])
    try:
        if row["kind"] not in ("feed", "auto", "sitemap"):
            raise FeedError(f"sources of kind {row['kind']!r} are not read yet")
        result = await fetcher.fetch(
            row["url"], etag=row["etag"], last_modified=row["last_modified"]
        )
        if result.not_modified:
            report.outcome = "not-modified"
        else:
            if row["kind"] == "sitemap":
                feed = await _sitemap_entries(fetcher, result.body)
            else:
                feed = parse_feed(result.body)
            for entry in feed.entries:
                outcome = await _take(db, fetcher, linker, row, feed, entry)
                report.counts[outcome] = report.counts.get(outcome, 0) + 1
        _succeeded(db, row, result.etag, result.last_modified)
    except (FetchError, FeedError) as exc:
        retry = exc.retry_after if isinstance(exc, HTTPStatusError) else None
        report.outcome, report.error = "error", str(exc)
        _failed(db, row, str(exc), retry)
    return report


async def _sitemap_entries(fetcher: Fetcher, body: bytes) -> ParsedFeed:
    """A sitemap's entries as a feed's; an index is followed to its newest child sitemaps."""
    sitemap = parse_sitemap(body)
    entries = list(sitemap.entries)
    for child in sitemap.children:
        entries += parse_sitemap((await fetcher.fetch(child)).body).entries
    return ParsedFeed(kind="sitemap", language=sitemap.language, entries=entries)


async def _take(
    db: Database, fetcher: Fetcher, linker: Linker, row: Any, feed: ParsedFeed, entry: FeedEntry
) -> str:
    if not entry.url:
        return "skipped"
    canonical = canonical_url(entry.url)
    with db.read() as conn:
        known = known_item(conn, row["id"], canonical, entry.guid)
    if known is not None and not entry.content_html:
        return "unchanged"
    extracted = await _extract(fetcher, entry)
    if extracted is None:
        return "skipped"
    text = extracted.text
    language = detect_language(text) or row["language"] or feed.language[:2]
    found = {"title": _link(linker, extracted.title or entry.title), "body": _link(linker, text)}
    gathered = Gathered(
        source_id=row["id"],
        url=entry.url,
        canonical_url=canonical,
        guid=entry.guid,
        title=extracted.title or entry.title,
        lead=extracted.lead,
        body_html=extracted.html,
        body_text=text,
        language=language or "",
        published=entry.published or extracted.published,
    )
    with db.write() as conn:
        _, outcome = store(conn, gathered, found)
    return outcome


async def _extract(fetcher: Fetcher, entry: FeedEntry) -> Extracted | None:
    """The feed's full text when it has one; else the page, extracted; else the summary."""
    if entry.content_html:
        return from_feed_html(entry.title, entry.content_html)
    assert entry.url is not None
    try:
        page = await fetcher.fetch(entry.url)
    except FetchError:
        page = None
    if page is not None and page.text:
        extracted = extract_page(page.text, url=page.url)
        if extracted is not None:
            return extracted
    if entry.summary_html:
        summary = from_feed_html(entry.title, entry.summary_html)
        return Extracted(summary.title, summary.html, summary.text, draft_lead(summary.text))
    return None


def _link(linker: Linker, text: str) -> list[Mention]:
    try:
        return linker.link(text)
    except LinkInputError:
        return []


def _succeeded(db: Database, row: Any, etag: str | None, last_modified: str | None) -> None:
    now = utcnow()
    with db.write() as conn:
        recent = conn.execute(
            sa.select(sa.func.count())
            .select_from(items)
            .where(items.c.source_id == row["id"], items.c.fetched_at >= now - timedelta(days=7))
        ).scalar()
        interval = interval_after_success(
            int(recent or 0), row["min_interval_s"], row["max_interval_s"]
        )
        conn.execute(
            sa.update(sources)
            .where(sources.c.id == row["id"])
            .values(
                etag=etag or row["etag"],
                last_modified=last_modified or row["last_modified"],
                last_success_at=now,
                error_count=0,
                interval_s=interval,
                next_check_at=next_check(now, interval),
            )
        )


def _failed(db: Database, row: Any, error: str, retry_after: float | None) -> None:
    now: datetime = utcnow()
    errors = int(row["error_count"]) + 1
    interval = interval_after_error(errors, row["min_interval_s"], row["max_interval_s"])
    with db.write() as conn:
        conn.execute(
            sa.update(sources)
            .where(sources.c.id == row["id"])
            .values(
                error_count=errors,
                last_error=error[:2000],
                last_error_at=now,
                interval_s=interval,
                next_check_at=next_check(now, interval, retry_after_s=retry_after),
            )
        )

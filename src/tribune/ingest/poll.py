"""One polling round: read the due sources, store their new items, re-fetch recent items.

Each source is read by the adapter of its kind (:mod:`tribune.ingest.adapters`). New entries
are stored a few at a time, a transaction for each batch (:mod:`tribune.ingest.store_batch`),
and a source's state (ETag, health, next check) is written after its items, so a round killed
at any moment loses nothing and, run again, stores nothing twice: items are found again by
canonical URL or GUID. A failing source records a readable error and backs off; the other
sources of the round go on.

Pages are extracted in worker processes (:mod:`tribune.ingest.workers`) while this process
fetches and stores. After the sources, items whose page is due for its decaying re-fetch
(:mod:`tribune.ingest.refetch`) are fetched again with a conditional GET. Last, the kinds stage
(:mod:`tribune.understand.kind_stage`) classifies the items it has not seen: new ones, and
those whose text changed; and the stories stage (:mod:`tribune.understand.story_stage`) places
the new ones in stories. The roles stage (:mod:`tribune.understand.role_stage`) reads the role
statements of the same items, and the signatures stage (:mod:`tribune.understand.joint_stage`)
finds the joint statements among them and the signatures a revision or a copy adds.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from tribune.config import Settings, get_settings
from tribune.db.engine import Database
from tribune.db.tables import items, sources
from tribune.db.types import utcnow
from tribune.ingest.adapters import Reading, adapter_for
from tribune.ingest.canonical import canonical_url
from tribune.ingest.errors import FetchError, HTTPStatusError
from tribune.ingest.extract import from_feed_html
from tribune.ingest.feeds import FeedEntry, FeedError, Published
from tribune.ingest.fetch import Fetcher
from tribune.ingest.pagelist import RecipeError
from tribune.ingest.robots import RobotsMemory
from tribune.ingest.schedule import interval_after_error, interval_after_success, next_check
from tribune.ingest.store import Gathered, known_item
from tribune.ingest.store_batch import BatchStore
from tribune.ingest.workers import Context, Extractor, Prepared, workers_for
from tribune.understand import joint_stage, kind_model, kind_stage, role_stage, story_stage
from tribune.understand.link import Linker, get_linker


@dataclass
class SourceReport:
    source_id: str
    url: str
    outcome: str = "ok"  # ok, not-modified, error
    error: str = ""
    counts: dict[str, int] = field(default_factory=dict)


class Round:
    """What a round works with: the database, the fetcher, the extractor (and its linker)."""

    def __init__(self, db: Database, fetcher: Fetcher, settings: Settings) -> None:
        self.db = db
        self.fetcher = fetcher
        self.settings = settings
        self._linker: Linker | None = None
        self.not_modified: list[Any] = []  # source rows that answered 304
        self.storer = BatchStore(db)
        self.extractor = Extractor(workers_for(settings.extract_workers), self.linker)
        self._kinds_warming: threading.Thread | None = None

    def warm_kinds(self) -> None:
        """Start training the kinds model on a thread, once the round has an item for it to
        classify: the kinds stage after the round then finds it ready (and waits for it
        otherwise). A round with nothing new never trains it."""
        if self._kinds_warming is None:
            self._kinds_warming = threading.Thread(
                target=kind_model.warm, name="kinds-warm", daemon=True
            )
            self._kinds_warming.start()

    def linker(self) -> Linker:
        """This process's linker, built on first use, so a round of 304s never builds it."""
        if self._linker is None:
            self._linker = get_linker(self.db)
        return self._linker


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
    refetch: str | None = "due",
    robots: RobotsMemory | None = None,
) -> list[SourceReport]:
    """Run one round and report what each source gave.

    ``which="all"`` polls every active source, ``"due"`` only those due. Items are then
    re-fetched: those due (``refetch="due"``), every item still on its schedule (``"all"``), or
    none (``None``). ``robots`` carries robots.txt knowledge over from earlier rounds.
    ``on_start`` is told how many sources the round polls, and ``on_done`` gets each source's
    report as soon as that source is finished.
    """
    rows = due_sources(db, which=which, source=source)
    if on_start is not None:
        on_start(len(rows))
    settings = settings or get_settings()
    reports = asyncio.run(
        _round(db, rows, settings, on_done, refetch=refetch, source=source, robots=robots)
    )
    kind_stage.run(db, pending=True)  # the items new or changed in this round (or an earlier)
    joint_stage.run(db, pending=True)  # joint statements, and signatures revisions or copies add
    role_stage.run(db, pending=True)
    story_stage.run(db, pending=True)
    return reports


async def _round(
    db: Database,
    rows: list[Any],
    settings: Settings,
    on_done: Callable[[SourceReport], None] | None,
    *,
    refetch: str | None,
    source: str | None,
    robots: RobotsMemory | None,
) -> list[SourceReport]:
    async with Fetcher(settings, robots_memory=robots) as fetcher:
        work = Round(db, fetcher, settings)
        async with work.extractor:
            return await _sources_then_items(work, rows, on_done, refetch, source)


async def _sources_then_items(
    work: Round,
    rows: list[Any],
    on_done: Callable[[SourceReport], None] | None,
    refetch: str | None,
    source: str | None,
) -> list[SourceReport]:
    from tribune.ingest.refetch import refetch_items

    async def one(row: Any) -> SourceReport:
        report = await _poll_one(work, row)
        if on_done is not None:
            on_done(report)
        return report

    reports = list(await asyncio.gather(*(one(r) for r in rows)))
    _not_modified(work.db, work.not_modified)
    if refetch is not None:
        await refetch_items(work, which=refetch, source=source)
    return reports


async def _poll_one(work: Round, row: Any) -> SourceReport:
    report = SourceReport(row["public_id"], row["url"])
    try:
        adapter = adapter_for(row["kind"], work.fetcher, work.settings)
        reading = await adapter.read(row, first_poll=row["last_success_at"] is None)
        if reading.not_modified:
            report.outcome = "not-modified"
            work.not_modified.append(row)  # its state is written with the others', at the end
            return report
        outcomes = await asyncio.gather(
            *(_take(work, row, reading.language, entry) for entry in reading.entries)
        )
        for outcome in outcomes:
            report.counts[outcome] = report.counts.get(outcome, 0) + 1
        _succeeded(work.db, row, reading)
    except (FetchError, FeedError, RecipeError) as exc:
        retry = exc.retry_after if isinstance(exc, HTTPStatusError) else None
        report.outcome, report.error = "error", str(exc)
        _failed(work.db, row, str(exc), retry)
    return report


async def _take(work: Round, row: Mapping[str, Any], feed_language: str, entry: FeedEntry) -> str:
    if not entry.url:
        return "skipped"
    canonical = canonical_url(entry.url)
    with work.db.read() as conn:
        known = known_item(conn, row["id"], canonical, entry.guid)
    if known is not None and not entry.content_html:
        return "unchanged"
    context = Context(
        title=entry.title,
        language=row["language"] or feed_language[:2],
        source_org=row["org_id"],
        day=entry.published.at.date() if entry.published else None,
    )
    work.warm_kinds()
    page = await _prepare(work, entry, context)
    if page is None:
        return "skipped"
    prepared, fetched = page
    gathered = gathered_from(
        row,
        prepared,
        url=entry.url,
        canonical=canonical,
        guid=entry.guid,
        published=entry.published,
        page=fetched,
    )
    return await work.storer.store(gathered, prepared.found)


@dataclass(frozen=True)
class PageState:
    """The validators of a fetched article page, kept for its conditional re-fetch."""

    etag: str | None
    last_modified: str | None


def gathered_from(
    row: Mapping[str, Any],
    prepared: Prepared,
    *,
    url: str,
    canonical: str,
    guid: str | None,
    published: Published | None,
    page: PageState | None,
) -> Gathered:
    """What is stored of one prepared entry."""
    extracted = prepared.extracted
    return Gathered(
        source_id=row["id"],
        url=url,
        canonical_url=canonical,
        guid=guid,
        title=prepared.title,
        lead=extracted.lead,
        body_html=extracted.html,
        body_text=extracted.text,
        language=prepared.language,
        published=published or extracted.published,
        refetch=page is not None,
        page_etag=page.etag if page else None,
        page_last_modified=page.last_modified if page else None,
        signature=prepared.signature,
    )


async def _prepare(
    work: Round, entry: FeedEntry, context: Context
) -> tuple[Prepared, PageState | None] | None:
    """The feed's full text when it has one; else the page, extracted; else the summary."""
    if entry.content_html:
        return await work.extractor.text(
            from_feed_html(entry.title, entry.content_html), context
        ), None
    assert entry.url is not None
    try:
        page = await work.fetcher.fetch(entry.url)
    except FetchError:
        page = None
    if page is not None and page.text:
        prepared = await work.extractor.page(page.text, page.url, context)
        if prepared is not None:
            return prepared, PageState(page.etag, page.last_modified)
    if entry.summary_html:
        # the page failed or held no article: the summary stands in, and the page is tried
        # again on the re-fetch schedule
        summary = from_feed_html(entry.title, entry.summary_html)
        return await work.extractor.text(summary, context), PageState(None, None)
    return None


def _succeeded(db: Database, row: Any, reading: Reading) -> None:
    """The source answered: its validators, health and next check; a defect that did not stop
    the reading (a feed malformed half-way) is recorded as its last error, without backoff."""
    now = utcnow()
    with db.write() as conn:
        interval = _intervals(conn, [row], now)[row["id"]]
        values: dict[str, Any] = {
            "etag": reading.etag or row["etag"],
            "last_modified": reading.last_modified or row["last_modified"],
            "last_success_at": now,
            "error_count": 0,
            "interval_s": interval,
            "next_check_at": next_check(now, interval),
        }
        if reading.recipe is not None:
            values["recipe"] = reading.recipe
        if reading.problem:
            values.update(last_error=reading.problem[:2000], last_error_at=now)
        conn.execute(sa.update(sources).where(sources.c.id == row["id"]).values(**values))


def _intervals(conn: sa.Connection, rows: list[Any], now: datetime) -> dict[int, int]:
    """Each answering source's next polling interval, from its items of the last week."""
    counted = conn.execute(
        sa.select(items.c.source_id, sa.func.count())
        .where(
            items.c.source_id.in_([row["id"] for row in rows]),
            items.c.fetched_at >= now - timedelta(days=7),
        )
        .group_by(items.c.source_id)
    ).all()
    recent: dict[int, int] = {int(source): int(n) for source, n in counted}
    return {
        row["id"]: interval_after_success(
            recent.get(row["id"], 0), row["min_interval_s"], row["max_interval_s"]
        )
        for row in rows
    }


def _not_modified(db: Database, rows: list[Any]) -> None:
    """The sources that answered 304, all in one transaction: a round of thousands of unchanged
    feeds costs one commit, not one each. (Killed before this, they are simply polled again.)"""
    if not rows:
        return
    now = utcnow()
    with db.write() as conn:
        intervals = _intervals(conn, rows, now)
        updates = [
            {
                "sid": row["id"],
                "ok_at": now,
                "every": intervals[row["id"]],
                "next_at": next_check(now, intervals[row["id"]]),
            }
            for row in rows
        ]
        conn.execute(
            sa.update(sources)
            .where(sources.c.id == sa.bindparam("sid"))
            .values(
                last_success_at=sa.bindparam("ok_at"),
                error_count=0,
                interval_s=sa.bindparam("every"),
                next_check_at=sa.bindparam("next_at"),
            ),
            updates,
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

"""The decaying re-fetch of recent items: silent edits and growing signatory lists, dated.

A party corrects a figure in a statement, or adds the signatures that arrived overnight, without
saying so. Every item whose text came from its page is fetched again about 1 h, 6 h, 1 d, 3 d,
7 d and 14 d after it was first seen (:data:`tribune.ingest.schedule.REFETCH_AFTER`), with a
conditional GET on the page's own ETag and Last-Modified, so an unchanged page costs a 304. A
changed text becomes a new ``item_revisions`` row, dated, and the item's mentions are linked
again. A page that fails (gone, erroring) keeps the stored text and moves on in the schedule.

A re-fetch and the schedule's next step are one transaction: a killed round repeats the
re-fetch at most, and a repeated re-fetch of an unchanged text stores nothing.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import items, sources
from tribune.db.types import utcnow
from tribune.ingest.errors import FetchError
from tribune.ingest.schedule import REFETCH_AFTER, next_refetch
from tribune.ingest.store import store
from tribune.ingest.workers import Context

if TYPE_CHECKING:
    from tribune.ingest.poll import Round

BATCH = 500  # items re-fetched in one round at most; the rest wait for the next round


def next_step(first_seen: datetime, done: int, now: datetime) -> tuple[int, datetime | None]:
    """The schedule after a re-fetch at ``now``: steps already past are skipped."""
    step = done + 1
    while step < len(REFETCH_AFTER) and first_seen + REFETCH_AFTER[step] <= now:
        step += 1
    return step, next_refetch(first_seen, step)


async def refetch_items(
    work: Round, *, which: str = "due", source: str | None = None
) -> Counter[str]:
    """Re-fetch the items due (``which="due"``) or all items still on the schedule."""
    query = (
        sa.select(
            items.c.id,
            items.c.url,
            items.c.canonical_url,
            items.c.guid,
            items.c.title,
            items.c.fetched_at,
            items.c.refetch_count,
            items.c.page_etag,
            items.c.page_last_modified,
            items.c.published_at,
            sources.c.id.label("source_id"),
            sources.c.language.label("source_language"),
            sources.c.org_id,
        )
        .join(sources, sources.c.id == items.c.source_id)
        .where(items.c.next_refetch_at.is_not(None), sources.c.state == "active")
        .order_by(items.c.next_refetch_at)
        .limit(BATCH)
    )
    if which == "due":
        query = query.where(items.c.next_refetch_at <= utcnow())
    if source is not None:
        query = query.where(sources.c.public_id == source)
    with work.db.read() as conn:
        rows = list(conn.execute(query).mappings().all())
    outcomes = await asyncio.gather(*(_refetch_one(work, row) for row in rows))
    return Counter(outcomes)


async def _refetch_one(work: Round, row: Any) -> str:
    from tribune.ingest.poll import PageState, gathered_from

    try:
        page = await work.fetcher.fetch(
            row["url"], etag=row["page_etag"], last_modified=row["page_last_modified"]
        )
    except FetchError:
        page = None
    if page is None or page.not_modified or not page.text:
        with work.db.write() as conn:
            _advance(conn, row, None)
        return "not-modified" if page is not None and page.not_modified else "failed"
    context = Context(
        title=row["title"],
        language=row["source_language"],
        source_org=row["org_id"],
        day=row["published_at"].date() if row["published_at"] else None,
    )
    prepared = await work.extractor.page(page.text, page.url, context)
    if prepared is None:
        with work.db.write() as conn:
            _advance(conn, row, None)
        return "failed"
    validators = PageState(page.etag, page.last_modified)
    gathered = gathered_from(
        {"id": row["source_id"]},
        prepared,
        url=row["url"],
        canonical=row["canonical_url"],
        guid=row["guid"],
        published=None,
        page=validators,
    )
    with work.db.write() as conn:
        _, outcome = store(conn, gathered, prepared.found)
        _advance(conn, row, validators)
    return outcome


def _advance(conn: Connection, row: Any, page: Any) -> None:
    step, when = next_step(row["fetched_at"], row["refetch_count"], utcnow())
    values: dict[str, Any] = {"refetch_count": step, "next_refetch_at": when}
    if page is not None:
        values.update(page_etag=page.etag, page_last_modified=page.last_modified)
    conn.execute(sa.update(items).where(items.c.id == row["id"]).values(**values))

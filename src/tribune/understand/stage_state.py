"""What every understanding stage shares: which items it still has to read, and the record
that it has read them (``item_stages``: one row per item and stage, with the stage's version).

A stage run over the archive reads every item (or those gathered since a day); a run after a
poll reads only the *pending* ones, those this version of the stage has not recorded. The
record is written in the same transaction as the stage's own rows, so a run killed between
batches resumes at the first batch not recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import item_stages, items
from tribune.db.types import utcnow


def candidates(
    stage: str,
    version: str,
    *,
    since: datetime | None,
    pending: bool,
    copies: bool = False,
    by_date: bool = False,
) -> sa.Select[Any]:
    """The ids of the items to read, oldest stored first (oldest published first with
    *by_date*): gathered since *since*; with *pending*, only those *version* of *stage* has
    not recorded; duplicates only with *copies* (most stages read a statement's original,
    which stands for its copies)."""
    query = sa.select(items.c.id)
    if not copies:
        query = query.where(items.c.status != "duplicate")
    if since is not None:
        query = query.where(items.c.fetched_at >= since)
    if pending:
        done = sa.select(item_stages.c.item_id).where(
            item_stages.c.stage == stage, item_stages.c.version == version
        )
        query = query.where(items.c.id.not_in(done))
    if by_date:
        return query.order_by(
            sa.func.coalesce(items.c.published_at, items.c.fetched_at), items.c.id
        )
    return query.order_by(items.c.id)


def record(
    conn: Connection,
    stage: str,
    version: str,
    ids: Iterable[int],
    failed: Mapping[int, str] | None = None,
) -> None:
    """Record that *version* of *stage* has read *ids* (replacing any earlier record): done,
    or failed with the error *failed* gives for the item."""
    failed = failed or {}
    wanted = list(ids)
    if not wanted:
        return
    conn.execute(
        sa.delete(item_stages).where(
            item_stages.c.item_id.in_(wanted), item_stages.c.stage == stage
        )
    )
    now = utcnow()
    conn.execute(
        sa.insert(item_stages),
        [
            {
                "item_id": i,
                "stage": stage,
                "version": version,
                "state": "failed" if i in failed else "done",
                "error": failed.get(i),
                "updated_at": now,
            }
            for i in wanted
        ],
    )

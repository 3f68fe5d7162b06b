"""The site's generation: a number that changes with every change readers can see.

Cached pages and feeds carry the generation they were made at; a publish, an edit or a
withdrawal bumps it in the same transaction, so every web worker drops its stale pages at once.
The number is the time of the change in microseconds since the epoch (and always larger than
the one before), so it also gives pages their ``Last-Modified``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import site_state

_NAME = "generation"


def bump(conn: Connection) -> int:
    """Advance the generation, in the caller's write transaction; returns the new one."""
    now = time.time_ns() // 1000
    old = conn.execute(
        sa.select(site_state.c.value).where(site_state.c.name == _NAME).with_for_update()
    ).scalar()
    new = max(now, int(old or 0) + 1)
    if old is None:
        conn.execute(site_state.insert().values(name=_NAME, value=new))
    else:
        conn.execute(site_state.update().where(site_state.c.name == _NAME).values(value=new))
    return new


def current(conn: Connection) -> int:
    """The generation now (0 before the first change)."""
    value = conn.execute(sa.select(site_state.c.value).where(site_state.c.name == _NAME)).scalar()
    return int(value or 0)


def changed_at(value: int) -> datetime:
    """When the generation *value* was made."""
    return datetime.fromtimestamp(value / 1_000_000, tz=UTC)

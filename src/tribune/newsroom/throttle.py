"""Fixed-window counters in the database: login throttling and API rate limits.

Each key (``login:<name>``, ``api:<client>``) counts hits in a window of *window_s* seconds. The
count lives in the ``rate_limits`` table, updated in a write transaction, so every worker
process shares it.
"""

from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import rate_limits
from tribune.db.types import utcnow


def hit(db: Database, key: str, limit: int, window_s: float) -> float | None:
    """Count one hit on *key*; None when within *limit*, else the seconds until it resets."""
    now = utcnow()
    window = timedelta(seconds=window_s)
    with db.write() as conn:
        row = conn.execute(
            sa.select(rate_limits.c.window_start, rate_limits.c.count)
            .where(rate_limits.c.key == key)
            .with_for_update()
        ).first()
        if row is None:
            try:
                with conn.begin_nested():
                    conn.execute(rate_limits.insert().values(key=key, window_start=now, count=1))
                return None
            except sa.exc.IntegrityError:  # another worker inserted it first
                row = conn.execute(
                    sa.select(rate_limits.c.window_start, rate_limits.c.count)
                    .where(rate_limits.c.key == key)
                    .with_for_update()
                ).one()
        if now - row[0] >= window:
            conn.execute(
                rate_limits.update()
                .where(rate_limits.c.key == key)
                .values(window_start=now, count=1)
            )
            return None
        if row[1] >= limit:
            return float(max(1, math.ceil((row[0] + window - now).total_seconds())))
        conn.execute(rate_limits.update().where(rate_limits.c.key == key).values(count=row[1] + 1))
        return None


def clear(db: Database, key: str) -> None:
    """Forget a key's hits (a successful login clears its failures)."""
    with db.write() as conn:
        conn.execute(rate_limits.delete().where(rate_limits.c.key == key))

"""Leases: a named right that one process holds until it lets go or its time runs out.

A lease is a row of the ``leases`` table: its name, its holder (an id the process makes up, such
as ``hostname:pid:random``) and when it expires. :func:`acquire` takes the lease when no one holds
it, when its holder's time has run out, or when the caller already holds it (then it is renewed);
:func:`release` gives it up. A holder that crashes simply stops renewing, and its lease passes to
the next process that asks once its time-to-live is over.

Acquiring is race-free on both databases, however many processes ask at once. In one write
transaction, an ``UPDATE ... WHERE name = :name AND (holder = :me OR expires_at <= :now)`` takes
over a row that is ours or expired. On PostgreSQL (read committed) a second process updating the
same row waits for the first to commit, then finds the row no longer matches, and updates nothing;
on SQLite the write transaction starts with ``BEGIN IMMEDIATE``, so writers take turns anyway.
When nothing was updated and no row exists, an ``INSERT`` creates the lease; if another process
inserted the same name in the meantime, the primary key refuses the second insert
(``IntegrityError``, caught inside a savepoint so the transaction stays usable) and the caller
has lost the race.

Times come from the clock of the process that asks, so the machines sharing a database must keep
their clocks in step (NTP) to well under a lease's time-to-live.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables.jobs import leases
from tribune.db.types import utcnow


def acquire(db: Database, name: str, holder: str, ttl_s: float) -> bool:
    """Take or renew the lease ``name`` for ``ttl_s`` seconds; True when ``holder`` now holds it."""
    if ttl_s <= 0:
        raise ValueError(f"a lease needs a positive time-to-live, not {ttl_s!r}")
    now = utcnow()
    expires = now + timedelta(seconds=ttl_s)
    with db.write() as conn:
        taken = conn.execute(
            sa.update(leases)
            .where(
                leases.c.name == name,
                sa.or_(leases.c.holder == holder, leases.c.expires_at <= now),
            )
            .values(holder=holder, expires_at=expires)
        ).rowcount
        if taken:
            return True
        exists = conn.execute(sa.select(leases.c.name).where(leases.c.name == name)).first()
        if exists is not None:
            return False  # someone else holds it, and their time is not over
        try:
            with conn.begin_nested():
                conn.execute(sa.insert(leases).values(name=name, holder=holder, expires_at=expires))
        except sa.exc.IntegrityError:
            return False  # another process created it between our SELECT and INSERT
        return True


def release(db: Database, name: str, holder: str) -> bool:
    """Give up the lease ``name`` if ``holder`` holds it; True when it was released."""
    with db.write() as conn:
        gone = conn.execute(
            sa.delete(leases).where(leases.c.name == name, leases.c.holder == holder)
        ).rowcount
    return bool(gone)


def holder_of(db: Database, name: str) -> str | None:
    """Who holds the lease ``name`` now; None when no one does (never taken, released, expired)."""
    with db.read() as conn:
        row = conn.execute(
            sa.select(leases.c.holder).where(leases.c.name == name, leases.c.expires_at > utcnow())
        ).first()
    return None if row is None else str(row.holder)

"""Leases on both databases: taken, renewed, refused, taken over after expiry, released, raced."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.lease import acquire, holder_of, release
from tribune.db.tables.jobs import leases
from tribune.db.types import utcnow


def _expires_at(db: Database, name: str) -> object:
    with db.read() as conn:
        return conn.execute(sa.select(leases.c.expires_at).where(leases.c.name == name)).scalar()


def test_acquire_renew_refuse_release(empty_db: Database) -> None:
    db = empty_db
    assert holder_of(db, "scheduler") is None
    assert acquire(db, "scheduler", "a", 60)
    assert holder_of(db, "scheduler") == "a"
    first = _expires_at(db, "scheduler")
    time.sleep(0.01)
    assert acquire(db, "scheduler", "a", 60)  # ours: renewed
    assert _expires_at(db, "scheduler") > first  # type: ignore[operator]
    assert not acquire(db, "scheduler", "b", 60)  # someone else's, still valid
    assert holder_of(db, "scheduler") == "a"
    assert acquire(db, "other", "b", 60)  # leases are independent by name
    assert not release(db, "scheduler", "b")  # only the holder releases
    assert holder_of(db, "scheduler") == "a"
    assert release(db, "scheduler", "a")
    assert holder_of(db, "scheduler") is None
    assert acquire(db, "scheduler", "b", 60)
    assert holder_of(db, "scheduler") == "b"
    with pytest.raises(ValueError, match="positive"):
        acquire(db, "scheduler", "b", 0)


def test_an_expired_lease_is_taken_over(empty_db: Database) -> None:
    db = empty_db
    assert acquire(db, "scheduler", "crashed", 0.2)
    assert not acquire(db, "scheduler", "b", 60)
    time.sleep(0.25)
    assert holder_of(db, "scheduler") is None  # expired: no one holds it
    assert acquire(db, "scheduler", "b", 60)
    assert holder_of(db, "scheduler") == "b"
    assert not acquire(db, "scheduler", "crashed", 60)  # the old holder comes back too late
    assert not release(db, "scheduler", "crashed")
    assert holder_of(db, "scheduler") == "b"


def _race(url: str, name: str, contenders: int) -> list[str]:
    """``contenders`` threads, each with a database handle of its own, acquire ``name`` at once."""
    handles = [Database(url) for _ in range(contenders)]
    start = threading.Barrier(contenders)
    winners: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def contend(n: int) -> None:
        try:
            start.wait()
            if acquire(handles[n], name, f"holder-{n}", 60):
                with lock:
                    winners.append(f"holder-{n}")
        except BaseException as exc:
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=contend, args=(n,)) for n in range(contenders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for handle in handles:
        handle.dispose()
    assert not errors, errors
    return winners


def test_concurrent_acquirers_of_a_new_lease_have_one_winner(empty_db: Database) -> None:
    for attempt in range(5):
        winners = _race(empty_db.url, f"new-{attempt}", 8)
        assert len(winners) == 1, winners
        assert holder_of(empty_db, f"new-{attempt}") == winners[0]


def test_concurrent_takeovers_of_an_expired_lease_have_one_winner(empty_db: Database) -> None:
    with empty_db.write() as conn:
        conn.execute(
            sa.insert(leases),
            [
                {"name": f"old-{n}", "holder": "crashed", "expires_at": utcnow() - timedelta(1)}
                for n in range(5)
            ],
        )
    for attempt in range(5):
        winners = _race(empty_db.url, f"old-{attempt}", 8)
        assert len(winners) == 1, winners
        assert holder_of(empty_db, f"old-{attempt}") == winners[0]

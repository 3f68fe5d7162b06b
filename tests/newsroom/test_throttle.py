"""Fixed-window counters in the database, shared by every process that opens it."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import rate_limits
from tribune.newsroom import throttle


def _count(db: Database, key: str) -> int | None:
    with db.read() as conn:
        value = conn.execute(
            sa.select(rate_limits.c.count).where(rate_limits.c.key == key)
        ).scalar()
    return None if value is None else int(value)


def test_hits_within_the_limit_pass_then_the_wait_is_told(db: Database) -> None:
    for n in range(1, 4):
        assert throttle.hit(db, "login:ana", 3, 300) is None
        assert _count(db, "login:ana") == n
    wait = throttle.hit(db, "login:ana", 3, 300)
    assert wait is not None
    assert 1 <= wait <= 300
    assert wait == int(wait)
    # refusals keep being refused, and are not counted
    assert throttle.hit(db, "login:ana", 3, 300) is not None
    assert _count(db, "login:ana") == 3


def test_keys_are_counted_apart(db: Database) -> None:
    for _ in range(2):
        throttle.hit(db, "login:ana", 2, 300)
    assert throttle.hit(db, "login:ana", 2, 300) is not None
    assert throttle.hit(db, "login:bea", 2, 300) is None
    assert throttle.hit(db, "login-ip:127.0.0.1", 2, 300) is None


def test_the_window_resets(db: Database) -> None:
    assert throttle.hit(db, "k", 2, 0.5) is None
    assert throttle.hit(db, "k", 2, 0.5) is None
    wait = throttle.hit(db, "k", 2, 0.5)
    assert wait == 1.0  # never less than a second, for Retry-After
    time.sleep(0.6)
    assert throttle.hit(db, "k", 2, 0.5) is None  # a new window, counting from one
    assert _count(db, "k") == 1
    assert throttle.hit(db, "k", 2, 0.5) is None
    assert throttle.hit(db, "k", 2, 0.5) is not None


def test_clear_forgets_the_hits(db: Database) -> None:
    throttle.hit(db, "login:ana", 1, 300)
    assert throttle.hit(db, "login:ana", 1, 300) is not None
    throttle.clear(db, "login:ana")
    assert _count(db, "login:ana") is None
    assert throttle.hit(db, "login:ana", 1, 300) is None
    throttle.clear(db, "never-hit")  # clearing an unknown key is fine


def test_the_count_is_shared_by_separate_connections_to_the_database(db: Database) -> None:
    other = Database(db.url)  # what another worker process opens
    try:
        assert throttle.hit(db, "login:ana", 3, 300) is None
        assert throttle.hit(other, "login:ana", 3, 300) is None
        assert throttle.hit(db, "login:ana", 3, 300) is None
        assert throttle.hit(other, "login:ana", 3, 300) is not None
        assert throttle.hit(db, "login:ana", 3, 300) is not None
    finally:
        other.dispose()


@pytest.mark.parametrize("limit", [1, 5])
def test_concurrent_hits_never_exceed_the_limit(db: Database, limit: int) -> None:
    """Racing writers, on engines of their own, let exactly *limit* hits through."""
    engines = [Database(db.url) for _ in range(4)]
    passed: list[bool] = []
    errors: list[BaseException] = []
    start = threading.Barrier(12)

    def run(engine: Database) -> None:
        try:
            start.wait()
            passed.append(throttle.hit(engine, "login:race", limit, 300) is None)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(engines[n % 4],)) for n in range(12)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for engine in engines:
            engine.dispose()
    assert not errors, errors
    assert len(passed) == 12
    assert passed.count(True) == limit
    assert _count(db, "login:race") == limit

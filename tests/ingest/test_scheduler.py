"""The scheduler on both databases, polling a real loopback server: one holder polls at a time."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from httpserver import Reply, TestServer

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.lease import acquire, holder_of
from tribune.db.tables import items, sources
from tribune.ingest import scheduler as scheduler_module
from tribune.ingest.scheduler import Round, Scheduler
from tribune.ingest.sources import NewSource, add_source

LOOPBACK = Settings(allow_private_networks=True)
TICK = 0.05
TTL = 0.4


def _feed(server: TestServer) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {
                    "id": "1",
                    "url": server.url("/s/1"),
                    "title": "The KKE on the general strike",
                    "content_html": "<p>The Communist Party of Greece salutes the strike.</p>",
                }
            ],
        }
    ).encode()


@pytest.fixture
def feed(db: Database, server: TestServer) -> TestServer:
    """``server`` with a JSON feed that ``db`` has as its one source."""
    server.route(
        "/feed.json",
        Reply(headers={"Content-Type": "application/feed+json"}, body=_feed(server)),
    )
    add_source(db, NewSource(url=server.url("/feed.json"), org_id="gr-kke", kind="feed"))
    return server


def make_due(db: Database) -> None:
    """A periodic job for the tests: every source is due again at the next round."""
    with db.write() as conn:
        conn.execute(sa.update(sources).values(next_check_at=None))


def _feed_requests(server: TestServer) -> int:
    with server.lock:
        return server.paths().count("/feed.json")


def _wait(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def handles(db: Database) -> Iterator[Callable[[], Database]]:
    """More handles on ``db``'s database, as another process would open them."""
    opened: list[Database] = []

    def handle() -> Database:
        opened.append(Database(db.url))
        return opened[-1]

    yield handle
    for h in opened:
        h.dispose()


def _scheduler(db: Database, **kwargs: object) -> Scheduler:
    options: dict[str, object] = {"tick_s": TICK, "ttl_s": TTL, "settings": LOOPBACK}
    options.update(kwargs)
    return Scheduler(db, **options)  # type: ignore[arg-type]


def test_only_the_lease_holder_polls(
    db: Database, feed: TestServer, handles: Callable[[], Database]
) -> None:
    first = _scheduler(handles(), jobs=[make_due], holder="first")
    second = _scheduler(handles(), jobs=[make_due], holder="second")
    first.start()
    _wait(lambda: first.holding)
    second.start()
    try:
        _wait(lambda: first.rounds >= 5)
    finally:
        second.stop(5)
        first.stop(5)
    assert second.rounds == 0
    # every round of the holder polled the source once; no one else did
    assert _feed_requests(feed) == first.rounds
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(items)).scalar() == 1
    assert holder_of(db, "scheduler") is None  # stop() released it


def test_when_the_holder_stops_the_other_takes_over(
    db: Database, feed: TestServer, handles: Callable[[], Database]
) -> None:
    first = _scheduler(handles(), jobs=[make_due], holder="first").start()
    _wait(lambda: first.rounds >= 1)
    seen: list[tuple[bool, str | None]] = []
    second = _scheduler(
        handles(), jobs=[make_due], holder="second", on_lease=lambda *a: seen.append(a)
    ).start()
    try:
        _wait(lambda: seen == [(False, "first")] and first.rounds >= 3)
        first.stop(5)
        polled = _feed_requests(feed)
        _wait(lambda: second.rounds >= 2)
        assert holder_of(db, "scheduler") == "second"
        assert seen == [(False, "first"), (True, None)]
    finally:
        second.stop(5)
        first.stop(5)
    assert _feed_requests(feed) == polled + second.rounds


def test_a_crashed_holder_is_taken_over_after_its_ttl(
    db: Database, feed: TestServer, handles: Callable[[], Database]
) -> None:
    crashed = _scheduler(handles(), jobs=[make_due], holder="crashed")
    assert crashed.tick() is not None  # it polled once, then died without releasing the lease
    died = time.monotonic()
    assert _feed_requests(feed) == 1
    leases: list[tuple[bool, str | None]] = []
    other = _scheduler(
        handles(), jobs=[make_due], holder="other", on_lease=lambda *a: leases.append(a)
    )
    other.start()
    try:
        _wait(lambda: other.rounds >= 1)
        took_over = time.monotonic()
    finally:
        other.stop(5)
    assert took_over - died >= TTL - 2 * TICK  # its last renewal was at most a tick before
    assert leases[:2] == [(False, "crashed"), (True, None)]
    assert _feed_requests(feed) == 1 + other.rounds


def test_failures_are_logged_and_the_loop_goes_on(
    db: Database, feed: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[int] = []
    rounds: list[Round] = []

    def boom(_db: Database) -> None:
        raise RuntimeError("the re-fetch broke")

    def after(_db: Database) -> None:
        ran.append(1)

    s = _scheduler(db, jobs=[boom, make_due, after], on_round=rounds.append)
    with caplog.at_level(logging.ERROR, logger="tribune.ingest.scheduler"):
        s.start()
        try:
            _wait(lambda: s.rounds >= 3)
        finally:
            s.stop(5)
    assert len(ran) == s.rounds  # the jobs after the failing one still ran, every round
    assert _feed_requests(feed) == s.rounds
    assert rounds[0].job_errors == {"boom": "RuntimeError: the re-fetch broke"}
    assert rounds[0].reports[0].counts == {"new": 1}
    assert rounds[0].new == 1
    assert sum("periodic job boom failed" in r.getMessage() for r in caplog.records) >= 3


def test_a_failing_round_does_not_stop_the_loop(
    db: Database, feed: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_poll = scheduler_module.poll
    calls: list[int] = []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("the database went away")
        return real_poll(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scheduler_module, "poll", flaky)
    rounds: list[Round] = []
    s = _scheduler(db, on_round=rounds.append)
    s.start()
    try:
        _wait(lambda: s.rounds >= 2)
    finally:
        s.stop(5)
    assert rounds[0].error == "OSError: the database went away"
    assert rounds[1].error == ""
    assert _feed_requests(feed) == 1  # the source was polled by the second round


def test_stop_is_prompt_and_releases_the_lease(db: Database) -> None:
    s = Scheduler(db, tick_s=30, settings=LOOPBACK, holder="slow").start()
    _wait(lambda: s.rounds >= 1)
    assert holder_of(db, "scheduler") == "slow"
    started = time.monotonic()
    s.stop(5)
    assert time.monotonic() - started < 1
    assert holder_of(db, "scheduler") is None
    assert acquire(db, "scheduler", "next", 1)


def test_a_long_round_keeps_its_lease(db: Database, handles: Callable[[], Database]) -> None:
    def slow(_db: Database) -> None:
        time.sleep(TTL * 2.5)

    s = _scheduler(handles(), jobs=[slow], holder="slow")
    s.start()
    try:
        _wait(lambda: s.holding)
        time.sleep(TTL * 1.5)  # past the TTL, mid-round: the heartbeat has renewed it
        assert holder_of(db, "scheduler") == "slow"
        assert not acquire(db, "scheduler", "intruder", 1)
    finally:
        s.stop(5)


def test_settings_are_checked() -> None:
    db = Database("sqlite:///:memory:")
    with pytest.raises(ValueError, match="tick"):
        Scheduler(db, tick_s=0)
    with pytest.raises(ValueError, match="outlive"):
        Scheduler(db, tick_s=1, ttl_s=1)
    assert Scheduler(db, tick_s=2).ttl_s == 6
    assert Scheduler(db).holder.count(":") == 2
    db.dispose()

"""The polling scheduler: one process at a time runs the rounds, however many are started.

Every tick, a :class:`Scheduler` tries to take (or renew) the ``scheduler`` lease in the database
(:mod:`tribune.db.lease`). Only while it holds the lease does it run a polling round over the
sources that are due, then the extra periodic jobs it was given (callables that take the
database, such as the re-fetch of recent items). The others keep asking each tick and stand by.
While a round runs, a heartbeat renews the lease every tick, so a long round does not lose it;
a holder that crashes stops renewing, and its lease passes to another process after the
time-to-live (a few ticks). :meth:`Scheduler.stop` releases the lease at once.

A failing round or job is logged and the loop goes on. The scheduler runs in a thread of its own
(:meth:`Scheduler.start` and :meth:`Scheduler.stop`) or in the caller's (:meth:`Scheduler.run`,
until :meth:`Scheduler.stop` is called, for instance from a signal handler).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from tribune.config import Settings
from tribune.db import lease
from tribune.db.engine import Database
from tribune.db.types import utcnow
from tribune.ingest.poll import SourceReport, poll
from tribune.ingest.robots import RobotsMemory

log = logging.getLogger(__name__)

LEASE = "scheduler"
DEFAULT_TICK_S = 5.0
TTL_TICKS = 3  # the lease lives this many ticks unless renewed

Job = Callable[[Database], object]


def make_holder_id() -> str:
    """An id for this process that no other process shares: ``hostname:pid:random``."""
    return f"{socket.gethostname()[:150]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass
class Round:
    """What one round did, for whoever watches (``tribune serve`` prints a line)."""

    started_at: datetime
    duration_s: float = 0.0
    reports: list[SourceReport] = field(default_factory=list)
    error: str = ""  # the polling round failed as a whole
    job_errors: dict[str, str] = field(default_factory=dict)  # job name -> error

    @property
    def new(self) -> int:
        return sum(r.counts.get("new", 0) for r in self.reports)

    @property
    def failed(self) -> int:
        return sum(r.outcome == "error" for r in self.reports)


class Scheduler:
    """Runs polling rounds and periodic jobs while, and only while, it holds the lease."""

    def __init__(
        self,
        db: Database,
        *,
        tick_s: float = DEFAULT_TICK_S,
        ttl_s: float | None = None,
        settings: Settings | None = None,
        jobs: Sequence[Job] = (),
        holder: str | None = None,
        lease_name: str = LEASE,
        on_round: Callable[[Round], None] | None = None,
        on_lease: Callable[[bool, str | None], None] | None = None,
    ) -> None:
        """``on_round`` hears of every round run; ``on_lease`` of every change in holding the
        lease (True when this scheduler took it, False with the other holder when it lost it or
        first found it held)."""
        if tick_s <= 0:
            raise ValueError(f"the tick must be positive, not {tick_s!r}")
        self.db = db
        self.tick_s = tick_s
        self.ttl_s = ttl_s if ttl_s is not None else TTL_TICKS * tick_s
        if self.ttl_s <= tick_s:
            raise ValueError(f"the lease must outlive a tick ({self.ttl_s} <= {tick_s})")
        self.settings = settings
        self.jobs = list(jobs)
        self.holder = holder or make_holder_id()
        self.lease_name = lease_name
        self.on_round = on_round
        self.on_lease = on_lease
        self.rounds = 0
        self._holding: bool | None = None  # unknown until the first tick
        self._stopping = threading.Event()
        self._running = threading.Event()
        self._thread: threading.Thread | None = None
        self._robots: RobotsMemory = {}  # robots.txt read once a day, not once a round

    @property
    def holding(self) -> bool:
        """Whether this scheduler held the lease at its last tick."""
        return bool(self._holding)

    # running

    def start(self) -> Scheduler:
        """Run the loop in a background thread."""
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the scheduler is already running")
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self.run, name=f"tribune-scheduler-{self.holder}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """End the loop and wait for it (a round in progress is finished first); the lease is
        released as the loop ends, or here when no loop runs (after :meth:`tick` calls)."""
        self._stopping.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
            if thread.is_alive():
                log.warning("the scheduler did not stop within %s s", timeout)
                return
            self._thread = None
            return  # the loop released the lease as it ended
        if not self._running.is_set():
            self._release()

    def request_stop(self) -> None:
        """End the loop after the current round, without waiting: for a signal handler, which
        must not touch the database the interrupted code may be writing to."""
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def run(self) -> None:
        """The loop: tick until :meth:`stop`; the lease is released at the end."""
        self._running.set()
        try:
            while not self._stopping.is_set():
                self.tick()
                self._stopping.wait(self.tick_s)
        finally:
            self._release()
            self._running.clear()

    def tick(self) -> Round | None:
        """Take or renew the lease; if held, run one round and return it (else None)."""
        if not self._take():
            return None
        with self._heartbeat():
            done = self._round()
        self.rounds += 1
        if self.on_round is not None:
            try:
                self.on_round(done)
            except Exception:
                log.exception("the on_round callback failed")
        return done

    # the lease

    def _take(self) -> bool:
        try:
            held = lease.acquire(self.db, self.lease_name, self.holder, self.ttl_s)
        except Exception:
            log.exception("could not take the %s lease", self.lease_name)
            held = False
        if held != self._holding:
            self._holding = held
            other = None if held else self._other_holder()
            if held:
                log.info("%s holds the %s lease", self.holder, self.lease_name)
            else:
                log.info("the %s lease is held by %s; standing by", self.lease_name, other)
            if self.on_lease is not None:
                try:
                    self.on_lease(held, other)
                except Exception:
                    log.exception("the on_lease callback failed")
        return held

    def _other_holder(self) -> str | None:
        try:
            return lease.holder_of(self.db, self.lease_name)
        except Exception:
            return None

    def _release(self) -> None:
        try:
            lease.release(self.db, self.lease_name, self.holder)
        except Exception:
            log.exception("could not release the %s lease", self.lease_name)
        self._holding = False

    @contextmanager
    def _heartbeat(self) -> Iterator[None]:
        """Renew the lease every tick while a round runs, so a long round keeps it."""
        done = threading.Event()

        def beat() -> None:
            while not done.wait(self.tick_s):
                try:
                    if not lease.acquire(self.db, self.lease_name, self.holder, self.ttl_s):
                        log.warning("%s lost the %s lease mid-round", self.holder, self.lease_name)
                except Exception:
                    log.exception("could not renew the %s lease", self.lease_name)

        thread = threading.Thread(target=beat, name=f"tribune-lease-{self.holder}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    # the work

    def _round(self) -> Round:
        started = time.monotonic()
        done = Round(started_at=utcnow())
        try:
            done.reports = poll(self.db, which="due", settings=self.settings, robots=self._robots)
        except Exception as exc:
            log.exception("the polling round failed")
            done.error = f"{type(exc).__name__}: {exc}"
        for job in self.jobs:
            name = getattr(job, "__name__", repr(job))
            try:
                job(self.db)
            except Exception as exc:
                log.exception("the periodic job %s failed", name)
                done.job_errors[name] = f"{type(exc).__name__}: {exc}"
        done.duration_s = time.monotonic() - started
        return done

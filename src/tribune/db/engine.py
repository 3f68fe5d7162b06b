"""The database handle: one engine per URL, SQLite's connection rules and the one write path.

SQLite is used in WAL mode with foreign keys on and a busy timeout. SQLite allows one writer at a
time; rather than let concurrent writers race for the lock and fail with ``database is locked``,
every write in this process goes through :meth:`Database.write`, which serialises writers on a
lock and opens the transaction with ``BEGIN IMMEDIATE`` (so the write lock is taken up front and
the busy timeout covers waits for writers in other processes). PostgreSQL needs neither: its
writes are plain transactions.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.engine.url import make_url

_WRITE_OPTION = "tribune_write"


class DatabaseError(Exception):
    """A database problem worth a clear message to the operator."""


class DatabaseUnavailable(DatabaseError):
    """The database cannot be reached or opened."""


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` URLs and drive them with psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _install_sqlite_rules(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own handling is wrong).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(_WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


# Connections kept open (one for each thread of the web app, tribune.web.app.ROUTE_THREADS), and
# those opened on demand beyond them (for other threads: the scheduler's, a CLI's) and closed
# when returned. A connection opened per request would cost more than a cached page.
POOL_SIZE = 12
POOL_OVERFLOW = 12


class Database:
    """A database reached through one engine; use :meth:`read` and :meth:`write`."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 5000) -> None:
        self.url = normalise_url(url)
        try:
            parsed = make_url(self.url)
        except sa.exc.ArgumentError as exc:
            raise DatabaseUnavailable(f"not a database URL: {url!r}") from exc
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise DatabaseUnavailable(
                f"unsupported database {self.dialect!r}: use sqlite:///FILE or postgresql://..."
            )
        kwargs: dict[str, Any] = {}
        if self.dialect == "postgresql":
            kwargs["pool_pre_ping"] = True
        if parsed.database not in (None, "", ":memory:"):
            kwargs.update(pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        self.engine = sa.create_engine(self.url, **kwargs)
        if self.dialect == "sqlite":
            _install_sqlite_rules(self.engine, busy_timeout_ms)
        self._write_lock = threading.RLock()
        # a handle dropped without dispose() still closes its connections cleanly
        weakref.finalize(self, self.engine.dispose)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def describe(self) -> str:
        """The URL without its password, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection inside a read transaction (rolled back at the end)."""
        with self._connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """The one write path: a transaction that commits on success and rolls back on error."""
        with self._write_lock, self._connect(write=True) as conn, conn.begin():
            yield conn

    @contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[Connection]:
        try:
            conn = self.engine.connect()
        except sa.exc.OperationalError as exc:
            raise DatabaseUnavailable(
                f"cannot open the database {self.describe()}: {_first_line(exc)}"
            ) from exc
        try:
            if write:
                conn = conn.execution_options(**{_WRITE_OPTION: True})
            yield conn
        finally:
            conn.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__

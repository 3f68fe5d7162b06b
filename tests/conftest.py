"""Fixtures shared by the whole suite: databases on SQLite and PostgreSQL.

Databases are built once per test run as templates (migrated, and with the packaged KB loaded for
``kb_db``), then cloned for each test: a file copy for SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL. Every run uses database names of its own, so concurrent runs never collide.

PostgreSQL comes from ``TRIBUNE_TEST_POSTGRES_URL`` (default: the local server on 127.0.0.1:5432).
When it cannot be reached the PostgreSQL variants are skipped with the reason, unless
``TRIBUNE_REQUIRE_POSTGRES=1``, which turns the skip into a failure.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tribune.config import get_settings
from tribune.db.engine import Database, normalise_url
from tribune.db.migrate import upgrade

PG_ADMIN_URL = normalise_url(
    os.environ.get("TRIBUNE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
)
RUN_ID = uuid.uuid4().hex[:8]
BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


def _build_kb(db: Database) -> None:
    from tribune.kb.load import load_kb

    load_kb(db)


TEMPLATES: dict[str, Callable[[Database], None]] = {"empty": lambda db: None, "kb": _build_kb}


class PostgresServer:
    """Creates and drops this run's databases on the test server."""

    def __init__(self, admin_url: str) -> None:
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.admin_url = sa.engine.make_url(admin_url)
        self.created: list[str] = []

    def url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str, template: str | None = None) -> Database:
        with self.admin.connect() as conn:
            clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{clause}')
        self.created.append(name)
        return Database(self.url(name))

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in reversed(self.created):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        server = PostgresServer(PG_ADMIN_URL)
        with server.admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:  # the server is simply not there
        reason = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {type(exc).__name__}"
        if os.environ.get("TRIBUNE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (TRIBUNE_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    yield server
    server.drop_all()


class Templates:
    """Builds each template database once per run and clones it on demand."""

    def __init__(self, tmp: Path, request: pytest.FixtureRequest) -> None:
        self.tmp = tmp
        self.request = request
        self.sqlite: dict[str, Path] = {}
        self.postgres: dict[str, str] = {}

    def clone(self, backend: str, name: str) -> Database:
        n = next(_counter)
        if backend == "sqlite":
            if name not in self.sqlite:
                path = self.tmp / f"template-{name}.db"
                db = Database(f"sqlite:///{path}")
                upgrade(db)
                TEMPLATES[name](db)
                db.dispose()
                with contextlib.closing(sqlite3.connect(path)) as raw:
                    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self.sqlite[name] = path
            target = self.tmp / f"test-{n}.db"
            shutil.copyfile(self.sqlite[name], target)
            return Database(f"sqlite:///{target}")
        server: PostgresServer = self.request.getfixturevalue("postgres_server")
        if name not in self.postgres:
            template = f"tribune_test_{RUN_ID}_tpl_{name}"
            db = server.create(template)
            upgrade(db)
            TEMPLATES[name](db)
            db.dispose()
            self.postgres[name] = template
        return server.create(f"tribune_test_{RUN_ID}_{n}", template=self.postgres[name])


@pytest.fixture(scope="session")
def templates(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Templates:
    return Templates(tmp_path_factory.mktemp("databases"), request)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_db(templates: Templates, backend: str) -> Iterator[Database]:
    """A freshly migrated database of its own, on each backend."""
    db = templates.clone(backend, "empty")
    yield db
    db.dispose()


@pytest.fixture
def db(templates: Templates, backend: str) -> Iterator[Database]:
    """A migrated database with the packaged KB loaded, of its own, on each backend."""
    db = templates.clone(backend, "kb")
    yield db
    db.dispose()


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The ``tribune`` CLI's test runner, on :func:`db`."""
    monkeypatch.setenv("TRIBUNE_DATABASE_URL", db.url)
    get_settings.cache_clear()
    return CliRunner()


@pytest.fixture(scope="session", params=BACKENDS)
def shared_kb_db(templates: Templates, request: pytest.FixtureRequest) -> Iterator[Database]:
    """One KB database per backend for the whole run: for tests that only read."""
    db = templates.clone(str(request.param), "kb")
    yield db
    db.dispose()


@pytest.fixture
def raw_url_sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'raw.db'}"

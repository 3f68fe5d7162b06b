from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database, DatabaseUnavailable, normalise_url


def test_sqlite_connection_rules(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}", busy_timeout_ms=1234)
    with db.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234


def test_sqlite_enforces_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE p (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE c (p INTEGER REFERENCES p(id))")
    with pytest.raises(sa.exc.IntegrityError), db.write() as conn:
        conn.exec_driver_sql("INSERT INTO c VALUES (42)")


def test_write_rolls_back_on_error(empty_db: Database) -> None:
    from tribune.db.tables import countries

    def insert_then_fail() -> None:
        with empty_db.write() as conn:
            conn.execute(sa.insert(countries).values(code="GR", name_en="Greece"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        insert_then_fail()
    with empty_db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(countries)).scalar() == 0


def test_concurrent_writers_are_serialised(tmp_path: Path) -> None:
    """Many threads writing at once through the write path: no 'database is locked', no loss."""
    db = Database(f"sqlite:///{tmp_path / 'a.db'}", busy_timeout_ms=100)
    with db.write() as conn:
        conn.exec_driver_sql("CREATE TABLE n (i INTEGER)")
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            for i in range(25):
                with db.write() as conn:
                    before = conn.exec_driver_sql("SELECT count(*) FROM n").scalar()
                    conn.exec_driver_sql(f"INSERT INTO n VALUES ({k * 100 + i})")
                    after = conn.exec_driver_sql("SELECT count(*) FROM n").scalar()
                    assert after == (before or 0) + 1
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(DISTINCT i) FROM n").scalar() == 200


def test_unreachable_postgres_names_the_problem() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/nowhere")
    pattern = r"cannot open the database .*127\.0\.0\.1:1"
    with pytest.raises(DatabaseUnavailable, match=pattern), db.read():
        pass


def test_unopenable_sqlite_file_names_the_problem(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'missing-dir' / 'a.db'}")
    with pytest.raises(DatabaseUnavailable, match="cannot open the database"), db.read():
        pass


def test_bad_urls_are_refused() -> None:
    with pytest.raises(DatabaseUnavailable, match="not a database URL"):
        Database("::::")
    with pytest.raises(DatabaseUnavailable, match="unsupported database 'mysql'"):
        Database("mysql://localhost/x")


def test_postgres_urls_use_psycopg3() -> None:
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_describe_hides_password() -> None:
    db = Database("postgresql://u:secret@127.0.0.1/d")
    assert "secret" not in db.describe()

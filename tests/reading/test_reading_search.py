"""Searching published items a page at a time: totals, order, filters and the query plans."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.search import SearchQueryError, index_item
from tribune.db.tables import items
from tribune.db.types import new_public_id, utcnow
from tribune.reading.listing import Filters
from tribune.reading.search import search

START = datetime(2026, 1, 1, tzinfo=UTC)


def _add(conn: Connection, n: int, title: str, body: str, language: str, *, status: str) -> int:
    result = conn.execute(
        sa.insert(items).values(
            public_id=new_public_id(),
            url=f"https://example.org/{n}",
            canonical_url=f"https://example.org/{n}",
            fetched_at=utcnow(),
            content_hash=hashlib.sha256(f"{n}{title}{body}".encode()).hexdigest(),
            title=title,
            lead="",
            body_text=body,
            language=language,
            published_at=START + timedelta(days=n),
            status=status,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    item_id = int(key[0])
    if status == "published":
        index_item(conn, item_id, title, "", body)
    return item_id


@pytest.fixture
def corpus(empty_db: Database) -> dict[str, list[int]]:
    """30 published items naming "harbour" (ten in the title), 5 that do not, and one
    withdrawn item naming it (not in the index)."""
    found: dict[str, list[int]] = {"title": [], "body": [], "other": []}
    with empty_db.write() as conn:
        for n in range(30):
            language = "en" if n % 3 else "el"
            if n % 3 == 0:
                found["title"].append(
                    _add(conn, n, f"Harbour strike {n}", "Dockers.", language, status="published")
                )
            else:
                found["body"].append(
                    _add(
                        conn,
                        n,
                        f"Statement {n}",
                        "The harbour workers strike.",
                        language,
                        status="published",
                    )
                )
        for n in range(30, 35):
            found["other"].append(
                _add(conn, n, f"Elections {n}", "Votes.", "en", status="published")
            )
        _add(conn, 40, "Harbour", "The harbour.", "en", status="withdrawn")
    return found


def test_pages_cover_every_match_once_best_first(
    empty_db: Database, corpus: dict[str, list[int]]
) -> None:
    seen: list[int] = []
    with empty_db.read() as conn:
        for offset in range(0, 40, 7):
            found = search(conn, "harbour", limit=7, offset=offset)
            assert found.total == 30
            seen += found.ids
    assert len(seen) == len(set(seen)) == 30
    assert set(seen) == set(corpus["title"] + corpus["body"])
    # the title weighs more than the body: the ten title matches come first
    assert set(seen[:10]) == set(corpus["title"])


def test_ties_of_rank_go_to_the_item_gathered_last(
    empty_db: Database, corpus: dict[str, list[int]]
) -> None:
    with empty_db.read() as conn:
        found = search(conn, "harbour", limit=30)
    bodies = [i for i in found.ids if i in corpus["body"]]
    assert bodies == sorted(corpus["body"], reverse=True)


def test_filters_narrow_the_matches_and_the_total(
    empty_db: Database, corpus: dict[str, list[int]]
) -> None:
    with empty_db.read() as conn:
        greek = search(conn, "harbour", Filters(language="el"), limit=50)
        english = search(conn, "harbour", Filters(language="en"), limit=4, offset=2)
        recent = search(conn, "harbour", Filters(since=START + timedelta(days=20)), limit=50)
    assert greek.total == 10
    assert set(greek.ids) == set(corpus["title"])
    assert english.total == 20
    assert len(english.ids) == 4
    assert set(english.ids) <= set(corpus["body"])
    assert recent.total == 10
    assert len(recent.ids) == 10


def test_newest_first_orders_by_the_statements_date(
    empty_db: Database, corpus: dict[str, list[int]]
) -> None:
    with empty_db.read() as conn:
        found = search(conn, "harbour", limit=5, newest_first=True)
        filtered = search(conn, "harbour", Filters(language="el"), limit=3, newest_first=True)
        dates = dict(conn.execute(sa.select(items.c.id, items.c.published_at)).all())
    assert found.total == 30
    harbour = corpus["title"] + corpus["body"]
    assert found.ids == sorted(harbour, key=lambda i: dates[i], reverse=True)[:5]
    assert filtered.ids == sorted(corpus["title"], key=lambda i: dates[i], reverse=True)[:3]


def test_past_the_end_and_no_match(empty_db: Database, corpus: dict[str, list[int]]) -> None:
    with empty_db.read() as conn:
        assert search(conn, "harbour", limit=10, offset=30).ids == []
        nothing = search(conn, "nowhere", Filters(language="en"), limit=10)
        assert (nothing.ids, nothing.total) == ([], 0)
        with pytest.raises(SearchQueryError):
            search(conn, "-harbour", limit=10)


def _plans(db: Database, run: Any) -> list[str]:
    """The SQLite query plan of every statement *run* sends."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if not statement.startswith("EXPLAIN"):
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        with db.read() as conn:
            run(conn)
            return [
                "\n".join(str(row[3]) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {s}", p))
                for s, p in sent
                if "item_search" in s
            ]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    "filters", [Filters(), Filters(language="en"), Filters(org="gr-kke", country="GR")]
)
def test_every_search_statement_starts_from_the_index(
    empty_db: Database, corpus: dict[str, list[int]], filters: Filters
) -> None:
    """Never a probe of the index per item (``INDEX 0:=``: by rowid) nor a scan of items:
    either makes a search take seconds on 100,000 items."""

    def run(conn: Connection) -> None:
        search(conn, "harbour", filters, limit=5)
        search(conn, "harbour", filters, limit=5, newest_first=True)

    plans = _plans(empty_db, run)
    assert len(plans) >= 2  # the counts; the pages too, when something matches
    for plan in plans:
        assert "item_search VIRTUAL TABLE INDEX 0:M" in plan, plan
        assert not re.search(r"INDEX 0:=|SCAN items\b", plan), plan

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import items, sources
from tribune.db.types import new_public_id
from tribune.ingest.sources import (
    LIST_FIELDS,
    NewSource,
    SourceError,
    add_source,
    list_sources,
    load_recipe,
)


def test_add_stores_without_fetching(db: Database) -> None:
    public_id = add_source(
        db, NewSource(url="http://kke.example/feed.xml", org_id="gr-kke", kind="feed")
    )
    (row,) = list_sources(db)
    assert list(row)[: len(LIST_FIELDS)] == list(LIST_FIELDS)
    assert row["id"] == public_id
    assert row["kind"] == "feed"
    assert row["org_id"] == "gr-kke"
    assert row["state"] == "active"
    assert row["error_count"] == 0
    assert row["last_success_at"] is None
    assert row["items_30d"] == 0
    assert row["next_check_at"] is not None


@pytest.mark.parametrize(
    ("new", "message"),
    [
        (NewSource(url="ftp://kke.example/", org_id="gr-kke"), "not an http or https URL"),
        (NewSource(url="http:///feed", org_id="gr-kke"), "has no host"),
        (NewSource(url="http://kke.example:99999/", org_id="gr-kke"), "bad port"),
        (NewSource(url="http://kke.example/", org_id="xx-none"), "no organisation"),
        (NewSource(url="http://kke.example/", org_id="gr-kke", kind="rss"), "unknown kind"),
        (NewSource(url="http://kke.example/", org_id="gr-kke", rights="all"), "unknown rights"),
        (
            NewSource(
                url="http://kke.example/", org_id="gr-kke", min_interval_s=10, max_interval_s=5
            ),
            "interval",
        ),
    ],
)
def test_bad_sources_are_refused(db: Database, new: NewSource, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        add_source(db, new)
    assert list_sources(db) == []


def test_a_url_is_stored_once(db: Database) -> None:
    add_source(db, NewSource(url="http://kke.example/rss", org_id="gr-kke"))
    with pytest.raises(SourceError, match="exists already"):
        add_source(db, NewSource(url="http://kke.example/rss", org_id="gr-kke"))
    assert len(list_sources(db)) == 1


def test_health_counts_recent_items_and_lists_failing_sources_first(db: Database) -> None:
    add_source(db, NewSource(url="http://a.example/", org_id="gr-kke"))
    add_source(db, NewSource(url="http://b.example/", org_id="tr-tkp"))
    now = datetime.now(UTC)
    with db.write() as conn:
        b_id = conn.execute(
            sa.select(sources.c.id).where(sources.c.url.like("%b.example%"))
        ).scalar()
        conn.execute(
            sa.update(sources)
            .where(sources.c.id == b_id)
            .values(error_count=3, last_error="HTTP 500", last_error_at=now)
        )
        for age_days in (1, 2, 40):
            conn.execute(
                sa.insert(items).values(
                    public_id=new_public_id(),
                    source_id=b_id,
                    url=f"http://b.example/{age_days}",
                    canonical_url=f"http://b.example/{age_days}",
                    fetched_at=now - timedelta(days=age_days),
                    content_hash=str(age_days),
                )
            )
    first, second = list_sources(db)
    assert first["url"] == "http://b.example/"
    assert first["error_count"] == 3
    assert first["last_error"] == "HTTP 500"
    assert first["items_30d"] == 2
    assert second["items_30d"] == 0


def test_recipes(tmp_path: Path) -> None:
    good = tmp_path / "r.json"
    good.write_text(json.dumps({"links": "article h2 a", "next": "a.next"}), encoding="utf-8")
    assert load_recipe(good)["links"] == "article h2 a"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceError, match="cannot read the recipe"):
        load_recipe(bad)
    empty = tmp_path / "empty.json"
    empty.write_text("{}", encoding="utf-8")
    with pytest.raises(SourceError, match='needs a "links" selector'):
        load_recipe(empty)

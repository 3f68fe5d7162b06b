from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import items, sources
from tribune.db.types import new_public_id


def test_public_ids_are_uuid7_and_time_ordered() -> None:
    ids = [new_public_id() for _ in range(50)]
    parsed = [uuid.UUID(i) for i in ids]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(ids)) == 50
    stamps = [u.int >> 80 for u in parsed]
    assert stamps == sorted(stamps)


def _insert_item(db: Database, published: datetime) -> int:
    with db.write() as conn:
        source = conn.execute(
            sa.insert(sources).values(public_id=new_public_id(), kind="feed", url="http://x/f")
        ).inserted_primary_key
        assert source is not None
        row = conn.execute(
            sa.insert(items).values(
                public_id=new_public_id(),
                source_id=source[0],
                url="http://x/1",
                canonical_url="http://x/1",
                fetched_at=datetime.now(UTC),
                content_hash="h",
                published_at=published,
                published_offset=int((published.utcoffset() or timedelta()).total_seconds() // 60),
                published_precision="minute",
            )
        ).inserted_primary_key
        assert row is not None
        return int(row[0])


def test_dates_are_stored_in_utc_with_their_offset(empty_db: Database) -> None:
    athens = timezone(timedelta(hours=3))
    local = datetime(2019, 11, 18, 9, 30, tzinfo=athens)
    item_id = _insert_item(empty_db, local)
    with empty_db.read() as conn:
        row = conn.execute(sa.select(items).where(items.c.id == item_id)).one()
    assert row.published_at == local
    assert row.published_at.tzinfo == UTC
    assert row.published_at.hour == 6
    assert row.published_offset == 180
    assert row.published_precision == "minute"


def test_naive_datetimes_are_refused(empty_db: Database) -> None:
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        _insert_item(empty_db, datetime(2019, 11, 18, 9, 30))

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import item_bands, items
from tribune.db.types import new_public_id
from tribune.ingest.dedupe import (
    BANDS,
    THRESHOLD,
    band_buckets,
    candidates_query,
    minhash,
    near_duplicates,
    record,
    shingles,
    similarity,
)

STATEMENT = (
    "The Communist Party of Greece condemns the decision of the government to send frigates "
    "to the Red Sea. This decision drags the country deeper into the imperialist war and puts "
    "the lives of the seamen and of the people at risk. The KKE calls on the workers, the "
    "youth and the people to take part in the rallies against the war on Saturday, to demand "
    "that the frigates return and that the country disengages from the plans of NATO and the "
    "EU. No Greek soldier outside the borders! Not one euro for the wars of the monopolies!"
)
REPUBLISHED = "Republished from the KKE website. " + STATEMENT.replace("seamen", "sailors")
OTHER = (
    "The Communist Party of Turkey condemns the decision of the government to raise the prices "
    "of electricity and natural gas again. The working people of Turkey pay for the profits of "
    "the energy monopolies while wages melt away. The TKP calls on the workers to organise in "
    "their workplaces and to join the struggle for a life worthy of human beings."
)


def test_signatures_are_stable_and_estimate_jaccard() -> None:
    assert (minhash(STATEMENT) == minhash(STATEMENT)).all()
    assert similarity(minhash(STATEMENT), minhash(REPUBLISHED)) >= THRESHOLD
    assert similarity(minhash(STATEMENT), minhash(OTHER)) < 0.3
    a, b = shingles(STATEMENT), shingles(REPUBLISHED)
    true_jaccard = len(a & b) / len(a | b)
    assert abs(similarity(minhash(STATEMENT), minhash(REPUBLISHED)) - true_jaccard) < 0.15


def test_short_and_empty_texts() -> None:
    assert shingles("") == set()
    assert shingles("KKE statement") == {b"kke statement"}
    assert similarity(minhash(""), minhash("")) == 1.0
    assert len(band_buckets(minhash("x"))) == BANDS


def _item(db: Database, url: str) -> int:
    with db.write() as conn:
        key = conn.execute(
            sa.insert(items).values(
                public_id=new_public_id(),
                url=url,
                canonical_url=url,
                fetched_at=datetime.now(UTC),
                content_hash=url,
            )
        ).inserted_primary_key
    assert key is not None
    return int(key[0])


def test_the_index_in_the_database_finds_republications(db: Database) -> None:
    original = _item(db, "http://kke.example/1")
    other = _item(db, "http://tkp.example/1")
    with db.write() as conn:
        record(conn, original, minhash(STATEMENT))
        record(conn, other, minhash(OTHER))
    with db.read() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(item_bands)).scalar() == 2 * BANDS
        )
        found = near_duplicates(conn, minhash(REPUBLISHED))
        assert [i for i, _ in found] == [original]
        assert found[0][1] >= THRESHOLD
        assert near_duplicates(conn, minhash(STATEMENT), exclude=[original]) == []
        unrelated = "A report on the harvest of olives in Crete and the prices paid to farmers."
        assert near_duplicates(conn, minhash(unrelated)) == []


def test_candidates_are_looked_up_in_the_index_not_scanned(empty_db: Database) -> None:
    query = candidates_query(minhash("a statement of the party on the strike " * 10))
    with empty_db.read() as conn:
        if conn.dialect.name == "sqlite":
            compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
            plan = " ".join(
                str(row[-1]) for row in conn.execute(sa.text(f"EXPLAIN QUERY PLAN {compiled}"))
            )
            assert "SCAN item_bands" not in plan
            assert "SEARCH item_bands" in plan
        else:
            conn.execute(sa.text("SET enable_seqscan = off"))
            compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
            plan = " ".join(str(r[0]) for r in conn.execute(sa.text(f"EXPLAIN {compiled}")))
            assert "Index" in plan

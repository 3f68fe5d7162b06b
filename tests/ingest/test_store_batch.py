"""Entries stored a batch at a time: one transaction for the entries ready together, and an
entry that cannot be stored fails alone."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import item_revisions, items, mentions, sources
from tribune.ingest.sources import NewSource, add_source
from tribune.ingest.store import Gathered
from tribune.ingest.store_batch import BatchStore
from tribune.understand.mention import Mention

BODY = "The Communist Party of Greece calls the workers of the port of Piraeus to strike, {n}."


def _source(db: Database) -> int:
    public_id = add_source(
        db, NewSource(url="http://127.0.0.1:9/feed.xml", org_id="gr-kke", kind="feed")
    )
    with db.read() as conn:
        query = sa.select(sources.c.id).where(sources.c.public_id == public_id)
        return int(conn.execute(query).scalar_one())


def _entry(source_id: int, n: int, *, text: str | None = None) -> Gathered:
    url = f"http://127.0.0.1:9/a/{n}"
    body = text if text is not None else BODY.format(n=f"day {n} of the strike number {n * 7919}")
    return Gathered(
        source_id=source_id,
        url=url,
        canonical_url=url,
        guid=url,
        title=f"Statement {n}",
        lead=body[:80],
        body_html=f"<p>{body}</p>",
        body_text=body,
        language="en",
        published=None,
    )


def _commits(db: Database) -> list[int]:
    counted = [0]

    def on_commit(_conn: Any) -> None:
        counted[0] += 1

    sa.event.listen(db.engine, "commit", on_commit)
    return counted


def test_entries_ready_together_share_one_transaction(db: Database) -> None:
    source = _source(db)
    commits = _commits(db)
    found = {
        "title": [],
        "body": [Mention(4, 35, "Communist Party of Greece", "org", "gr-kke", 1.0)],
    }

    async def run() -> list[str]:
        storer = BatchStore(db, batch=10, wait_s=0.05)
        return list(
            await asyncio.gather(*(storer.store(_entry(source, n), found) for n in range(25)))
        )

    assert asyncio.run(run()) == ["new"] * 25
    assert commits[0] == 3  # 10 + 10 + 5, not 25
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(items)).scalar_one() == 25
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(item_revisions)).scalar_one() == 25
        )
        stored = conn.execute(sa.select(sa.func.count()).select_from(mentions)).scalar_one()
        assert stored == 25


def test_an_entry_that_cannot_be_stored_fails_alone(db: Database) -> None:
    source = _source(db)
    bad = replace(_entry(source, 99), source_id=424242)

    async def run() -> list[Any]:
        storer = BatchStore(db, batch=50, wait_s=0.05)
        entries = [_entry(source, 1), bad, _entry(source, 2)]
        return list(
            await asyncio.gather(
                *(storer.store(e, {"title": [], "body": []}) for e in entries),
                return_exceptions=True,
            )
        )

    first, failed, last = asyncio.run(run())
    assert (first, last) == ("new", "new")
    assert isinstance(failed, sa.exc.IntegrityError)  # no such source: the foreign key refuses it
    with db.read() as conn:
        urls = conn.execute(sa.select(items.c.url).order_by(items.c.url)).scalars().all()
    assert urls == ["http://127.0.0.1:9/a/1", "http://127.0.0.1:9/a/2"]


def test_a_copy_in_the_same_batch_is_found(db: Database) -> None:
    """The near-duplicate check sees the entries stored earlier in its own transaction."""
    source = _source(db)
    text = BODY.format(n="and the dockers answer the call of the union " * 8)

    async def run() -> list[str]:
        storer = BatchStore(db, batch=50, wait_s=0.05)
        copies = [_entry(source, 1, text=text), _entry(source, 2, text="Republished. " + text)]
        return list(await asyncio.gather(*(storer.store(c, {}) for c in copies)))

    assert asyncio.run(run()) == ["new", "duplicate"]


@pytest.mark.parametrize("wait_s", [0.0, 0.05])
def test_a_lone_entry_is_stored_without_waiting_for_a_full_batch(
    db: Database, wait_s: float
) -> None:
    source = _source(db)

    async def run() -> str:
        storer = BatchStore(db, batch=50, wait_s=wait_s)
        return await asyncio.wait_for(storer.store(_entry(source, 1), {}), timeout=5)

    assert asyncio.run(run()) == "new"

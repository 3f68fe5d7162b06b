"""A polling round reads the role statements of what it gathered (the roles stage runs after
it), and reads an item again when its text changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import item_stages, role_claims
from tribune.ingest.poll import poll
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer
from tribune.understand.roles import VERSION

LOOPBACK = Settings(allow_private_networks=True)
SAID = (
    "Kemal Okuyan, General Secretary of the Communist Party of Turkey (TKP), spoke at the rally "
    "in Istanbul against the war and the high cost of living."
)


def _feed(body: str) -> str:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "TKP",
            "items": [
                {
                    "id": "tkp-1",
                    "url": "{{site}}/news/rally",
                    "title": "A rally against the war",
                    "content_html": f"<p>{body}</p>",
                    "date_published": "2026-11-20T23:30:00+03:00",
                }
            ],
        }
    )


@pytest.fixture
def replay(tmp_path: Path) -> Iterator[ReplayServer]:
    site = tmp_path / "tkp"
    site.mkdir()
    (site / "feed.json").write_text(_feed(SAID), encoding="utf-8")
    with ReplayServer(tmp_path) as server:
        yield server


def _claims(db: Database) -> list[tuple[object, ...]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(
                role_claims.c.person_id,
                role_claims.c.org_id,
                role_claims.c.title,
                role_claims.c.claimed_on,
            )
        )
        return [tuple(r) for r in rows]


def test_a_round_reads_the_roles_of_what_it_gathered(db: Database, replay: ReplayServer) -> None:
    add_source(db, NewSource(url=replay.url("tkp", "/feed.json"), org_id="tr-tkp", kind="feed"))
    poll(db, which="all", settings=LOOPBACK)
    # dated as the publisher dates it: the 20th in Istanbul
    assert _claims(db) == [("kemal-okuyan", "tr-tkp", "general-secretary", date(2026, 11, 20))]
    with db.read() as conn:
        stage = conn.execute(
            sa.select(item_stages.c.version).where(item_stages.c.stage == "roles")
        ).scalar_one()
    assert stage == VERSION
    # the text changes: the next round reads it again
    replay.replace("tkp", "/feed.json", _feed("The rally in Istanbul was large and peaceful."))
    poll(db, which="all", settings=LOOPBACK)
    assert _claims(db) == []

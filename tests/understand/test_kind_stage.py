"""The kinds stage over stored items, and ``tribune reprocess --stage kinds``."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from typer.testing import CliRunner

from tribune.cli import app
from tribune.db.engine import Database
from tribune.db.tables import item_kinds, item_stages, items
from tribune.db.types import new_public_id
from tribune.understand import kind_stage
from tribune.understand.kinds import VERSION

GATHERED = datetime(2026, 11, 1, tzinfo=UTC)
TEXTS = [
    ("Joint statement of communist parties on Palestine", "The undersigned parties..."),
    ("Συλλυπητήρια του ΚΚΕ", "Με βαθιά θλίψη..."),
    ("Entrevista al secretario general", "¿Cómo valora la huelga?"),
]


def _add(conn: Connection, n: int, title: str, body: str, **values: object) -> int:
    key = conn.execute(
        sa.insert(items).values(
            public_id=new_public_id(),
            url=f"https://example.org/{n}",
            canonical_url=f"https://example.org/{n}",
            fetched_at=GATHERED + timedelta(days=n),
            content_hash=hashlib.sha256(f"{n}".encode()).hexdigest(),
            title=title,
            body_text=body,
            **({"status": "inbox"} | values),
        )
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


@pytest.fixture
def stored(db: Database) -> list[int]:
    with db.write() as conn:
        ids = [_add(conn, n, title, body) for n, (title, body) in enumerate(TEXTS)]
        ids.append(_add(conn, 9, "Joint statement", "", status="duplicate", duplicate_of=ids[0]))
        # an editor already chose this item's kind
        conn.execute(sa.update(items).where(items.c.id == ids[2]).values(kind="article"))
    return ids


def _kinds(db: Database) -> dict[int, tuple[str, str]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(item_kinds.c.item_id, item_kinds.c.kind, item_kinds.c.version)
        )
        return {int(r.item_id): (r.kind, r.version) for r in rows}


def _stages(db: Database) -> list[tuple[int, str, str]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(item_stages.c.item_id, item_stages.c.version, item_stages.c.state)
            .where(item_stages.c.stage == "kinds")
            .order_by(item_stages.c.item_id)
        )
        return [(int(r.item_id), r.version, r.state) for r in rows]


def test_the_stage_guesses_kinds_and_is_idempotent(db: Database, stored: list[int]) -> None:
    assert kind_stage.run(db) == (3, 3)
    guessed = _kinds(db)
    assert guessed == {
        stored[0]: ("joint-statement", VERSION),
        stored[1]: ("condolence", VERSION),
        stored[2]: ("interview", VERSION),
    }  # not the duplicate: its original is classified
    assert _stages(db) == [(i, VERSION, "done") for i in stored[:3]]
    assert kind_stage.run(db) == (3, 3)
    assert _kinds(db) == guessed
    assert _stages(db) == [(i, VERSION, "done") for i in stored[:3]]
    with db.read() as conn:  # the editor's choice is not the stage's to change
        assert conn.execute(sa.select(items.c.kind).where(items.c.id == stored[2])).scalar() == (
            "article"
        )


def test_pending_and_since_narrow_the_run(db: Database, stored: list[int]) -> None:
    assert kind_stage.run(db, since=GATHERED + timedelta(days=1)) == (2, 2)
    assert set(_kinds(db)) == set(stored[1:3])
    assert kind_stage.run(db, pending=True) == (1, 1)  # only the one not seen yet
    assert kind_stage.run(db, pending=True) == (0, 0)
    with db.write() as conn:  # an older version's state counts as not seen
        conn.execute(
            sa.update(item_stages)
            .where(item_stages.c.item_id == stored[0])
            .values(version="kinds-0")
        )
    assert kind_stage.run(db, pending=True) == (1, 1)


def test_reprocess_runs_the_stage_from_the_cli(
    runner: CliRunner, db: Database, stored: list[int]
) -> None:
    done = runner.invoke(app, ["reprocess", "--stage", "kinds"])
    assert done.exit_code == 0, done.output
    assert "kinds: 3 items read, 3 given a kind" in done.stdout
    assert len(_kinds(db)) == 3
    since = runner.invoke(app, ["reprocess", "--stage", "kinds", "--since", "2026-11-03"])
    assert "kinds: 1 items read" in since.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "weather"], "unknown stage 'weather' (stages: kinds, "),
        (["--stage", "kinds", "--since", "yesterday"], "not a date: 'yesterday'"),
    ],
)
def test_reprocess_refuses_bad_input(runner: CliRunner, args: list[str], message: str) -> None:
    done = runner.invoke(app, ["reprocess", *args])
    assert done.exit_code == 2
    assert message in done.output

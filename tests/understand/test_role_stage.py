"""The roles stage over stored items, and ``tribune reprocess --stage roles``."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection
from typer.testing import CliRunner

from tribune.cli import app
from tribune.db.engine import Database
from tribune.db.tables import item_stages, items, role_claims, sources
from tribune.db.types import new_public_id
from tribune.understand import role_stage
from tribune.understand.roles import VERSION

GATHERED = datetime(2026, 11, 1, 8, tzinfo=UTC)
TEXTS = [
    (
        "TKP Genel Sekreteri Kemal Okuyan: Mücadele sürüyor",
        "TKP Genel Sekreteri Kemal Okuyan, soL'un sorularını yanıtladı. Okuyan grevleri anlattı.",
    ),
    (
        "Comité Federal del PCE",
        "El secretario general del PCE, Enrique Santiago, presentó el informe político.",
    ),
    ("Председатель ЦК КПРФ выступил", "С докладом выступил Председатель ЦК КПРФ Г.А. Зюганов."),
    ("On the strike", "The General Secretary of the KKE greeted the strikers."),
]


def _source(conn: Connection, org_id: str) -> int:
    key = conn.execute(
        sa.insert(sources).values(
            public_id=new_public_id(), org_id=org_id, kind="feed", url=f"https://{org_id}.example/"
        )
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


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
        pce = _source(conn, "es-pce")
        ids = [_add(conn, n, title, body) for n, (title, body) in enumerate(TEXTS)]
        conn.execute(sa.update(items).where(items.c.id == ids[1]).values(source_id=pce))
        # published late in the evening in Istanbul: the next day there, in UTC the day before
        conn.execute(
            sa.update(items)
            .where(items.c.id == ids[0])
            .values(published_at=datetime(2026, 10, 2, 22, 30, tzinfo=UTC), published_offset=180)
        )
        ids.append(_add(conn, 9, TEXTS[0][0], TEXTS[0][1], status="duplicate"))
    return ids


def _claims(db: Database) -> list[tuple[object, ...]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(
                role_claims.c.item_id,
                role_claims.c.key,
                role_claims.c.person_id,
                role_claims.c.person_name,
                role_claims.c.org_id,
                role_claims.c.title,
                role_claims.c.field,
                role_claims.c.claimed_on,
                role_claims.c.version,
            ).order_by(role_claims.c.item_id, role_claims.c.id)
        )
        return [tuple(r) for r in rows]


def _stages(db: Database) -> list[tuple[int, str, str]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(item_stages.c.item_id, item_stages.c.version, item_stages.c.state)
            .where(item_stages.c.stage == "roles")
            .order_by(item_stages.c.item_id)
        )
        return [(int(r.item_id), r.version, r.state) for r in rows]


def test_the_stage_stores_the_claims_and_is_idempotent(db: Database, stored: list[int]) -> None:
    assert role_stage.run(db) == (4, 3)  # the duplicate is left to its original
    claims = _claims(db)
    shown = [(c[0], c[2], c[3], c[4], c[5], c[6], c[7], c[8]) for c in claims]
    assert shown == [
        # said in the headline and again in the text: one claim, from the headline
        (
            stored[0],
            "kemal-okuyan",
            "Kemal Okuyan",
            "tr-tkp",
            "general-secretary",
            "title",
            date(2026, 10, 3),  # the publisher's own day
            VERSION,
        ),
        (
            stored[1],
            None,  # not in the KB: kept by name
            "Enrique Santiago",
            "es-pce",
            "general-secretary",
            "body",
            date(2026, 11, 2),  # no publication date: the day it was gathered
            VERSION,
        ),
        (
            stored[2],
            "gennady-zyuganov",  # the only KB person "Г. Зюганов"
            "Г.А. Зюганов",
            "ru-kprf",
            "chair",
            "body",
            date(2026, 11, 3),
            VERSION,
        ),
    ]
    with db.read() as conn:
        evidence = conn.execute(
            sa.select(role_claims.c.evidence).where(role_claims.c.item_id == stored[1])
        ).scalar_one()
    assert evidence == (
        "El secretario general del PCE, Enrique Santiago, presentó el informe político."
    )
    assert _stages(db) == [(i, VERSION, "done") for i in stored[:4]]
    # again: the same rows, with the same keys
    assert role_stage.run(db) == (4, 3)
    assert _claims(db) == claims


def test_since_and_pending_choose_the_items(db: Database, stored: list[int]) -> None:
    assert role_stage.run(db, since=GATHERED + timedelta(days=2)) == (2, 1)
    assert role_stage.run(db, pending=True) == (2, 2)  # only those not seen yet
    assert role_stage.run(db, pending=True) == (0, 0)
    # a changed text: ingest drops the item's later stages, so the item is pending again
    with db.write() as conn:
        conn.execute(sa.update(items).where(items.c.id == stored[1]).values(body_text="Nada."))
        conn.execute(sa.delete(item_stages).where(item_stages.c.item_id == stored[1]))
    assert role_stage.run(db, pending=True) == (1, 0)
    assert [c[0] for c in _claims(db)] == [stored[0], stored[2]]


def test_reprocess_runs_the_roles_stage_from_the_cli(
    runner: CliRunner, db: Database, stored: list[int]
) -> None:
    done = runner.invoke(app, ["reprocess", "--stage", "roles"])
    assert done.exit_code == 0, done.output
    assert done.output.strip() == "roles: 4 items read, 3 role statements found"
    again = runner.invoke(app, ["reprocess", "--stage", "roles", "--since", "2026-11-03"])
    assert again.output.strip() == "roles: 2 items read, 1 role statements found"
    pending = runner.invoke(app, ["reprocess", "--stage", "roles", "--pending"])
    assert pending.output.strip() == "roles: 0 items read, 0 role statements found"

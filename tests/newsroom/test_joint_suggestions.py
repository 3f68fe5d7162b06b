"""Editors' answers to the joint statements found: accepting records the list with its dates
and evidence in one transaction (decision, audit), rejecting is remembered; who may answer,
and which items are proposed at all."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import (
    audit_log,
    decisions,
    item_revisions,
    items,
    joint_statements,
    signatures,
)
from tribune.db.types import new_public_id
from tribune.newsroom import joint_suggestions
from tribune.newsroom.items import edit
from tribune.newsroom.joint_suggestions import SuggestionError
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.understand import joint_stage

EDITOR = Actor(name="ed", role="editor", via="cli")
VIEWER = Actor(name="viewer", role="viewer", via="cli")
WHEN = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LIST = (
    "Signatories:\n1. Communist Party of Greece\n2. Communist Party of Turkey\n"
    "3. Communist Party of Kenya"
)


def _item(db: Database, body: str, *, title: str = "Joint statement on Cuba") -> str:
    """An inbox item with two revisions: the list grew by one signer the next day."""
    public_id = new_public_id()
    first = body.rsplit("\n", 1)[0]
    later = WHEN + timedelta(days=1)
    with db.write() as conn:
        item_id = conn.execute(
            items.insert().values(
                public_id=public_id,
                url=f"http://party.example/{public_id}",
                canonical_url=f"http://party.example/{public_id}",
                title=title,
                body_text=body,
                language="en",
                published_at=WHEN,
                fetched_at=WHEN,
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                status="inbox",
            )
        ).inserted_primary_key[0]
        for text, at in ((first, WHEN), (body, later)):
            conn.execute(
                item_revisions.insert().values(
                    item_id=item_id,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    title=title,
                    body_text=text,
                    fetched_at=at,
                )
            )
    joint_stage.run(db)
    return public_id


def _count(db: Database, table: sa.Table) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_accepting_marks_the_item_and_records_its_list(db: Database) -> None:
    public_id = _item(db, f"We call for the end of the blockade.\n\n{LIST}")
    with db.read() as conn:
        (found,) = joint_suggestions.pending(conn)
        before = generation.current(conn)
    assert (found.public_id, found.resolved, found.raw) == (public_id, 2, 1)
    assert [s.later for s in found.signers] == [False, False, True]
    ref = joint_suggestions.accept(db, EDITOR, public_id)
    with db.read() as conn:
        rows = conn.execute(sa.select(signatures).order_by(signatures.c.id)).all()
        kind = conn.execute(sa.select(items.c.kind).where(items.c.public_id == public_id)).scalar()
        decision = conn.execute(sa.select(decisions)).one()
        actions = list(conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.id)))
        assert generation.current(conn) > before
        assert joint_suggestions.pending(conn) == []
    assert kind == "joint-statement"
    assert [(r.org_id, r.raw_name, r.added_at, r.version) for r in rows] == [
        ("gr-kke", "Communist Party of Greece", WHEN, None),
        ("tr-tkp", "Communist Party of Turkey", WHEN, None),
        (None, "Communist Party of Kenya", WHEN + timedelta(days=1), None),  # raw, for an editor
    ]
    url = f"http://party.example/{public_id}"
    assert rows[0].evidence == f"the statement's page, {url}"
    assert rows[2].evidence == f"revision 2 of {url}, fetched 2026-11-03"
    assert (decision.subject_type, decision.subject_id, decision.action) == (
        "joint",
        public_id,
        "accept",
    )
    assert decision.payload["version"] == joint_stage.VERSION
    assert [a for (a,) in actions] == ["joint.mark"] + ["joint.sign"] * 3 + ["joint.accept"]
    with pytest.raises(SuggestionError, match="no joint statement is proposed"):
        joint_suggestions.accept(db, EDITOR, public_id)  # once
    # the stage runs again: the editor's list stays as it is
    joint_stage.run(db)
    assert _count(db, signatures) == 3
    assert ref.item_public_id == public_id


def test_rejecting_is_remembered_and_needs_the_right(db: Database) -> None:
    public_id = _item(db, f"We call for the end of the blockade.\n\n{LIST}")
    with pytest.raises(NotAllowed):
        joint_suggestions.reject(db, VIEWER, public_id)
    with pytest.raises(NotAllowed):
        joint_suggestions.accept(db, VIEWER, public_id)
    assert _count(db, decisions) == 0
    joint_suggestions.reject(db, EDITOR, public_id)
    with db.read() as conn:
        assert joint_suggestions.pending(conn) == []
        entry = conn.execute(sa.select(audit_log)).one()
    assert (entry.action, entry.row_id) == ("joint.reject", public_id)
    with pytest.raises(SuggestionError):
        joint_suggestions.accept(db, EDITOR, public_id)
    with pytest.raises(SuggestionError, match="no item"):
        joint_suggestions.reject(db, EDITOR, new_public_id())
    assert _count(db, joint_statements) == 0


def test_what_is_not_proposed(db: Database) -> None:
    kind_set = _item(db, f"We call for peace.\n\n{LIST}", title="Joint statement for peace")
    edit(db, EDITOR, kind_set, {"kind": "statement"})  # an editor said what it is
    rejected = _item(db, f"We call for peace.\n\n{LIST}", title="Joint statement on wages")
    with db.write() as conn:
        conn.execute(items.update().where(items.c.public_id == rejected).values(status="rejected"))
    waiting = _item(db, f"We call for peace.\n\n{LIST}", title="Joint statement on NATO")
    with db.read() as conn:
        assert [s.public_id for s in joint_suggestions.pending(conn)] == [waiting]
        item_id = conn.execute(sa.select(items.c.id).where(items.c.public_id == waiting)).scalar()
        assert list(joint_suggestions.by_item(conn, [int(item_id or 0), 10**6])) == [item_id]
        assert joint_suggestions.pending(conn, []) == []

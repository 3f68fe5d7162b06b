"""Editors accept or reject the kind the kinds stage guessed; a rejected kind stays rejected
after the stage runs again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from seedkinds import add_guessed

from tribune.db.engine import Database
from tribune.db.tables import audit_log, decisions, items
from tribune.newsroom import kinds
from tribune.newsroom.inbox import row_by_public_id
from tribune.newsroom.items import EditError, ItemNotFound
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.understand import kind_stage

EDITOR = Actor(name="eleni", role="editor", via="cli")
VIEWER = Actor(name="viewer", role="viewer", via="cli")


def _proposed(db: Database, public_id: str) -> kinds.KindSuggestion | None:
    with db.read() as conn:
        row = row_by_public_id(conn, public_id)
        assert row is not None
        return row.kind_suggestion


def test_an_accepted_kind_becomes_the_items_and_is_no_longer_proposed(db: Database) -> None:
    joint, _ = add_guessed(db)
    proposed = _proposed(db, joint)
    assert proposed is not None
    assert proposed.kind == "joint-statement"
    assert "joint statement" in proposed.evidence
    kinds.answer(db, EDITOR, joint, accept=True)
    with db.read() as conn:
        kind = conn.execute(sa.select(items.c.kind).where(items.c.public_id == joint)).scalar()
        decided = conn.execute(sa.select(decisions.c.action, decisions.c.payload)).all()
        logged = conn.execute(sa.select(audit_log.c.action, audit_log.c.after)).all()
    assert kind == "joint-statement"
    assert [(a, p["kind"]) for a, p in decided] == [("accept", "joint-statement")]
    assert ("kind.accept", {"kind": "joint-statement"}) in [(a, dict(x)) for a, x in logged]
    assert _proposed(db, joint) is None
    with pytest.raises(EditError, match="no kind is proposed"):
        kinds.answer(db, EDITOR, joint, accept=False)


def test_a_rejected_kind_is_not_proposed_again_after_a_rerun(db: Database) -> None:
    _, condolence = add_guessed(db)
    kinds.answer(db, EDITOR, condolence, accept=False)
    assert _proposed(db, condolence) is None
    kind_stage.run(db)  # the stage guesses the same again
    assert _proposed(db, condolence) is None
    with db.read() as conn:
        kind = conn.execute(sa.select(items.c.kind).where(items.c.public_id == condolence)).scalar()
        logged = conn.execute(sa.select(audit_log.c.action)).scalars().all()
    assert kind is None
    assert logged == ["kind.reject"]


def test_answers_need_the_right_and_an_item(db: Database) -> None:
    joint, _ = add_guessed(db)
    with pytest.raises(NotAllowed):
        kinds.answer(db, VIEWER, joint, accept=True)
    with pytest.raises(ItemNotFound):
        kinds.answer(db, EDITOR, "no-such-item", accept=True)
    assert _proposed(db, joint) is not None

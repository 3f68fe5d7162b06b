"""Editors accept or reject the roles the roles stage found: an accepted role enters the KB from
the item's date (the person too, when new); the earlier holder's term ends only when asked; a
rejected role is not proposed again, after the stage runs again."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from seedroles import add_read

from tribune.db.engine import Database
from tribune.db.tables import audit_log, decisions, items, people, roles
from tribune.kb.load import load_kb
from tribune.newsroom import roles as suggestions
from tribune.newsroom.items import EditError
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.understand import role_stage

EDITOR = Actor(name="eleni", role="editor", via="cli")
VIEWER = Actor(name="viktor", role="viewer", via="cli")
SANTIAGO = "El secretario general del PCE, Enrique Santiago, presentó el informe político."
PETROU = "Anna Petrou, General Secretary of the KKE, greeted the congress."


def _pending(db: Database) -> list[suggestions.RoleSuggestion]:
    with db.read() as conn:
        return suggestions.pending(conn)


def _roles_of(db: Database, person_id: str) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(roles).where(roles.c.person_id == person_id)).mappings())


def _audit(db: Database) -> list[str]:
    with db.read() as conn:
        return list(conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.id)).scalars())


def test_a_role_is_proposed_with_its_evidence(db: Database) -> None:
    item = add_read(db, f"The federal committee met. {SANTIAGO}", date(2026, 10, 3), org="es-pce")
    (s,) = _pending(db)
    assert (s.person_id, s.person_name, s.org_id, s.title) == (
        None,
        "Enrique Santiago",
        "es-pce",
        "general-secretary",
    )
    assert (s.title_label, s.title_surface) == ("General Secretary", "secretario general")
    assert s.org_name == "Communist Party of Spain"
    assert s.evidence == SANTIAGO
    assert s.item_public_id == item
    assert s.claimed_on == date(2026, 10, 3)
    assert s.earlier == ()  # the KB knows no General Secretary of the PCE
    with db.read() as conn:
        item_id = conn.execute(sa.select(items.c.id).where(items.c.public_id == item)).scalar()
        assert suggestions.by_item(conn, [int(item_id or 0)]) == {item_id: [s]}
        assert suggestions.by_item(conn, [int(item_id or 0) + 1000]) == {}
        assert suggestions.pending(conn, []) == []


def test_accepting_adds_the_person_and_the_role_from_the_items_date(db: Database) -> None:
    add_read(db, SANTIAGO, org="es-pce", day=date(2026, 10, 3))
    (s,) = _pending(db)
    done = suggestions.answer(db, EDITOR, s.id, accept=True)
    assert done.person_id == "enrique-santiago"
    with db.read() as conn:
        person = conn.execute(sa.select(people).where(people.c.id == "enrique-santiago")).one()
        decided = conn.execute(
            sa.select(decisions.c.subject_type, decisions.c.subject_id, decisions.c.action)
        ).all()
    assert (person.name, person.origin) == ("Enrique Santiago", f"suggestion:{s.id}")
    (role,) = _roles_of(db, "enrique-santiago")
    assert role["id"] == done.role_id
    assert (role["org_id"], role["title"], role["start"], role["end"]) == (
        "es-pce",
        "General Secretary",
        date(2026, 10, 3),
        None,
    )
    assert role["origin"] == f"suggestion:{s.id}"
    assert decided == [("role", s.id, "accept")]
    assert _audit(db) == ["kb.person.add", "kb.role.add", "role.accept"]
    assert _pending(db) == []
    with pytest.raises(EditError, match="not proposed"):
        suggestions.answer(db, EDITOR, s.id, accept=False)
    # the stage again, and a load of the seed: the role stays, nothing is proposed again
    role_stage.run(db)
    load_kb(db)
    assert _pending(db) == []
    assert [r["id"] for r in _roles_of(db, "enrique-santiago")] == [done.role_id]


def test_a_later_statement_of_an_accepted_role_is_not_proposed(db: Database) -> None:
    add_read(db, SANTIAGO, org="es-pce", day=date(2026, 10, 3))
    (s,) = _pending(db)
    suggestions.answer(db, EDITOR, s.id, accept=True)
    add_read(db, SANTIAGO, org="es-pce", day=date(2026, 11, 20))  # the KB says so now
    assert _pending(db) == []
    earlier = add_read(
        db, SANTIAGO, org="es-pce", day=date(2026, 1, 5)
    )  # an earlier date says more
    (s,) = _pending(db)
    assert s.item_public_id == earlier
    assert s.person_id == "enrique-santiago"  # the person the first answer added
    done = suggestions.answer(db, EDITOR, s.id, accept=True)
    (role,) = _roles_of(db, "enrique-santiago")  # the same term, starting earlier
    assert (role["id"], role["start"]) == (done.role_id, date(2026, 1, 5))
    assert "start" in role["editor_fields"]


def test_a_rejected_role_is_not_proposed_again_after_a_rerun(db: Database) -> None:
    add_read(db, SANTIAGO, org="es-pce", day=date(2026, 10, 3))
    (s,) = _pending(db)
    done = suggestions.answer(db, EDITOR, s.id, accept=False)
    assert (done.action, done.role_id) == ("reject", None)
    assert _pending(db) == []
    assert role_stage.run(db) == (1, 1)  # the stage finds it again...
    assert _pending(db) == []  # ...and does not propose it
    assert _roles_of(db, "enrique-santiago") == []
    assert _audit(db) == ["role.reject"]


def test_what_the_kb_holds_already_is_not_proposed(db: Database) -> None:
    add_read(
        db,
        "Dimitris Koutsoumbas, General Secretary of the KKE, spoke in Athens.",
        date(2026, 11, 20),
    )
    assert _pending(db) == []  # "General Secretary of the Central Committee" since 2013


def test_accepting_leaves_the_earlier_term_open_unless_asked(db: Database) -> None:
    add_read(db, PETROU, date(2026, 11, 20))
    (s,) = _pending(db)
    (holder,) = s.earlier
    assert (holder.person_id, holder.start) == ("dimitris-koutsoumbas", date(2013, 4, 14))
    done = suggestions.answer(db, EDITOR, s.id, accept=True)
    assert done.ended == ()
    (earlier,) = _roles_of(db, "dimitris-koutsoumbas")
    assert earlier["end"] is None
    assert [r["start"] for r in _roles_of(db, "anna-petrou")] == [date(2026, 11, 20)]


def test_accepting_ends_the_earlier_term_when_asked(db: Database) -> None:
    add_read(db, PETROU, date(2026, 11, 20))
    (s,) = _pending(db)
    done = suggestions.answer(db, EDITOR, s.id, accept=True, end_earlier=True)
    (earlier,) = _roles_of(db, "dimitris-koutsoumbas")
    assert done.ended == (earlier["id"],)
    assert earlier["end"] == date(2026, 11, 20)
    assert "end" in earlier["editor_fields"]
    assert "kb.role.end" in _audit(db)
    with db.read() as conn:
        (payload,) = conn.execute(sa.select(decisions.c.payload)).scalars()
    assert payload["end_earlier"] is True
    load_kb(db)  # the seed's open term is not reopened
    (earlier,) = _roles_of(db, "dimitris-koutsoumbas")
    assert earlier["end"] == date(2026, 11, 20)


def test_answers_need_the_right_and_a_claim(db: Database) -> None:
    add_read(db, SANTIAGO, org="es-pce", day=date(2026, 10, 3))
    (s,) = _pending(db)
    with pytest.raises(NotAllowed):
        suggestions.answer(db, VIEWER, s.id, accept=True)
    with pytest.raises(suggestions.ClaimNotFound):
        suggestions.answer(db, EDITOR, "0" * 32, accept=True)
    assert _pending(db) == [s]
    assert _audit(db) == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Kemal Okuyan", "kemal-okuyan"),
        ("Δημήτρης Κουτσούμπας", "dimitris-koutsoumpas"),
        ("Геннадий Зюганов", "gennadii-zyuganov"),
        ("Jerónimo de Sousa", "jeronimo-de-sousa"),
        ("Yıldız Öztürk", "yildiz-ozturk"),
    ],
)
def test_new_people_get_ids_in_latin_letters(name: str, key: str) -> None:
    assert suggestions.person_key(name) == key

"""What editors add to the KB (names, roles, people, events): checked like the seed files,
shown by ``kb show``, audited, and kept by every later ``kb load``."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import audit_log
from tribune.kb.errors import KBError
from tribune.kb.load import load_kb
from tribune.kb.query import show
from tribune.newsroom.kb_admin import (
    NewEvent,
    NewRole,
    add_alias,
    add_event,
    add_role,
    person_id_for,
    split_hosts,
)
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.understand.link import link

EDITOR = Actor(name="ed", role="editor")
VIEWER = Actor(name="vi", role="viewer")
IMCWP_24 = NewEvent(
    id="imcwp-24",
    series="imcwp",
    number="24",
    name_en="24th International Meeting of Communist and Workers' Parties",
    start="2025-10-31",
    end="2025-11-02",
    city="Istanbul",
    country="tr",
    hosts=("tr-tkp", "gr-kke"),
)


def _audit(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as conn:
        query = sa.select(audit_log.c.action, audit_log.c.table_name, audit_log.c.row_id)
        return [tuple(r) for r in conn.execute(query.order_by(audit_log.c.id))]


def _generation(db: Database) -> int:
    with db.read() as conn:
        return generation.current(conn)


def test_a_name_is_added_linked_and_kept_by_a_load(db: Database) -> None:
    before = _generation(db)
    name_id = add_alias(
        db,
        EDITOR,
        "gr-kke",
        "  Kommounistiko   Komma ",
        kind="variant",
        language="el",
        valid_from="1924-11-01",
    )
    names = {n["name"]: n for n in (show(db, "gr-kke") or {})["names"]}
    added = names["Kommounistiko Komma"]
    assert (added["id"], added["language"], added["kind"]) == (name_id, "el", "variant")
    assert (added["valid_from"], added["valid_to"], added["origin"]) == (
        "1924-11-01",
        None,
        "editor:ed",
    )
    assert _audit(db) == [("kb.name.add", "org_names", str(name_id))]
    assert _generation(db) > before
    # the linker knows it at once
    found = link("The Kommounistiko Komma called a rally.", db=db)
    assert [(m.type, m.id) for m in found if m.id] == [("org", "gr-kke")]
    load_kb(db)
    again = {n["name"]: n for n in (show(db, "gr-kke") or {})["names"]}
    assert again["Kommounistiko Komma"] == added


def test_a_role_of_a_known_or_a_new_person(db: Database) -> None:
    _person, _role = add_role(
        db,
        EDITOR,
        NewRole(
            org_id="gr-kke",
            title="Member of the Political Bureau",
            person_id="aleka-papariga",
            start="1991-02-27",
        ),
    )
    person, _role = add_role(
        db,
        EDITOR,
        NewRole(
            org_id="tr-tkp",
            title="Spokesperson",
            person_name="Ayşe  Çelik-Öz",
            start="2024-01-01",
            end="2025-06-30",
        ),
    )
    assert person == "ayse-celik-oz"
    shown = show(db, person)
    assert shown is not None
    assert (shown["type"], shown["name"], shown["origin"]) == (
        "person",
        "Ayşe Çelik-Öz",
        "editor:ed",
    )
    assert shown["roles"] == [
        {
            "org_id": "tr-tkp",
            "org_name": "Communist Party of Turkey",
            "title": "Spokesperson",
            "start": "2024-01-01",
            "end": "2025-06-30",
            "notes": "",
        }
    ]
    titles = [r["title"] for r in (show(db, "aleka-papariga") or {})["roles"]]
    assert "Member of the Political Bureau" in titles
    assert [a[0] for a in _audit(db)] == ["kb.role.add", "kb.person.add", "kb.role.add"]
    load_kb(db)  # roles.csv lists every seed role: the editor's stay all the same
    assert (show(db, person) or {})["roles"] == shown["roles"]
    assert "Member of the Political Bureau" in [
        r["title"] for r in (show(db, "aleka-papariga") or {})["roles"]
    ]


def test_an_event_with_its_hosts_is_kept_by_a_load(db: Database) -> None:
    assert add_event(db, EDITOR, IMCWP_24) == "imcwp-24"
    shown = show(db, "imcwp-24")
    assert shown is not None
    assert (shown["type"], shown["series"], shown["number"], shown["city"]) == (
        "event",
        "imcwp",
        24,
        "Istanbul",
    )
    assert (shown["start"], shown["end"], shown["country"]) == ("2025-10-31", "2025-11-02", "TR")
    assert [h["id"] for h in shown["hosts"]] == ["tr-tkp", "gr-kke"]
    assert shown["origin"] == "editor:ed"
    assert _audit(db) == [("kb.event.add", "events", "imcwp-24")]
    load_kb(db)
    assert show(db, "imcwp-24") == shown


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: add_alias(db, EDITOR, "no-such-party", "X"), "no organisation with id"),
        (lambda db: add_alias(db, EDITOR, "gr-kke", ""), "name is empty"),
        (lambda db: add_alias(db, EDITOR, "gr-kke", "KKE", kind="nickname"), "kind is 'nickname'"),
        (lambda db: add_alias(db, EDITOR, "gr-kke", "X", language="Greek"), "not a language"),
        (lambda db: add_alias(db, EDITOR, "gr-kke", "X", valid_from="1.1.1990"), "not a date"),
        (
            lambda db: add_alias(
                db, EDITOR, "gr-kke", "X", valid_from="2000-01-01", valid_to="1999-01-01"
            ),
            "before valid_from",
        ),
        (lambda db: add_role(db, EDITOR, NewRole("gr-kke", "Chair")), "give the id of a person"),
        (
            lambda db: add_role(db, EDITOR, NewRole("gr-kke", "Chair", person_id="nobody-here")),
            "no person with id 'nobody-here'",
        ),
        (
            lambda db: add_role(
                db, EDITOR, NewRole("gr-kke", "Chair", person_name="Aleka Papariga")
            ),
            "exists already: give that id",
        ),
        (
            lambda db: add_role(
                db, EDITOR, NewRole("no-such", "Chair", person_id="aleka-papariga")
            ),
            "no organisation with id 'no-such'",
        ),
        (
            lambda db: add_role(db, EDITOR, NewRole("gr-kke", "", person_id="aleka-papariga")),
            "title is empty",
        ),
        (
            lambda db: add_role(
                db,
                EDITOR,
                NewRole(
                    "gr-kke",
                    "Chair",
                    person_id="aleka-papariga",
                    start="2010-01-01",
                    end="2009-01-01",
                ),
            ),
            "end 2009-01-01 is before start",
        ),
        (
            lambda db: add_role(
                db,
                EDITOR,
                NewRole(
                    "gr-kke",
                    "General Secretary of the Central Committee",
                    person_id="aleka-papariga",
                    start="1991-02-27",
                ),
            ),
            "already has that role",
        ),
        (lambda db: add_role(db, EDITOR, NewRole("gr-kke", "Chair", person_name="中文")), "no id"),
        (
            lambda db: add_event(
                db, EDITOR, NewEvent("imcwp-21", "imcwp", "21st IMCWP", country="TR")
            ),
            "an event with id 'imcwp-21' exists already",
        ),
        (
            lambda db: add_event(db, EDITOR, NewEvent("IMCWP 24", "imcwp", "24th", country="TR")),
            "is not an id",
        ),
        (
            lambda db: add_event(
                db, EDITOR, NewEvent("imcwp-24", "imcwp", "24th", country="TR", hosts=("nobody",))
            ),
            "no organisation with id 'nobody'",
        ),
        (
            lambda db: add_event(db, EDITOR, NewEvent("imcwp-24", "imcwp", "24th", country="XX")),
            "not an ISO 3166-1",
        ),
        (
            lambda db: add_event(
                db, EDITOR, NewEvent("imcwp-24", "imcwp", "24th", number="24th", country="TR")
            ),
            "not a whole number",
        ),
    ],
)
def test_refused_additions_name_the_problem(db: Database, call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(KBError, match=message):
        call(db)
    assert _audit(db) == []


def test_only_kb_editors_may_add(db: Database) -> None:
    with pytest.raises(NotAllowed):
        add_alias(db, VIEWER, "gr-kke", "X")
    with pytest.raises(NotAllowed):
        add_role(db, VIEWER, NewRole("gr-kke", "Chair", person_id="aleka-papariga"))
    with pytest.raises(NotAllowed):
        add_event(db, VIEWER, IMCWP_24)


def test_ids_and_hosts_from_what_editors_type() -> None:
    assert person_id_for("Dimitris Koutsoumbas") == "dimitris-koutsoumbas"
    assert person_id_for("  José Martí ") == "jose-marti"
    assert split_hosts(" tr-tkp, gr-kke | pt-pcp ") == ("tr-tkp", "gr-kke", "pt-pcp")
    assert split_hosts("") == ()

"""Editors' changes: recorded as theirs, checked like the seed, and never undone by a load."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import org_names, organizations, people, person_names
from tribune.kb.edit import (
    add_org_name,
    add_person_alias,
    remove_org_name,
    remove_person_alias,
    set_org_field,
    set_person_field,
)
from tribune.kb.errors import KBError
from tribune.kb.load import load_kb


def row(db: Database, table: sa.Table, row_id: str | int) -> dict[str, Any]:
    with db.read() as conn:
        found = conn.execute(sa.select(table).where(table.c.id == row_id)).mappings().first()
    assert found is not None
    return dict(found)


def name_rows(db: Database, org_id: str, **match: Any) -> list[dict[str, Any]]:
    query = sa.select(org_names).where(org_names.c.org_id == org_id)
    for column, value in match.items():
        query = query.where(org_names.c[column] == value)
    with db.read() as conn:
        return [dict(r) for r in conn.execute(query.order_by(org_names.c.id)).mappings()]


def test_an_edited_field_survives_a_load(db: Database) -> None:
    set_org_field(db, "gr-kke", "website", "kke.example", editor="maria")
    set_org_field(db, "gr-kke", "network_member", "unknown", editor="maria")
    kke = row(db, organizations, "gr-kke")
    assert kke["editor_fields"] == ["network_member", "website"]
    assert kke["origin"] == "seed:organizations.csv"
    report = load_kb(db)
    assert not report.changed
    kke = row(db, organizations, "gr-kke")
    assert (kke["website"], kke["network_member"]) == ("kke.example", "unknown")


def test_typed_values_are_accepted_as_text_or_python_values(db: Database) -> None:
    set_org_field(db, "gr-kne", "native_name_certain", "no", editor="maria")
    set_org_field(db, "gr-kne", "year_first", 1968, editor="maria")
    set_org_field(db, "gr-kne", "parent", None, editor="maria")
    kne = row(db, organizations, "gr-kne")
    assert (kne["native_name_certain"], kne["year_first"], kne["parent_id"]) == (False, 1968, None)
    assert kne["editor_fields"] == ["native_name_certain", "parent_id", "year_first"]


def test_an_edited_english_name_replaces_the_seed_name_for_good(db: Database) -> None:
    set_org_field(db, "gr-kke", "name_en", "KKE (Greece)", editor="maria")
    rows = name_rows(db, "gr-kke", field="name_en")
    assert [(r["name"], r["origin"]) for r in rows] == [("KKE (Greece)", "editor:maria")]
    load_kb(db)
    assert row(db, organizations, "gr-kke")["name_en"] == "KKE (Greece)"
    rows = name_rows(db, "gr-kke", field="name_en")
    assert [r["name"] for r in rows] == ["KKE (Greece)"]


def test_clearing_the_native_name_removes_its_name_row(db: Database) -> None:
    set_org_field(db, "al-pksh", "native_name", "", editor="maria")
    load_kb(db)
    rows = name_rows(db, "al-pksh", field="native_name")
    assert [(r["removed"], r["origin"]) for r in rows] == [(True, "editor:maria")]


def test_an_added_name_survives_a_load(db: Database) -> None:
    name_id = add_org_name(
        db, "tr-tkp", "TKP-1920", kind="variant", language="tr", valid_from="1920-09-10",
        editor="maria",
    )  # fmt: skip
    added = row(db, org_names, name_id)
    assert (added["origin"], added["field"], added["valid_from"]) == (
        "editor:maria",
        "org_names",
        date(1920, 9, 10),
    )
    load_kb(db)
    assert row(db, org_names, name_id)["name"] == "TKP-1920"


def test_a_removed_seed_name_stays_removed(db: Database) -> None:
    (acronym,) = name_rows(db, "ar-pca", field="acronyms", name="CPA")
    remove_org_name(db, acronym["id"], editor="maria")
    report = load_kb(db)
    assert not report.changed
    rows = name_rows(db, "ar-pca", field="acronyms", name="CPA")
    assert [(r["id"], r["removed"], r["origin"]) for r in rows] == [
        (acronym["id"], True, "editor:maria")
    ]


def test_people_edits_survive_a_load(db: Database) -> None:
    set_person_field(db, "d-raja", "name", "Doraisamy Raja", editor="maria")
    alias_id = add_person_alias(db, "d-raja", "Comrade Raja", editor="maria")
    with db.read() as conn:
        seed_alias = conn.execute(
            sa.select(person_names.c.id).where(person_names.c.name == "Doraisamy Raja")
        ).scalar_one()
    remove_person_alias(db, seed_alias, editor="maria")
    assert not load_kb(db).changed
    assert row(db, people, "d-raja")["name"] == "Doraisamy Raja"
    assert row(db, people, "d-raja")["editor_fields"] == ["name"]
    assert row(db, person_names, alias_id)["position"] == 1
    assert row(db, person_names, seed_alias)["removed"] is True


@pytest.mark.parametrize(
    ("org_id", "field", "value", "message"),
    [
        ("xx-nope", "website", "x", "no organisation with id 'xx-nope'"),
        ("gr-kke", "colour", "red", "unknown organisation field 'colour'"),
        ("gr-kke", "country", "UK", "gr-kke: country 'UK' is not an ISO 3166-1 alpha-2 code"),
        ("gr-kke", "country", "", "gr-kke: country is empty"),
        ("gr-kke", "network_member", "sometimes", "network_member is 'sometimes'"),
        ("gr-kke", "parent_id", "gr-kne", "gr-kne cannot be the parent of gr-kke"),
        ("gr-kke", "parent_id", "gr-nope", "no organisation with id 'gr-nope'"),
        ("gr-kke", "partyfacts_id", 306, "partyfacts_id 306 already belongs to tr-akp"),
        ("gr-kke", "partyfacts_id", None, "gr-kke: partyfacts_id is empty"),
        ("gr-kke", "wikidata_id", "kke", "wikidata_id 'kke' is not a Wikidata item id"),
        ("gr-kke", "name_en", " ", "gr-kke: name_en is empty"),
    ],
)
def test_bad_org_edits_are_refused(
    db: Database, org_id: str, field: str, value: Any, message: str
) -> None:
    with pytest.raises(KBError) as caught:
        set_org_field(db, org_id, field, value, editor="maria")
    assert message in caught.value.problems[0]
    assert row(db, organizations, "gr-kke")["editor_fields"] == []


def test_bad_names_and_editors_are_refused(db: Database) -> None:
    with pytest.raises(KBError, match="kind is 'nickname'"):
        add_org_name(db, "gr-kke", "K", kind="nickname", editor="maria")
    with pytest.raises(KBError, match="language 'Greek' is not a language code"):
        add_org_name(db, "gr-kke", "K", kind="variant", language="Greek", editor="maria")
    with pytest.raises(KBError, match="valid_to 2000-01-01 is before valid_from 2001-01-01"):
        add_org_name(
            db, "gr-kke", "K", kind="variant", valid_from="2001-01-01",
            valid_to=date(2000, 1, 1), editor="maria",
        )  # fmt: skip
    with pytest.raises(KBError, match="tr-tkp already has the name 'TKP' in that period"):
        add_org_name(db, "tr-tkp", "TKP", kind="acronym", valid_from="2000-01-01", editor="m")
    with pytest.raises(KBError, match="no organisation name with id 999999"):
        remove_org_name(db, 999_999, editor="maria")
    with pytest.raises(KBError, match="editor ' ' is not a user name"):
        set_org_field(db, "gr-kke", "website", "x", editor=" ")
    with pytest.raises(KBError, match="no person with id 'nobody'"):
        add_person_alias(db, "nobody", "N", editor="maria")
    with pytest.raises(KBError, match="unknown person field 'age'"):
        set_person_field(db, "d-raja", "age", 70, editor="maria")
    assert name_rows(db, "gr-kke", origin="editor:maria") == []

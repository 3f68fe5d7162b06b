"""Loading the KB: the Party Facts merge, idempotence, all-or-nothing, speed, file origins."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from kb_files import append, change, copy_kb, read_rows, write_rows

from tribune.db.engine import Database
from tribune.db.tables import (
    countries,
    event_hosts,
    events,
    org_names,
    organizations,
    people,
    person_names,
    roles,
)
from tribune.kb.errors import KBError
from tribune.kb.load import TABLES, load_kb

ALL = {
    "countries": countries,
    "organizations": organizations,
    "org_names": org_names,
    "people": people,
    "person_names": person_names,
    "roles": roles,
    "events": events,
    "event_hosts": event_hosts,
}


def counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        return {
            name: conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for name, table in ALL.items()
        }


def find_org(db: Database, org_id: str) -> dict[str, Any] | None:
    with db.read() as conn:
        row = conn.execute(sa.select(organizations).where(organizations.c.id == org_id))
        found = row.mappings().first()
    return dict(found) if found else None


def org(db: Database, org_id: str) -> dict[str, Any]:
    found = find_org(db, org_id)
    assert found is not None, org_id
    return found


def names(db: Database, org_id: str) -> list[dict[str, Any]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(org_names)
            .where(org_names.c.org_id == org_id)
            .order_by(org_names.c.field, org_names.c.position)
        )
        return [dict(r) for r in rows.mappings()]


def test_load_into_an_empty_database_inserts_everything(empty_db: Database) -> None:
    report = load_kb(empty_db)
    tables = report.tables
    assert list(tables) == list(TABLES)
    assert tables["organizations"].inserted == 163 + 5558 - 61
    assert tables["countries"].inserted == 250
    assert tables["people"].inserted == 13
    assert tables["roles"].inserted == 12
    assert tables["event_hosts"].inserted == 18
    assert report.changed
    assert counts(empty_db)["org_names"] == tables["org_names"].inserted
    assert org(empty_db, "gr-kke")["origin"] == "seed:organizations.csv"


def test_a_second_load_changes_nothing(db: Database) -> None:
    before = counts(db)
    report = load_kb(db)
    assert not report.changed
    for name, table in report.tables.items():
        assert table.unchanged == before[name], name
        assert (table.inserted, table.updated, table.deleted) == (0, 0, 0), name
    assert counts(db) == before


def test_seed_world_parties_merge_into_the_seed_organisation(db: Database) -> None:
    kke = org(db, "gr-kke")
    assert (kke["partyfacts_id"], kke["wikidata_id"]) == (48, "Q192406")
    assert (kke["in_seed"], kke["in_world_parties"], kke["year_first"]) == (True, True, 1918)
    assert kke["wikipedia"] == "https://en.wikipedia.org/wiki/Communist_Party_of_Greece"
    assert find_org(db, "pf-48") is None
    fields = {(n["field"], n["name"], n["origin"]) for n in names(db, "gr-kke")}
    assert ("acronyms", "KKE", "seed:organizations.csv") in fields
    assert ("name_short", "KKE", "seed:world_parties.csv") in fields
    assert ("name", "Kommounistikó Kómma Elládas", "seed:world_parties.csv") in fields
    akp = org(db, "tr-akp")
    assert (akp["country"], akp["partyfacts_id"], akp["in_world_parties"]) == ("TR", 306, True)
    assert find_org(db, "pf-306") is None


def test_world_parties_of_their_own(db: Database) -> None:
    dsp = org(db, "pf-1740")
    assert (dsp["country"], dsp["kind"], dsp["network_member"]) == ("TR", "party", "no")
    assert (dsp["in_seed"], dsp["in_world_parties"], dsp["partyfacts_id"]) == (False, True, 1740)
    assert dsp["name_en"] == "Democratic Left Party"
    afghan = org(db, "pf-6641")
    assert afghan["name_en"] == "Afghan Social Democratic Party"
    english = [n for n in names(db, "pf-6641") if n["field"] == "name_english"]
    assert [(n["name"], n["language"], n["position"]) for n in english] == [
        ("Afghan Social Democratic Party", "en", 0),
        ("Afghan Millat Party", "en", 1),
        ("Afghan Millat", "en", 2),
    ]
    other = [n for n in names(db, "pf-6641") if n["field"] == "name_other"]
    assert [n["kind"] for n in other] == ["variant", "variant"]
    assert org(db, "pf-8281")["year_last"] == 1992


def test_seed_names_carry_their_field_kind_and_certainty(db: Database) -> None:
    rows = {(n["field"], n["position"]): n for n in names(db, "ar-pca")}
    assert rows["acronyms", 0]["name"] == "PCA"
    assert rows["acronyms", 1]["name"] == "CPA"
    assert rows["acronyms", 1]["kind"] == "acronym"
    assert rows["name_en", 2]["language"] == "en"
    native = next(n for n in names(db, "al-pksh") if n["field"] == "native_name")
    assert (native["language"], native["certain"]) == ("", False)
    uncertain = next(n for n in names(db, "al-pksh") if n["field"] == "acronyms_uncertain")
    assert (uncertain["name"], uncertain["certain"]) == ("PKSH", False)
    periods = [n for n in names(db, "tr-tkp") if n["field"] == "org_names" and n["name"] == "KP"]
    assert str(periods[0]["valid_from"]) == "2014-11-01"


@pytest.mark.parametrize(
    ("file", "key", "values"),
    [
        ("organizations.csv", "gr-kke", {"country": "UK"}),
        ("roles.csv", "d-raja", {"org_id": "in-nope"}),
        ("world_parties.csv", "pf-8281", {"year_last": "then"}),
    ],
)
def test_nothing_is_written_when_a_file_is_invalid(
    empty_db: Database, tmp_path: Path, file: str, key: str, values: dict[str, str]
) -> None:
    directory = copy_kb(tmp_path)
    change(directory, file, key, **values)
    with pytest.raises(KBError) as caught:
        load_kb(empty_db, directory)
    assert caught.value.problems[0].startswith(f"{file}:")
    assert set(counts(empty_db).values()) == {0}


def test_malformed_and_non_utf8_files_write_nothing(db: Database, tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    change(directory, "organizations.csv", "gr-kke", website="changed.example")
    (directory / "people.csv").write_bytes(b"id,name,aliases,notes\nx,Jos\xe9,,\n")
    with (directory / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write('imcwp-99,imcwp,99,"unterminated\n')
    before = counts(db)
    with pytest.raises(KBError) as caught:
        load_kb(db, directory)
    assert caught.value.problems == [
        "people.csv:2: not UTF-8 text (byte 0xe9 at offset 27); save the file as UTF-8",
        "events.csv:18: malformed CSV: unexpected end of data",
    ]
    assert counts(db) == before
    assert org(db, "gr-kke")["website"] == "inter.kke.gr|kke.gr"


def test_a_refusal_by_the_database_rolls_everything_back(db: Database, tmp_path: Path) -> None:
    """A Party Facts id that an organisation no longer in the files still holds."""
    directory = copy_kb(tmp_path)
    rows = [r for r in read_rows(directory, "world_parties.csv") if r["id"] != "pf-8281"]
    write_rows(directory, "world_parties.csv", rows)
    change(directory, "organizations.csv", "al-pksh", partyfacts_id="8281", website="x.example")
    with pytest.raises(KBError, match="the database refused the load, nothing was written"):
        load_kb(db, directory)
    albania = org(db, "al-pksh")
    assert (albania["partyfacts_id"], albania["website"]) == (None, "")


def test_a_changed_directory_updates_inserts_and_deletes(db: Database, tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    change(directory, "organizations.csv", "ar-pca", website="pca.example", acronyms="PCA")
    append(directory, "people.csv", id="new-person", name="New Person", aliases="N. Person")
    rows = [r for r in read_rows(directory, "organizations.csv") if r["id"] != "cu-granma"]
    write_rows(directory, "organizations.csv", rows)
    report = load_kb(db, directory)
    tables = report.tables
    assert (tables["organizations"].updated, tables["organizations"].inserted) == (1, 0)
    assert tables["org_names"].deleted == 1  # CPA; an organisation gone from the files keeps all
    assert (tables["people"].inserted, tables["person_names"].inserted) == (1, 1)
    pca = org(db, "ar-pca")
    assert pca["website"] == "pca.example"
    assert pca["origin"] == f"file:{directory.absolute() / 'organizations.csv'}"
    assert len(names(db, "cu-granma")) == 2, "organisations are never deleted by a load"
    assert org(db, "gr-kke")["origin"] == "seed:organizations.csv"


def test_an_origin_label_replaces_the_file_origin(empty_db: Database, tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    load_kb(empty_db, directory, origin_label="import:2026-11")
    assert org(empty_db, "gr-kke")["origin"] == "import:2026-11"
    with pytest.raises(KBError, match="is not a load's"):
        load_kb(empty_db, directory, origin_label="editor:me")


def test_a_missing_directory_is_refused(empty_db: Database, tmp_path: Path) -> None:
    with pytest.raises(KBError, match="not a directory"):
        load_kb(empty_db, tmp_path / "nowhere")


def test_a_role_whose_start_an_editor_corrected_is_not_duplicated(db: Database) -> None:
    """The editor's start changes the role's key; the seed row still matches it."""
    with db.write() as conn:
        conn.execute(
            sa.update(roles)
            .where(roles.c.person_id == "d-raja")
            .values(start=date(2019, 7, 22), editor_fields=["start"])
        )
    report = load_kb(db)
    assert not report.changed
    with db.read() as conn:
        starts = conn.execute(sa.select(roles.c.start).where(roles.c.person_id == "d-raja"))
        assert [str(s) for s in starts.scalars()] == ["2019-07-22"]


def test_the_packaged_load_uses_bulk_statements(empty_db: Database) -> None:
    """One query per table to read and a few bulk statements to write, never one per row."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    sa.event.listen(empty_db.engine, "before_cursor_execute", count)
    try:
        load_kb(empty_db)
    finally:
        sa.event.remove(empty_db.engine, "before_cursor_execute", count)
    assert len(statements) < 120

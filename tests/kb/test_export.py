"""Export: the packaged rows back, byte-identical round trips, and editors' changes included."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa

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
from tribune.kb.edit import add_org_name, remove_org_name, set_org_field
from tribune.kb.export import export_kb
from tribune.kb.load import load_kb, packaged_kb
from tribune.kb.records import COLUMNS

VOLATILE = {"id", "origin", "created_at", "updated_at"}
"""Columns that say when and whence a row came, not what the KB says."""


def parsed(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def by_id(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def snapshot(db: Database) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every KB table as a multiset of rows, without the volatile columns."""
    found = {}
    with db.read() as conn:
        for table in (
            countries,
            organizations,
            org_names,
            people,
            person_names,
            roles,
            events,
            event_hosts,
        ):
            columns = [c for c in table.c if c.name not in VOLATILE]
            rows = conn.execute(sa.select(*columns)).all()
            found[table.name] = Counter(tuple(str(v) for v in row) for row in rows)
    return found


def test_export_gives_back_the_packaged_rows_in_their_order(
    shared_kb_db: Database, tmp_path: Path
) -> None:
    written = export_kb(shared_kb_db, tmp_path / "out")
    assert [p.name for p in written] == list(COLUMNS)
    with resources.as_file(packaged_kb()) as source:
        for path in written:
            original = parsed(source / path.name)
            exported = parsed(path)
            assert exported[0] == list(COLUMNS[path.name])
            assert exported == original, path.name


def test_export_load_export_is_byte_identical(
    db: Database, empty_db: Database, tmp_path: Path
) -> None:
    first = export_kb(db, tmp_path / "first")
    load_kb(empty_db, tmp_path / "first")
    second = export_kb(empty_db, tmp_path / "second")
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_loading_an_export_gives_the_same_database(
    db: Database, empty_db: Database, tmp_path: Path
) -> None:
    export_kb(db, tmp_path / "out")
    assert not load_kb(db, tmp_path / "out").changed
    load_kb(empty_db, tmp_path / "out")
    assert snapshot(empty_db) == snapshot(db)


def test_editors_changes_are_exported(db: Database, empty_db: Database, tmp_path: Path) -> None:
    set_org_field(db, "gr-kke", "website", "kke.example", editor="maria")
    add_org_name(db, "gr-kke", "Kommounistiko Komma", kind="variant", language="el", editor="m")
    with db.read() as conn:
        cpa = conn.execute(
            sa.select(org_names.c.id).where(
                org_names.c.org_id == "ar-pca", org_names.c.name == "CPA"
            )
        ).scalar_one()
    remove_org_name(db, cpa, editor="maria")
    export_kb(db, tmp_path / "out")
    orgs = by_id(tmp_path / "out/organizations.csv")
    assert orgs["gr-kke"]["website"] == "kke.example"
    assert orgs["ar-pca"]["acronyms"] == "PCA"
    assert orgs["gr-kke"]["partyfacts_id"] == "48"
    assert orgs["gr-kke"]["wikidata_id"] == "Q192406"
    extra = parsed(tmp_path / "out/org_names.csv")[-1]
    assert extra == ["gr-kke", "Kommounistiko Komma", "el", "variant", "", "", ""]
    parties = by_id(tmp_path / "out/world_parties.csv")
    assert parties["pf-48"]["seed_id"] == "gr-kke"
    assert parties["pf-48"]["name_short"] == "KKE"
    load_kb(empty_db, tmp_path / "out")
    with empty_db.read() as conn:
        website = conn.execute(
            sa.select(organizations.c.website).where(organizations.c.id == "gr-kke")
        ).scalar_one()
        acronyms = conn.execute(
            sa.select(org_names.c.name).where(
                org_names.c.org_id == "ar-pca", org_names.c.field == "acronyms"
            )
        ).scalars()
        assert (website, list(acronyms)) == ("kke.example", ["PCA"])


def test_an_editors_english_name_of_a_world_party_goes_to_org_names(
    db: Database, tmp_path: Path
) -> None:
    """World parties have no name_en column; the editor's name must not be lost."""
    set_org_field(db, "pf-1740", "name_en", "DSP (Turkey)", editor="maria")
    export_kb(db, tmp_path / "out")
    rows = parsed(tmp_path / "out/org_names.csv")
    assert ["pf-1740", "DSP (Turkey)", "en", "official", "", "", ""] in rows

"""How the seed records become table rows (and where export finds them again).

Every name an organisation has becomes an ``org_names`` row tagged with the seed column it came
from (``field``): ``name_en``, ``native_name``, ``acronyms``, ``acronyms_uncertain`` from
organizations.csv; ``org_names`` from org_names.csv; ``name_short``, ``name``, ``name_english``,
``name_native``, ``name_other`` from world_parties.csv. Export rebuilds each column from its rows.

``position`` orders the names of one list field (``PCA|CPA``: 0 and 1). For a one-valued field it
holds the row's index in its file instead, and org_names.csv rows carry their line order: export
sorts by these positions, so it writes the files back in the order they were loaded without a
column of its own for that order.

A world party with a ``seed_id`` is that seed organisation: one row, the seed's id, with the
Party Facts years and Wikipedia link and the Party Facts names added.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from tribune.kb.countries import load_countries
from tribune.kb.records import KBData, Org, WorldParty

Row = dict[str, Any]

ORG_FILE_FIELDS = ("name_en", "native_name", "acronyms", "acronyms_uncertain")
"""Name fields filled from organizations.csv."""
PF_FIELDS = ("name_short", "name", "name_english", "name_native", "name_other")
"""Name fields filled from world_parties.csv, in its column order."""
PF_LIST_FIELDS = ("name_english", "name_other")
NAMES_FIELD = "org_names"
"""The field of names from org_names.csv, and of names editors add."""


@dataclass
class Rows:
    """The rows the seed files ask for, table by table."""

    countries: list[Row] = field(default_factory=list)
    organizations: list[Row] = field(default_factory=list)
    org_names: list[Row] = field(default_factory=list)
    people: list[Row] = field(default_factory=list)
    person_names: list[Row] = field(default_factory=list)
    roles: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    event_hosts: list[Row] = field(default_factory=list)


def build_rows(data: KBData, origins: dict[str, str]) -> Rows:
    """The table rows for *data*; *origins* maps each file name to the origin its rows record."""
    rows = Rows(countries=country_rows())
    merged = {p.seed_id: p for p in data.world_parties if p.seed_id is not None}
    pf_index = {p.id: i for i, p in enumerate(data.world_parties)}
    org_origin, pf_origin = origins["organizations.csv"], origins["world_parties.csv"]
    for index, org in enumerate(data.organizations):
        party = merged.get(org.id)
        rows.organizations.append(_seed_org(org, party, org_origin))
        rows.org_names += _seed_org_names(org, index, org_origin)
        if party is not None:
            rows.org_names += _pf_names(org.id, party, pf_index[party.id], pf_origin)
    for index, party in enumerate(data.world_parties):
        if party.seed_id is None:
            rows.organizations.append(_pf_org(party, pf_origin))
            rows.org_names += _pf_names(party.id, party, index, pf_origin)
    rows.organizations = _parents_first(rows.organizations)
    names_origin = origins["org_names.csv"]
    for index, name in enumerate(data.org_names):
        rows.org_names.append(
            _name(name.org_id, name.name, name.kind, NAMES_FIELD, index, names_origin)
            | {
                "language": name.language,
                "valid_from": name.valid_from,
                "valid_to": name.valid_to,
                "notes": name.notes,
            }
        )
    people_origin = origins["people.csv"]
    for person in data.people:
        rows.people.append(
            {"id": person.id, "name": person.name, "notes": person.notes, "origin": people_origin}
        )
        rows.person_names += [
            {"person_id": person.id, "name": alias, "position": i, "origin": people_origin}
            for i, alias in enumerate(person.aliases)
        ]
    for index, role in enumerate(data.roles):
        rows.roles.append(
            {
                "person_id": role.person_id,
                "org_id": role.org_id,
                "title": role.title,
                "start": role.start,
                "end": role.end,
                "notes": role.notes,
                "position": index,
                "origin": origins["roles.csv"],
            }
        )
    for event in data.events:
        rows.events.append(
            {
                "id": event.id,
                "series": event.series,
                "number": event.number,
                "name_en": event.name_en,
                "start": event.start,
                "end": event.end,
                "date_precision": event.date_precision,
                "city": event.city,
                "country": event.country,
                "notes": event.notes,
                "origin": origins["events.csv"],
            }
        )
        rows.event_hosts += [
            {"event_id": event.id, "org_id": host, "position": i}
            for i, host in enumerate(event.hosts)
        ]
    return rows


def country_rows() -> list[Row]:
    """Every country of the packaged table, as ``countries`` rows."""
    return [
        {"code": c.code, "name_en": c.name_en, "region": c.region, "subregion": c.subregion}
        for c in load_countries()
    ]


def _seed_org(org: Org, party: WorldParty | None, origin: str) -> Row:
    return {
        "id": org.id,
        "kind": org.kind,
        "name_en": org.name_en,
        "native_name": org.native_name,
        "native_name_certain": org.native_name_certain,
        "country": org.country,
        "website": org.website,
        "network_member": org.network_member,
        "parent_id": org.parent,
        "notes": org.notes,
        "partyfacts_id": org.partyfacts_id if party is None else party.partyfacts_id,
        "wikidata_id": org.wikidata_id or (party.wikidata_id if party else None),
        "year_first": party.year_first if party else None,
        "year_last": party.year_last if party else None,
        "wikipedia": party.wikipedia if party else "",
        "in_seed": True,
        "in_world_parties": party is not None,
        "origin": origin,
    }


def _pf_org(party: WorldParty, origin: str) -> Row:
    """A Party Facts party of its own: a party outside the network unless an editor says so."""
    english = party.name_english[0] if party.name_english else party.name
    return {
        "id": party.id,
        "kind": "party",
        "name_en": english,
        "native_name": "",
        "native_name_certain": None,
        "country": party.country,
        "website": "",
        "network_member": "no",
        "parent_id": None,
        "notes": "",
        "partyfacts_id": party.partyfacts_id,
        "wikidata_id": party.wikidata_id,
        "year_first": party.year_first,
        "year_last": party.year_last,
        "wikipedia": party.wikipedia,
        "in_seed": False,
        "in_world_parties": True,
        "origin": origin,
    }


def _name(org_id: str, name: str, kind: str, field: str, position: int, origin: str) -> Row:
    return {
        "org_id": org_id,
        "name": name,
        "language": "",
        "kind": kind,
        "valid_from": None,
        "valid_to": None,
        "certain": True,
        "field": field,
        "position": position,
        "notes": "",
        "origin": origin,
    }


def _seed_org_names(org: Org, index: int, origin: str) -> Iterator[Row]:
    yield _name(org.id, org.name_en, "official", "name_en", index, origin) | {"language": "en"}
    if org.native_name.strip():
        certain = org.native_name_certain is not False
        yield _name(org.id, org.native_name, "official", "native_name", index, origin) | {
            "certain": certain
        }
    for col, certain in (("acronyms", True), ("acronyms_uncertain", False)):
        acronyms: tuple[str, ...] = getattr(org, col)
        for i, acronym in enumerate(acronyms):
            yield _name(org.id, acronym, "acronym", col, i, origin) | {"certain": certain}


def _pf_names(org_id: str, party: WorldParty, index: int, origin: str) -> Iterator[Row]:
    singles = (
        ("name_short", party.name_short, "acronym", ""),
        ("name", party.name, "official", ""),
        ("name_native", party.name_native, "official", ""),
    )
    for col, value, kind, language in singles:
        if value.strip():
            yield _name(org_id, value, kind, col, index, origin) | {"language": language}
    for i, english in enumerate(party.name_english):
        yield _name(org_id, english, "official", "name_english", i, origin) | {"language": "en"}
    for i, other in enumerate(party.name_other):
        yield _name(org_id, other, "variant", "name_other", i, origin)


def _parents_first(orgs: Iterable[Row]) -> list[Row]:
    """Order organisations so that each parent comes before its children (foreign keys)."""
    by_id = {row["id"]: row for row in orgs}

    def depth(row: Row) -> int:
        level, parent = 0, row["parent_id"]
        while parent in by_id and level <= len(by_id):
            level, parent = level + 1, by_id[parent]["parent_id"]
        return level

    return sorted(by_id.values(), key=depth)

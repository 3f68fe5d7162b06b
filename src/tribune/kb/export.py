"""``kb export``: write the KB back as the six seed files, editors' changes included.

The files have the packaged headers and column order, so an export is a valid seed: loading it
into an empty database gives the same KB, and exporting that again gives the same bytes.

Row order follows the order the rows were loaded in (see :mod:`tribune.kb.mapping`): seed
organisations and world parties by the file position their one-valued names carry, org_names.csv
and roles.csv rows by ``position``, people and events by creation (a load creates them in file
order, a microsecond apart); rows added since then come after, by id. Removed names are left out;
a name whose field has no column in the organisation's file rows (an editor's name) is written to
org_names.csv.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import (
    event_hosts,
    events,
    org_names,
    organizations,
    people,
    person_names,
    roles,
)
from tribune.kb.mapping import NAMES_FIELD, ORG_FILE_FIELDS, PF_FIELDS, PF_LIST_FIELDS
from tribune.kb.records import COLUMNS, PF_SEPARATOR

__all__ = ["export_kb"]

Record = Mapping[Any, Any]
_LAST = 1 << 62
"""Sort key of rows without a file position: after every loaded row."""
_PF_SINGLE = tuple(f for f in PF_FIELDS if f not in PF_LIST_FIELDS)


def export_kb(db: Database, directory: Path) -> list[Path]:
    """Write organizations.csv, world_parties.csv, ... into *directory*; return their paths."""
    with db.read() as conn:

        def fetch(table: sa.Table) -> list[Record]:
            return list(conn.execute(sa.select(table)).mappings())

        orgs, names = fetch(organizations), fetch(org_names)
        persons, aliases, role_rows = fetch(people), fetch(person_names), fetch(roles)
        event_rows, hosts = fetch(events), fetch(event_hosts)
    names_of = _group(names, "org_id")
    seed_orgs = [o for o in orgs if o["in_seed"] or not o["in_world_parties"]]
    pf_orgs = [o for o in orgs if o["in_world_parties"]]
    seed_orgs.sort(key=lambda o: (_file_position(names_of, o, ("name_en",)), o["id"]))
    pf_orgs.sort(key=lambda o: (_file_position(names_of, o, _PF_SINGLE), o["id"]))
    in_files = {o["id"]: set(ORG_FILE_FIELDS) for o in seed_orgs}
    for org in pf_orgs:
        in_files.setdefault(org["id"], set()).update(PF_FIELDS)
    spare = [
        n
        for n in names
        if not n["removed"]
        and (n["field"] == NAMES_FIELD or n["field"] not in in_files[n["org_id"]])
    ]
    spare.sort(key=lambda n: (n["position"] if n["field"] == NAMES_FIELD else -1, n["id"]))
    aliases_of = _group(aliases, "person_id")
    hosts_of = _group(hosts, "event_id")
    tables: dict[str, Iterable[list[str]]] = {
        "organizations.csv": (_org_row(o, names_of) for o in seed_orgs),
        "org_names.csv": (_name_row(n) for n in spare),
        "people.csv": (
            [p["id"], p["name"], _join(aliases_of, p["id"], "|"), p["notes"]]
            for p in sorted(persons, key=lambda p: (p["created_at"], p["id"]))
        ),
        "roles.csv": (
            _text(r["person_id"], r["org_id"], r["title"], r["start"], r["end"], r["notes"])
            for r in sorted(role_rows, key=lambda r: (r["position"], r["id"]))
        ),
        "events.csv": (
            _event_row(e, hosts_of)
            for e in sorted(event_rows, key=lambda e: (e["created_at"], e["id"]))
        ),
        "world_parties.csv": (_party_row(o, names_of) for o in pf_orgs),
    }
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in COLUMNS:
        path = directory / name
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(COLUMNS[name])
            writer.writerows(tables[name])
        written.append(path)
    return written


def _group(rows: Iterable[Record], column: str) -> dict[str, list[Record]]:
    """Rows by owner, each owner's in (position, id) order."""
    grouped: dict[str, list[Record]] = {}
    for row in sorted(rows, key=lambda r: (r["position"], r.get("id", 0))):
        grouped.setdefault(row[column], []).append(row)
    return grouped


def _file_position(names_of: dict[str, list[Record]], org: Record, fields: Sequence[str]) -> int:
    """The row index the organisation had in its file, kept in its one-valued name rows."""
    positions = [n["position"] for n in names_of.get(org["id"], ()) if n["field"] in fields]
    return min(positions, default=_LAST)


def _values(names: Iterable[Record], field: str) -> list[str]:
    return [str(n["name"]) for n in names if n["field"] == field and not n["removed"]]


def _join(grouped: Mapping[str, list[Record]], owner: str, separator: str) -> str:
    return separator.join(str(r["name"]) for r in grouped.get(owner, ()) if not r["removed"])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _text(*values: Any) -> list[str]:
    return [_cell(v) for v in values]


def _org_row(org: Record, names_of: Mapping[str, list[Record]]) -> list[str]:
    names = names_of.get(org["id"], [])
    return _text(
        org["id"],
        org["kind"],
        org["name_en"],
        org["native_name"],
        org["native_name_certain"],
        "|".join(_values(names, "acronyms")),
        "|".join(_values(names, "acronyms_uncertain")),
        org["country"],
        org["website"],
        org["network_member"],
        org["parent_id"],
        org["notes"],
        org["partyfacts_id"],
        org["wikidata_id"],
    )


def _party_row(org: Record, names_of: Mapping[str, list[Record]]) -> list[str]:
    """A world_parties.csv row; a merged seed organisation gets back its ``pf-`` id and seed_id."""
    names = names_of.get(org["id"], [])
    merged = org["in_seed"]
    packed = {
        field: (PF_SEPARATOR if field in PF_LIST_FIELDS else " ").join(_values(names, field))
        for field in PF_FIELDS
    }
    return _text(
        f"pf-{org['partyfacts_id']}" if merged else org["id"],
        org["partyfacts_id"],
        org["wikidata_id"],
        org["country"],
        *(packed[field] for field in PF_FIELDS),
        org["year_first"],
        org["year_last"],
        org["wikipedia"],
        org["id"] if merged else "",
    )


def _name_row(name: Record) -> list[str]:
    return _text(
        name["org_id"],
        name["name"],
        name["language"],
        name["kind"],
        name["valid_from"],
        name["valid_to"],
        name["notes"],
    )


def _event_row(event: Record, hosts_of: Mapping[str, list[Record]]) -> list[str]:
    hosts = "|".join(str(h["org_id"]) for h in hosts_of.get(event["id"], ()))
    return _text(
        event["id"],
        event["series"],
        event["number"],
        event["name_en"],
        event["start"],
        event["end"],
        event["date_precision"],
        event["city"],
        event["country"],
        hosts,
        event["notes"],
    )

"""Reading the KB: one entry in full (``kb show``) and entries by name (``kb search``).

Both return plain JSON-ready dicts (dates as ISO strings), the shape the CLI prints with
``--json`` and the API can serve as is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.tables import (
    countries,
    event_hosts,
    events,
    org_names,
    org_redirects,
    organizations,
    people,
    person_names,
    roles,
)
from tribune.kb.countries import fold
from tribune.kb.mapping import NAMES_FIELD, ORG_FILE_FIELDS, PF_FIELDS

__all__ = ["partyfacts_url", "search", "show", "wikidata_url"]

Result = dict[str, Any]


def partyfacts_url(partyfacts_id: int) -> str:
    return f"https://partyfacts.herokuapp.com/data/partycodes/{partyfacts_id}/"


def wikidata_url(wikidata_id: str) -> str:
    return f"https://www.wikidata.org/wiki/{wikidata_id}"


def show(db: Database, entity_id: str) -> Result | None:
    """An organisation, person or event with everything known about it, or None.

    An organisation id that was merged into another shows that one, with ``redirected_from``.
    """
    with db.read() as conn:
        target = conn.execute(
            sa.select(org_redirects.c.new_id).where(org_redirects.c.old_id == entity_id)
        ).scalar()
        found = _org(conn, target or entity_id)
        if found is not None:
            return found | ({"redirected_from": entity_id} if target else {})
        return _person(conn, entity_id) or _event(conn, entity_id)


def search(db: Database, text: str, *, limit: int = 20) -> list[Result]:
    """Entries one of whose names contains *text*, ignoring case and diacritics.

    Exact matches come first, then network members, then shorter names. Each entry appears once,
    with the name it matched best. Names are compared in Python (about 25,000 of them) because
    SQL ``LIKE`` cannot ignore diacritics the same way on both databases.
    """
    wanted = fold(text)
    if not wanted or limit <= 0:
        return []
    best: dict[tuple[str, str], tuple[tuple[Any, ...], Result]] = {}
    with db.read() as conn:
        for name, entry in _candidates(conn):
            folded = fold(name)
            if wanted not in folded:
                continue
            rank = (
                folded != wanted,
                entry["network_member"] != "yes",
                not folded.startswith(wanted),
                len(name),
                entry["name"],
                entry["id"],
            )
            ident = (entry["type"], entry["id"])
            if ident not in best or rank < best[ident][0]:
                best[ident] = (rank, entry | {"matched_name": name})
    return [result for _, result in sorted(best.values(), key=lambda pair: pair[0])[:limit]]


def _candidates(conn: Connection) -> list[tuple[str, Result]]:
    """Every searchable name with the entry it belongs to."""
    out: list[tuple[str, Result]] = []
    o = organizations.c
    query = (
        sa.select(org_names.c.name, o.id, o.name_en, o.country, o.network_member)
        .join(organizations, organizations.c.id == org_names.c.org_id)
        .where(org_names.c.removed.is_(False))
    )
    for row in conn.execute(query):
        entry = {
            "type": "org",
            "id": row.id,
            "name": row.name_en,
            "country": row.country,
            "network_member": row.network_member,
        }
        out.append((row.name, entry))
    persons = {
        p.id: {
            "type": "person",
            "id": p.id,
            "name": p.name,
            "country": None,
            "network_member": None,
        }
        for p in conn.execute(sa.select(people.c.id, people.c.name))
    }
    out += [(entry["name"], entry) for entry in persons.values()]
    aliases = sa.select(person_names.c.person_id, person_names.c.name).where(
        person_names.c.removed.is_(False)
    )
    out += [(alias.name, persons[alias.person_id]) for alias in conn.execute(aliases)]
    for e in conn.execute(sa.select(events.c.id, events.c.name_en, events.c.country)):
        entry = {
            "type": "event",
            "id": e.id,
            "name": e.name_en,
            "country": e.country,
            "network_member": None,
        }
        out.append((e.name_en, entry))
    return out


def _field_rank(field: str) -> int:
    """Names in the order of the seed columns they came from; editors' last."""
    order = (*ORG_FILE_FIELDS, NAMES_FIELD, *PF_FIELDS)
    return order.index(field) if field in order else len(order)


def _plain(row: Mapping[Any, Any]) -> Result:
    return {key: _json(value) for key, value in row.items()}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _country_name(conn: Connection, code: str | None) -> str | None:
    if code is None:
        return None
    return conn.execute(sa.select(countries.c.name_en).where(countries.c.code == code)).scalar()


def _org(conn: Connection, org_id: str) -> Result | None:
    row = conn.execute(sa.select(organizations).where(organizations.c.id == org_id)).mappings()
    org = row.first()
    if org is None:
        return None
    o = organizations.c
    result: Result = {"type": "org"} | _plain(org)
    result["country_name"] = _country_name(conn, org["country"])
    pf, wd = org["partyfacts_id"], org["wikidata_id"]
    result["partyfacts_url"] = partyfacts_url(pf) if pf is not None else None
    result["wikidata_url"] = wikidata_url(wd) if wd else None
    names = conn.execute(
        sa.select(org_names).where(org_names.c.org_id == org_id, org_names.c.removed.is_(False))
    ).mappings()
    keep = ("id", "name", "language", "kind", "valid_from", "valid_to", "certain", "field")
    result["names"] = [
        {k: _json(n[k]) for k in keep} | {"origin": n["origin"]}
        for n in sorted(names, key=lambda n: (_field_rank(n["field"]), n["position"], n["id"]))
    ]
    parent = None
    if org["parent_id"] is not None:
        parent_name = conn.execute(sa.select(o.name_en).where(o.id == org["parent_id"])).scalar()
        parent = {"id": org["parent_id"], "name_en": parent_name}
    result["parent"] = parent
    children = conn.execute(
        sa.select(o.id, o.name_en, o.kind).where(o.parent_id == org_id).order_by(o.id)
    ).mappings()
    result["children"] = [dict(child) for child in children]
    held = conn.execute(
        sa.select(roles, people.c.name.label("person_name"))
        .join(people, people.c.id == roles.c.person_id)
        .where(roles.c.org_id == org_id)
        .order_by(roles.c.start, roles.c.position)
    ).mappings()
    result["people"] = [
        {
            "person_id": r["person_id"],
            "name": r["person_name"],
            "title": r["title"],
            "start": _json(r["start"]),
            "end": _json(r["end"]),
        }
        for r in held
    ]
    hosted = conn.execute(
        sa.select(events.c.id, events.c.name_en, events.c.start)
        .join(event_hosts, event_hosts.c.event_id == events.c.id)
        .where(event_hosts.c.org_id == org_id)
        .order_by(events.c.start, events.c.id)
    ).mappings()
    result["events"] = [_plain(e) for e in hosted]
    return result


def _person(conn: Connection, person_id: str) -> Result | None:
    person = conn.execute(sa.select(people).where(people.c.id == person_id)).mappings().first()
    if person is None:
        return None
    result: Result = {"type": "person"} | _plain(person)
    names = conn.execute(
        sa.select(person_names.c.id, person_names.c.name, person_names.c.origin)
        .where(person_names.c.person_id == person_id, person_names.c.removed.is_(False))
        .order_by(person_names.c.position, person_names.c.id)
    ).mappings()
    result["names"] = [dict(n) for n in names]
    held = conn.execute(
        sa.select(roles, organizations.c.name_en.label("org_name"))
        .join(organizations, organizations.c.id == roles.c.org_id)
        .where(roles.c.person_id == person_id)
        .order_by(roles.c.start, roles.c.position)
    ).mappings()
    keep = ("org_id", "org_name", "title", "start", "end", "notes")
    result["roles"] = [{k: _json(r[k]) for k in keep} for r in held]
    return result


def _event(conn: Connection, event_id: str) -> Result | None:
    event = conn.execute(sa.select(events).where(events.c.id == event_id)).mappings().first()
    if event is None:
        return None
    result: Result = {"type": "event"} | _plain(event)
    result["country_name"] = _country_name(conn, event["country"])
    hosts = conn.execute(
        sa.select(organizations.c.id, organizations.c.name_en, organizations.c.country)
        .join(event_hosts, event_hosts.c.org_id == organizations.c.id)
        .where(event_hosts.c.event_id == event_id)
        .order_by(event_hosts.c.position)
    ).mappings()
    result["hosts"] = [dict(h) for h in hosts]
    return result

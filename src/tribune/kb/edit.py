"""Editors' changes to the KB, marked so that no later ``kb load`` undoes them.

A changed field is added to the row's ``editor_fields`` (the load never writes those columns);
an added or removed name gets the origin ``editor:<name>`` (the load never touches such rows, and
a removed seed name stays ``removed`` however often the seed lists it). The row's own ``origin``
keeps saying where the row came from; who changed what, and when, belongs to the audit log that
the newsroom writes around these calls.

Values are checked with the same rules as the seed files (:mod:`tribune.kb.fields`) and may be
given as the text a CSV would hold (``"yes"``, ``"1918"``) or as Python values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.tables import org_names, organizations, people, person_names, roles
from tribune.db.types import utcnow
from tribune.kb import fields as f
from tribune.kb.errors import KBError
from tribune.kb.mapping import NAMES_FIELD
from tribune.kb.records import NAME_KINDS, NETWORK_MEMBER, ORG_KINDS

__all__ = [
    "ORG_FIELDS",
    "PERSON_FIELDS",
    "add_org_name",
    "add_person_alias",
    "insert_person",
    "insert_role",
    "remove_org_name",
    "remove_person_alias",
    "set_org_field",
    "set_person_field",
    "set_role_end",
    "set_role_start",
]

Value = str | int | bool | date | None
_Parser = Callable[[str, str, Mapping[Any, Any]], Any]

ORG_FIELDS: dict[str, _Parser] = {
    "kind": lambda c, t, org: f.parse_choice(c, t, ORG_KINDS),
    "name_en": lambda c, t, org: f.check_text(c, t, "organizations.name_en", required=True),
    "native_name": lambda c, t, org: f.check_text(c, t, "organizations.native_name"),
    "native_name_certain": lambda c, t, org: f.parse_yes_no(c, t),
    "country": lambda c, t, org: f.parse_country(c, t, optional=_may_lack_country(org)),
    "website": lambda c, t, org: f.check_text(c, t, "organizations.website"),
    "network_member": lambda c, t, org: f.parse_choice(c, t, NETWORK_MEMBER),
    "parent_id": lambda c, t, org: f.parse_ident(c, t, "organizations.id", required=False) or None,
    "notes": lambda c, t, org: f.check_text(c, t),
    "partyfacts_id": lambda c, t, org: f.parse_integer(c, t, required=org["in_world_parties"]),
    "wikidata_id": lambda c, t, org: f.parse_wikidata(c, t),
    "year_first": lambda c, t, org: f.parse_integer(c, t),
    "year_last": lambda c, t, org: f.parse_integer(c, t),
    "wikipedia": lambda c, t, org: f.check_text(c, t, "organizations.wikipedia"),
}
"""The organisation columns an editor may set, each with its check."""

PERSON_FIELDS: dict[str, _Parser] = {
    "name": lambda c, t, person: f.check_text(c, t, "people.name", required=True),
    "notes": lambda c, t, person: f.check_text(c, t),
}
"""The person columns an editor may set, each with its check."""


def _may_lack_country(org: Mapping[Any, Any]) -> bool:
    """As in the seed files: international bodies and Party Facts parties of their own."""
    return bool(org["id"].startswith("int-") or (org["in_world_parties"] and not org["in_seed"]))


_ALIASES = {"parent": "parent_id"}
# Setting one of these columns also sets the org_names row of the same field, for the linker.
_NAME_COLUMNS = {"name_en": "en", "native_name": ""}


def set_org_field(db: Database, org_id: str, field: str, value: Value, *, editor: str) -> None:
    """Set one field of an organisation as an editor; later loads leave it alone."""
    origin = _origin(editor)
    column = _ALIASES.get(field, field)
    if column not in ORG_FIELDS:
        raise KBError([f"unknown organisation field {field!r}: one of {', '.join(ORG_FIELDS)}"])
    with db.write() as conn:
        org = _get(conn, organizations, org_id, "organisation")
        parsed = _parse(ORG_FIELDS[column], column, value, org)
        if column == "parent_id" and parsed is not None:
            _check_parent(conn, org_id, parsed)
        if column == "partyfacts_id" and parsed is not None:
            other = conn.execute(
                sa.select(organizations.c.id).where(
                    organizations.c.partyfacts_id == parsed, organizations.c.id != org_id
                )
            ).scalar()
            if other is not None:
                raise KBError([f"partyfacts_id {parsed} already belongs to {other}"])
        _mark(conn, organizations, org, {column: parsed})
        if column in _NAME_COLUMNS:
            _set_column_name(conn, org_id, column, str(parsed), origin)


def add_org_name(
    db: Database,
    org_id: str,
    name: str,
    *,
    kind: str,
    language: str = "",
    valid_from: date | str | None = None,
    valid_to: date | str | None = None,
    editor: str,
) -> int:
    """Add a name (as org_names.csv would) and return its id."""
    origin = _origin(editor)
    try:
        f.check_text("name", name, "org_names.name", required=True)
        f.parse_choice("kind", kind, NAME_KINDS)
        f.parse_language("language", language)
        start = _date("valid_from", valid_from)
        end = _date("valid_to", valid_to)
    except f.FieldError as exc:
        raise KBError([str(exc)]) from None
    if start and end and end < start:
        raise KBError([f"valid_to {end} is before valid_from {start}"])
    with db.write() as conn:
        _get(conn, organizations, org_id, "organisation")
        same = conn.execute(
            sa.select(org_names.c.valid_from, org_names.c.valid_to).where(
                org_names.c.org_id == org_id,
                org_names.c.field == NAMES_FIELD,
                org_names.c.name == name,
                org_names.c.language == language,
                org_names.c.removed.is_(False),
            )
        ).all()
        lo, hi = date.min, date.max
        for other_from, other_to in same:
            if (start or lo) <= (other_to or hi) and (other_from or lo) <= (end or hi):
                raise KBError([f"{org_id} already has the name {name!r} in that period"])
        position = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(org_names.c.position), -1)).where(
                org_names.c.field == NAMES_FIELD
            )
        ).scalar_one()
        row = {
            "org_id": org_id,
            "name": name,
            "language": language,
            "kind": kind,
            "valid_from": start,
            "valid_to": end,
            "certain": True,
            "field": NAMES_FIELD,
            "position": int(position) + 1,
            "notes": "",
            "removed": False,
            "origin": origin,
        }
        return _inserted_id(conn.execute(sa.insert(org_names).values(row)))


def remove_org_name(db: Database, name_id: int, *, editor: str) -> None:
    """Mark a name removed: the linker and export skip it, and no load brings it back."""
    _remove(db, org_names, name_id, "organisation name", _origin(editor))


def set_person_field(
    db: Database, person_id: str, field: str, value: Value, *, editor: str
) -> None:
    """Set one field of a person as an editor; later loads leave it alone."""
    _origin(editor)
    if field not in PERSON_FIELDS:
        raise KBError([f"unknown person field {field!r}: one of {', '.join(PERSON_FIELDS)}"])
    with db.write() as conn:
        person = _get(conn, people, person_id, "person")
        _mark(conn, people, person, {field: _parse(PERSON_FIELDS[field], field, value, person)})


def add_person_alias(db: Database, person_id: str, alias: str, *, editor: str) -> int:
    """Add another name a person is known by and return its id."""
    origin = _origin(editor)
    try:
        f.check_text("alias", alias, "person_names.name", required=True)
    except f.FieldError as exc:
        raise KBError([str(exc)]) from None
    with db.write() as conn:
        _get(conn, people, person_id, "person")
        position = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(person_names.c.position), -1)).where(
                person_names.c.person_id == person_id
            )
        ).scalar_one()
        row = {
            "person_id": person_id,
            "name": alias,
            "position": int(position) + 1,
            "removed": False,
            "origin": origin,
        }
        return _inserted_id(conn.execute(sa.insert(person_names).values(row)))


def remove_person_alias(db: Database, alias_id: int, *, editor: str) -> None:
    """Mark an alias removed, for good."""
    _remove(db, person_names, alias_id, "person alias", _origin(editor))


def insert_person(conn: Connection, person_id: str, name: str, *, origin: str) -> None:
    """Add a person in the caller's transaction (the newsroom's role forms and accepted role
    suggestions); *origin* (``editor:<user>``, ``suggestion:<id>``) keeps loads off the row."""
    now = utcnow()
    conn.execute(
        people.insert().values(
            id=person_id,
            name=name,
            notes="",
            origin=origin,
            editor_fields=[],
            created_at=now,
            updated_at=now,
        )
    )


def insert_role(
    conn: Connection,
    *,
    person_id: str,
    org_id: str,
    title: str,
    start: date | None,
    end: date | None,
    notes: str = "",
    origin: str,
) -> int:
    """Add a role, after every other (its ``position``), in the caller's transaction; its id."""
    position = conn.execute(
        sa.select(sa.func.coalesce(sa.func.max(roles.c.position), -1))
    ).scalar_one()
    now = utcnow()
    result = conn.execute(
        roles.insert().values(
            person_id=person_id,
            org_id=org_id,
            title=title,
            start=start,
            end=end,
            notes=notes,
            position=int(position) + 1,
            origin=origin,
            editor_fields=[],
            created_at=now,
            updated_at=now,
        )
    )
    return _inserted_id(result)


def set_role_end(conn: Connection, role_id: int, end: date) -> None:
    """End a role's term as an editor (``end`` becomes the editor's: no load reopens it)."""
    _set_role_field(conn, role_id, "end", end)


def set_role_start(conn: Connection, role_id: int, start: date) -> None:
    """Move a role's start as an editor (``start`` becomes the editor's)."""
    _set_role_field(conn, role_id, "start", start)


def _set_role_field(conn: Connection, role_id: int, field: str, value: date) -> None:
    row = conn.execute(sa.select(roles).where(roles.c.id == role_id)).mappings().first()
    if row is None:
        raise KBError([f"no role with id {role_id}"])
    _mark(conn, roles, row, {field: value})


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _origin(editor: str) -> str:
    if not editor.strip() or len(editor) > 150:
        raise KBError([f"editor {editor!r} is not a user name"])
    return f"editor:{editor}"


def _get(conn: Connection, table: sa.Table, row_id: str, what: str) -> Mapping[Any, Any]:
    row = conn.execute(sa.select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        raise KBError([f"no {what} with id {row_id!r}"])
    return row


def _parse(parser: _Parser, column: str, value: Value, row: Mapping[Any, Any]) -> Any:
    """Check *value* with the seed files' rules, from its CSV text."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    try:
        return parser(column, text, row)
    except f.FieldError as exc:
        raise KBError([f"{row['id']}: {exc}"]) from None


def _date(col: str, value: date | str | None) -> date | None:
    return value if isinstance(value, date) else f.parse_date(col, value or "")


def _mark(
    conn: Connection, table: sa.Table, row: Mapping[Any, Any], values: dict[str, Any]
) -> None:
    """Write *values* and record their columns as the editor's."""
    owned = sorted(set(row["editor_fields"] or ()) | set(values))
    conn.execute(
        sa.update(table)
        .where(table.c.id == row["id"])
        .values({**values, "editor_fields": owned, "updated_at": utcnow()})
    )


def _check_parent(conn: Connection, org_id: str, parent_id: str) -> None:
    parents = {
        r.id: r.parent_id
        for r in conn.execute(sa.select(organizations.c.id, organizations.c.parent_id))
    }
    if parent_id not in parents:
        raise KBError([f"no organisation with id {parent_id!r}"])
    current: str | None = parent_id
    while current is not None:
        if current == org_id:
            raise KBError([f"{parent_id} cannot be the parent of {org_id}: that makes a loop"])
        current = parents.get(current)


def _set_column_name(conn: Connection, org_id: str, column: str, name: str, origin: str) -> None:
    """Keep the org_names row behind ``name_en``/``native_name`` equal to the column."""
    where = (org_names.c.org_id == org_id, org_names.c.field == column)
    existing = conn.execute(sa.select(org_names.c.id).where(*where)).scalars().all()
    if existing:
        values: dict[str, Any] = {"origin": origin, "removed": not name.strip()}
        if name.strip():
            values["name"] = name
        conn.execute(sa.update(org_names).where(*where).values(values))
    elif name.strip():
        conn.execute(
            sa.insert(org_names).values(
                org_id=org_id,
                name=name,
                language=_NAME_COLUMNS[column],
                kind="official",
                certain=True,
                field=column,
                position=0,
                notes="",
                removed=False,
                origin=origin,
            )
        )


def _remove(db: Database, table: sa.Table, row_id: int, what: str, origin: str) -> None:
    with db.write() as conn:
        found = conn.execute(
            sa.update(table).where(table.c.id == row_id).values(removed=True, origin=origin)
        )
        if found.rowcount != 1:
            raise KBError([f"no {what} with id {row_id}"])

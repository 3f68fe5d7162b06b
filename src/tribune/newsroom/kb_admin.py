"""What editors add to the KB from the newsroom: a name of an organisation, a role, an event.

Names go through :func:`tribune.kb.edit.add_org_name`; roles (with a new person when needed)
and events are written here, with the same field rules as the seed files
(:mod:`tribune.kb.fields`). Every row an editor adds has the origin ``editor:<user>``, which
``kb load`` never updates nor deletes (:mod:`tribune.kb.sync`); an added event also owns its
hosts (``editor_fields``), so a seed event of the same id never rewrites them. Each addition is
checked against the permissions policy, written to the audit log and bumps the site generation
(pages show organisations' names, people's roles and events).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import event_hosts, events, org_names, organizations, people, roles
from tribune.db.types import utcnow
from tribune.kb import fields as f
from tribune.kb.edit import add_org_name, insert_person, insert_role
from tribune.kb.errors import KBError
from tribune.kb.records import DATE_PRECISIONS, NAME_KINDS
from tribune.newsroom import audit
from tribune.newsroom.policy import POLICY, Action, Actor

__all__ = [
    "DATE_PRECISIONS",
    "NAME_KINDS",
    "KBError",
    "NewEvent",
    "NewRole",
    "add_alias",
    "add_event",
    "add_role",
    "person_id_for",
    "split_hosts",
]

_NOT_IDENT = re.compile(r"[^a-z0-9]+")
_HOSTS = re.compile(r"[\s,|]+")


@dataclass(frozen=True)
class NewRole:
    """A role to add: of the person *person_id*, or of a new person called *person_name*."""

    org_id: str
    title: str
    person_id: str = ""
    person_name: str = ""
    start: str = ""  # YYYY-MM-DD or empty
    end: str = ""
    notes: str = ""


@dataclass(frozen=True)
class NewEvent:
    """An event to add, as a row of events.csv would give it (hosts: organisation ids)."""

    id: str
    series: str
    name_en: str
    number: str = ""
    start: str = ""
    end: str = ""
    date_precision: str = "day"
    city: str = ""
    country: str = ""
    hosts: tuple[str, ...] = ()
    notes: str = ""


def _origin(actor: Actor) -> str:
    return f"editor:{actor.name}"


def _finish(
    conn: Connection, actor: Actor, action: str, table: str, row_id: object, after: dict[str, Any]
) -> None:
    audit.record(conn, actor, action, table, row_id, None, after)
    generation.bump(conn)


def add_alias(
    db: Database,
    actor: Actor,
    org_id: str,
    name: str,
    *,
    kind: str = "variant",
    language: str = "",
    valid_from: str = "",
    valid_to: str = "",
) -> int:
    """Add a name (a variant, an acronym or an official name) of an organisation; its id."""
    POLICY.require(actor, Action.EDIT_KB)
    org_id, name, language = org_id.strip(), " ".join(name.split()), language.strip()
    name_id = add_org_name(
        db,
        org_id,
        name,
        kind=kind.strip(),
        language=language,
        valid_from=valid_from.strip() or None,
        valid_to=valid_to.strip() or None,
        editor=actor.name,
    )
    with db.write() as conn:
        row = conn.execute(sa.select(org_names).where(org_names.c.id == name_id)).mappings().one()
        keep = ("org_id", "name", "language", "kind", "valid_from", "valid_to", "origin")
        _finish(conn, actor, "kb.name.add", "org_names", name_id, {k: row[k] for k in keep})
    return name_id


def person_id_for(name: str) -> str:
    """The id a new person called *name* gets: ``"Kemal Okuyan"`` → ``"kemal-okuyan"``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return _NOT_IDENT.sub("-", plain).strip("-")


def _check(problems: list[str], parse: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return parse(*args, **kwargs)
    except f.FieldError as exc:
        problems.append(str(exc))
        return None


def _exists(conn: Connection, column: sa.Column[Any], value: str) -> bool:
    return conn.execute(sa.select(column).where(column == value)).first() is not None


def add_role(db: Database, actor: Actor, new: NewRole) -> tuple[str, int]:
    """Add a role; with a *person_name* and no *person_id*, the person too. Returns the
    person's id and the role's id."""
    POLICY.require(actor, Action.EDIT_KB)
    problems: list[str] = []
    person_id, person_name = new.person_id.strip(), " ".join(new.person_name.split())
    org_id, title = new.org_id.strip(), " ".join(new.title.split())
    if not person_id and not person_name:
        problems.append("give the id of a person of the KB, or the name of a new person")
    elif not person_id:
        person_id = person_id_for(person_name)
        _check(problems, f.check_text, "person name", person_name, "people.name", required=True)
        if not person_id:
            problems.append(f"the name {person_name!r} gives no id: type it in Latin letters")
    _check(problems, f.parse_ident, "person id", person_id, "people.id", required=False)
    _check(problems, f.parse_ident, "organisation id", org_id, "organizations.id")
    _check(problems, f.check_text, "title", title, "roles.title", required=True)
    _check(problems, f.check_text, "notes", new.notes)
    start = _check(problems, f.parse_date, "start", new.start.strip())
    end = _check(problems, f.parse_date, "end", new.end.strip())
    if start and end and end < start:
        problems.append(f"end {end} is before start {start}")
    if problems:
        raise KBError(problems)
    origin = _origin(actor)
    with db.write() as conn:
        known = _exists(conn, people.c.id, person_id)
        if new.person_id.strip() and not known:
            problems.append(f"no person with id {person_id!r}")
        if not new.person_id.strip() and known:
            problems.append(
                f"a person with id {person_id!r} exists already: give that id to add a role"
            )
        if not _exists(conn, organizations.c.id, org_id):
            problems.append(f"no organisation with id {org_id!r}")
        same = conn.execute(
            sa.select(roles.c.id).where(
                roles.c.person_id == person_id,
                roles.c.org_id == org_id,
                roles.c.title == title,
                roles.c.start.is_(None) if start is None else roles.c.start == start,
            )
        ).first()
        if same is not None:
            problems.append(f"{person_id} already has that role in {org_id}")
        if problems:
            raise KBError(problems)
        if not known:
            insert_person(conn, person_id, person_name, origin=origin)
            _finish(conn, actor, "kb.person.add", "people", person_id, {"name": person_name})
        row = {"person_id": person_id, "org_id": org_id, "title": title, "start": start}
        row |= {"end": end, "origin": origin}
        role_id = insert_role(conn, **row, notes=new.notes)
        _finish(conn, actor, "kb.role.add", "roles", role_id, row)
    return person_id, role_id


def add_event(db: Database, actor: Actor, new: NewEvent) -> str:
    """Add an event (``imcwp-24``) with its hosts; returns its id."""
    POLICY.require(actor, Action.EDIT_KB)
    problems: list[str] = []
    event_id = new.id.strip()
    _check(problems, f.parse_ident, "id", event_id, "events.id")
    series = " ".join(new.series.split())
    _check(problems, f.check_text, "series", series, "events.series", required=True)
    number = _check(problems, f.parse_integer, "number", new.number.strip())
    name = " ".join(new.name_en.split())
    _check(problems, f.check_text, "name", name, "events.name_en", required=True)
    start = _check(problems, f.parse_date, "start", new.start.strip())
    end = _check(problems, f.parse_date, "end", new.end.strip())
    if start and end and end < start:
        problems.append(f"end {end} is before start {start}")
    _check(problems, f.parse_choice, "date precision", new.date_precision, DATE_PRECISIONS)
    city = " ".join(new.city.split())
    _check(problems, f.check_text, "city", city, "events.city")
    country = new.country.strip().upper()
    _check(problems, f.parse_country, "country", country, optional=False)
    _check(problems, f.check_text, "notes", new.notes)
    hosts: list[str] = []
    for host in new.hosts:
        if host.strip() and host.strip() not in hosts:
            hosts.append(host.strip())
    for host in hosts:
        _check(problems, f.parse_ident, "host", host, "organizations.id")
    if problems:
        raise KBError(problems)
    with db.write() as conn:
        if _exists(conn, events.c.id, event_id):
            problems.append(f"an event with id {event_id!r} exists already")
        unknown = [h for h in hosts if not _exists(conn, organizations.c.id, h)]
        problems += [f"no organisation with id {h!r}" for h in unknown]
        if problems:
            raise KBError(problems)
        now = utcnow()
        row = {
            "id": event_id,
            "series": series,
            "number": number,
            "name_en": name,
            "start": start,
            "end": end,
            "date_precision": new.date_precision,
            "city": city,
            "country": country,
            "notes": new.notes,
            "origin": _origin(actor),
            "editor_fields": ["hosts"],  # a seed event of this id never rewrites its hosts
            "created_at": now,
            "updated_at": now,
        }
        conn.execute(events.insert().values(row))
        if hosts:
            conn.execute(
                event_hosts.insert(),
                [{"event_id": event_id, "org_id": h, "position": i} for i, h in enumerate(hosts)],
            )
        keep = ("series", "number", "name_en", "start", "end", "city", "country", "origin")
        after = {k: row[k] for k in keep} | {"hosts": hosts}
        _finish(conn, actor, "kb.event.add", "events", event_id, after)
    return event_id


def split_hosts(text: str) -> tuple[str, ...]:
    """Organisation ids typed in one field, separated by spaces, commas or ``|``."""
    return tuple(h for h in _HOSTS.split(text.strip()) if h)

"""``kb load``: validate the seed files, then bring the database in line with them in one go.

Nothing is written unless every file validates (:func:`tribune.kb.records.read_kb`), and then
everything is written in one transaction, so the database never holds half a KB. Loading the same
files twice changes nothing. An editor's work survives every load (see :mod:`tribune.kb.sync`):
fields listed in ``editor_fields`` keep their values, and names an editor added or removed stay
as the editor left them. Organisations, people and events that disappear from the files are kept
(items, sources and mentions may point at them); names and roles that disappear are deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
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
from tribune.db.types import utcnow
from tribune.kb.errors import KBError
from tribune.kb.fields import limit
from tribune.kb.mapping import build_rows
from tribune.kb.records import COLUMNS, read_kb
from tribune.kb.sync import Counts, is_protected, sync_rows

__all__ = ["LoadReport", "load_kb", "packaged_kb"]

TABLES = (
    "countries",
    "organizations",
    "org_names",
    "people",
    "person_names",
    "roles",
    "events",
    "event_hosts",
)


@dataclass
class LoadReport:
    """What a load did, table by table."""

    tables: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TABLES})

    @property
    def changed(self) -> bool:
        """Whether the load wrote anything."""
        return any(c.inserted or c.updated or c.deleted for c in self.tables.values())

    def lines(self) -> list[str]:
        """One readable line per table."""
        return [
            f"{name}: {c.inserted} inserted, {c.updated} updated, {c.unchanged} unchanged, "
            f"{c.deleted} deleted"
            for name, c in self.tables.items()
        ]


def packaged_kb() -> Traversable:
    """The seed files shipped with Tribune."""
    return resources.files("tribune.data") / "kb"


def load_kb(
    db: Database, directory: Path | None = None, *, origin_label: str | None = None
) -> LoadReport:
    """Load the packaged seed files, or those in *directory*; raise :class:`KBError` if invalid.

    Rows record where they came from: ``seed:<file>`` for the packaged files,
    ``file:<absolute path>`` for a directory, or *origin_label* when given.
    """
    origins = _origins(directory, origin_label)
    if directory is not None and not Path(directory).is_dir():
        raise KBError([f"{directory}: not a directory"])
    source = packaged_kb() if directory is None else Path(directory)
    wanted = build_rows(read_kb(source), origins)
    report = LoadReport()
    try:
        with db.write() as conn:
            now = utcnow()
            counts = report.tables
            counts["countries"] = sync_rows(
                conn, countries, wanted.countries, key=("code",), now=now
            )
            locked = _editor_fields(conn, organizations)
            counts["organizations"] = sync_rows(
                conn, organizations, wanted.organizations, key=("id",), now=now
            )
            loaded_orgs = {row["id"] for row in wanted.organizations}

            def seed_name(row: Mapping[Any, Any]) -> bool:
                return row["org_id"] in loaded_orgs and row["field"] not in locked.get(
                    row["org_id"], ()
                )

            counts["org_names"] = sync_rows(
                conn,
                org_names,
                [row for row in wanted.org_names if seed_name(row)],
                key=("org_id", "field", "name", "language", "kind", "valid_from"),
                now=now,
                deletable=seed_name,
            )
            counts["people"] = sync_rows(conn, people, wanted.people, key=("id",), now=now)
            loaded_people = {row["id"] for row in wanted.people}
            counts["person_names"] = sync_rows(
                conn,
                person_names,
                wanted.person_names,
                key=("person_id", "name"),
                now=now,
                deletable=lambda row: row["person_id"] in loaded_people,
            )
            counts["roles"] = sync_rows(
                conn,
                roles,
                wanted.roles,
                key=("person_id", "org_id", "title", "start"),
                now=now,
                deletable=lambda row: True,  # roles.csv lists every role the seed has
            )
            locked_events = _editor_fields(conn, events)
            counts["events"] = sync_rows(conn, events, wanted.events, key=("id",), now=now)
            loaded_events = {
                row["id"]
                for row in wanted.events
                if "hosts" not in locked_events.get(row["id"], ())
            }
            counts["event_hosts"] = sync_rows(
                conn,
                event_hosts,
                [row for row in wanted.event_hosts if row["event_id"] in loaded_events],
                key=("event_id", "org_id"),
                now=now,
                deletable=lambda row: row["event_id"] in loaded_events,
            )
    except sa.exc.IntegrityError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise KBError([f"the database refused the load, nothing was written: {reason}"]) from exc
    return report


def _origins(directory: Path | None, label: str | None) -> dict[str, str]:
    if label is not None:
        origins = dict.fromkeys(COLUMNS, label)
    elif directory is None:
        origins = {name: f"seed:{name}" for name in COLUMNS}
    else:
        base = Path(directory).absolute()
        origins = {name: f"file:{base / name}" for name in COLUMNS}
    longest = limit("organizations.origin") or 0
    for origin in origins.values():
        if is_protected(origin) or not origin.strip():
            raise KBError([f"origin {origin!r} is not a load's: pick another origin label"])
        if len(origin) > longest:
            raise KBError(
                [f"origin {origin!r} is longer than {longest} characters: pass an origin label"]
            )
    return origins


def _editor_fields(conn: sa.Connection, table: sa.Table) -> dict[str, set[str]]:
    """The fields an editor set, per row id (only rows that have some)."""
    query = sa.select(table.c.id, table.c.editor_fields)
    return {row.id: set(row.editor_fields) for row in conn.execute(query) if row.editor_fields}

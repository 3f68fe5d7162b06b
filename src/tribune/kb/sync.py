"""Bringing one table in line with the rows the seed files ask for, without undoing editors' work.

:func:`sync_rows` reads the table once, matches each wanted row to an existing one by a key, and
then inserts, updates and deletes in bulk (one statement per kind of change), which keeps a load
of the whole Party Facts list to a few seconds on either database.

What an editor did is never undone:

* columns listed in a row's ``editor_fields`` are neither compared nor written;
* rows whose ``origin`` is an editor's or an accepted suggestion's are matched (so the seed does
  not add the same row again) but never updated or deleted; an editor removing a seed name turns
  it into such a row (``removed``), so the seed cannot bring it back.

A row whose values are unchanged keeps its ``origin``: loading an export of the same data, or the
same data from another directory, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

Row = dict[str, Any]

PROTECTED_ORIGINS = ("editor:", "suggestion:")
"""Origins of rows a load leaves alone."""


def is_protected(origin: str) -> bool:
    """Whether a row with this origin belongs to an editor rather than to a seed file."""
    return origin.startswith(PROTECTED_ORIGINS)


@dataclass
class Counts:
    """What a load did to one table."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


def sync_rows(
    conn: Connection,
    table: sa.Table,
    wanted: Sequence[Row],
    *,
    key: Sequence[str],
    now: datetime,
    deletable: Callable[[Mapping[Any, Any]], bool] = lambda row: False,
) -> Counts:
    """Insert, update and delete rows of *table* so that it holds *wanted*.

    Rows are matched on the *key* columns (several existing rows may share a key: they are taken
    in id order). Existing rows left unmatched are deleted when *deletable* says so and neither an
    editor's origin nor editor fields protect them. New rows get ``created_at`` spaced by a
    microsecond in *wanted* order, so that sorting by it gives the order of the file.
    """
    counts = Counts()
    primary = [c.name for c in table.primary_key.columns]
    existing = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
    matcher = _Matcher(list(existing), key, primary)
    inserts: list[Row] = []
    updates: list[tuple[Mapping[Any, Any], Row]] = []
    for row in wanted:
        match = matcher.take(row)
        if match is None:
            inserts.append(row)
            continue
        changes = _changes(match, row, key)
        if changes:
            updates.append((match, changes))
        else:
            counts.unchanged += 1
    doomed = [old for old in matcher.leftovers() if deletable(old) and not _locked(old)]
    _insert(conn, table, inserts, now)
    _update(conn, table, primary, updates, now)
    _delete(conn, table, primary, doomed)
    counts.inserted, counts.updated, counts.deleted = len(inserts), len(updates), len(doomed)
    return counts


def _locked(old: Mapping[Any, Any]) -> bool:
    return is_protected(str(old.get("origin") or "")) or bool(old.get("editor_fields"))


class _Matcher:
    """Finds the existing row for a wanted row, each existing row at most once."""

    def __init__(
        self, rows: list[Mapping[Any, Any]], key: Sequence[str], primary: Sequence[str]
    ) -> None:
        self.rows = rows
        self.key = key
        self.primary = primary
        self.by_key: dict[tuple[Any, ...], list[Mapping[Any, Any]]] = {}
        for old in rows:
            self.by_key.setdefault(tuple(old[c] for c in key), []).append(old)
        self.edited = [old for old in rows if set(old.get("editor_fields") or ()) & set(key)]
        self.taken: set[tuple[Any, ...]] = set()

    def _claim(self, old: Mapping[Any, Any]) -> bool:
        ident = tuple(old[c] for c in self.primary)
        if ident in self.taken:
            return False
        self.taken.add(ident)
        return True

    def take(self, row: Row) -> Mapping[Any, Any] | None:
        """The row with the same key; failing that, one whose key an editor changed.

        An editor who corrects a role's start date changes its key; the seed row still means
        that role, so it matches on the key columns the editor left alone.
        """
        for old in self.by_key.get(tuple(row[c] for c in self.key), ()):
            if self._claim(old):
                return old
        for old in self.edited:
            edited = set(old["editor_fields"]) & set(self.key)
            if all(old[c] == row[c] for c in self.key if c not in edited) and self._claim(old):
                return old
        return None

    def leftovers(self) -> list[Mapping[Any, Any]]:
        return [old for old in self.rows if tuple(old[c] for c in self.primary) not in self.taken]


def _changes(old: Mapping[Any, Any], row: Row, key: Sequence[str]) -> Row:
    """The columns of *row* that differ from *old*, leaving out what an editor owns."""
    if is_protected(str(old.get("origin") or "")):
        return {}
    locked = set(old.get("editor_fields") or ())
    changes = {
        c: v
        for c, v in row.items()
        if c not in locked and c not in key and c != "origin" and old[c] != v
    }
    if changes and "origin" in row:
        changes["origin"] = row["origin"]
    return changes


def _insert(conn: Connection, table: sa.Table, rows: list[Row], now: datetime) -> None:
    if not rows:
        return
    stamped = []
    for i, row in enumerate(rows):
        extra: Row = {}
        if "created_at" in table.c:
            extra["created_at"] = now + timedelta(microseconds=i)
        if "updated_at" in table.c:
            extra["updated_at"] = now
        if "editor_fields" in table.c:
            extra["editor_fields"] = []
        if "removed" in table.c:
            extra["removed"] = False
        stamped.append(row | extra)
    conn.execute(sa.insert(table), stamped)


def _update(
    conn: Connection,
    table: sa.Table,
    primary: list[str],
    updates: list[tuple[Mapping[Any, Any], Row]],
    now: datetime,
) -> None:
    """One executemany per set of changed columns."""
    groups: dict[tuple[str, ...], list[Row]] = {}
    for old, changes in updates:
        if "updated_at" in table.c:
            changes = changes | {"updated_at": now}
        params = {f"k_{c}": old[c] for c in primary} | {f"v_{c}": v for c, v in changes.items()}
        groups.setdefault(tuple(sorted(changes)), []).append(params)
    for columns, batch in groups.items():
        stmt = (
            sa.update(table)
            .where(*(table.c[c] == sa.bindparam(f"k_{c}", type_=table.c[c].type) for c in primary))
            .values({c: sa.bindparam(f"v_{c}", type_=table.c[c].type) for c in columns})
        )
        conn.execute(stmt, batch)


def _delete(
    conn: Connection, table: sa.Table, primary: list[str], rows: list[Mapping[Any, Any]]
) -> None:
    if not rows:
        return
    stmt = sa.delete(table).where(
        *(table.c[c] == sa.bindparam(f"k_{c}", type_=table.c[c].type) for c in primary)
    )
    conn.execute(stmt, [{f"k_{c}": old[c] for c in primary} for old in rows])

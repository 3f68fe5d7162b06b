"""The roles stage: the role statements of each item, stored in ``role_claims`` (machine layer).

A run reads items in batches, links their headline and text with the entity linker (on the
item's date, with its publisher as the source organisation, as ingest links them), finds the
role statements (:func:`tribune.understand.roles.find_roles`) and rewrites, per batch and in
one transaction, the stage's own rows for those items: their ``role_claims`` and their
``item_stages`` state (``roles`` at :data:`VERSION`). Each claim keeps its sentence and the
item's date (the day it was published, in the publisher's own offset; else the day it was
gathered).

A claim's ``key`` is derived from what it says (the item, the name as written, the organisation
and the title), not from the run, so an editor's answer, kept in ``decisions`` under that key,
still applies to the claim a re-run writes again (:mod:`tribune.newsroom.roles`). The stage never
writes ``roles`` or ``decisions``, so a run is idempotent, and a run killed at any moment leaves
whole batches behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.tables import (
    items,
    mentions,
    people,
    person_names,
    role_claims,
    sources,
)
from tribune.understand import stage_state
from tribune.understand.link import Linker, LinkInputError, get_linker
from tribune.understand.mention import LINKER_VERSION, Mention
from tribune.understand.roles import VERSION, RoleStatement, find_roles
from tribune.understand.titles import fold

STAGE = "roles"
BATCH = 100


def claim_key(item_public_id: str, statement: RoleStatement) -> str:
    """The stable id of a claim: the same statement in the same item has the same key."""
    said = "\n".join(
        (item_public_id, fold(statement.person_name), statement.org_id, statement.title)
    )
    return hashlib.sha256(said.encode()).hexdigest()[:32]


def item_day(row: Any) -> date:
    """The item's date: published (in the publisher's offset, when known), else gathered."""
    when: datetime | None = row.published_at
    if when is None:
        return row.fetched_at.date()  # type: ignore[no-any-return]
    if row.published_offset is not None:
        when = when + timedelta(minutes=int(row.published_offset))
    return when.date()


def _initial_and_surname(name: str) -> tuple[str, str] | None:
    words = fold(name).replace(".", ". ").split()
    return (words[0][0], words[-1]) if len(words) >= 2 else None


def people_by_surname(conn: Connection) -> dict[tuple[str, str], set[str]]:
    """The KB's people by (first initial, surname) of their names and aliases, folded."""
    out: dict[tuple[str, str], set[str]] = {}
    names = sa.union_all(
        sa.select(people.c.id, people.c.name),
        sa.select(person_names.c.person_id, person_names.c.name).where(
            person_names.c.removed.is_(False)
        ),
    )
    for person_id, name in conn.execute(names):
        key = _initial_and_surname(name)
        if key is not None:
            out.setdefault(key, set()).add(person_id)
    return out


def _identified(statement: RoleStatement, known: dict[tuple[str, str], set[str]]) -> RoleStatement:
    """A name the linker did not know, given the KB person with the same surname and first
    initial, when only one has them: "Г.А. Зюганов" is Геннадий Зюганов, "D. Raja" is D. Raja.
    The name as written stays (the claim's key is made of it)."""
    if statement.person_id is not None:
        return statement
    key = _initial_and_surname(statement.person_name)
    found = known.get(key, set()) if key is not None else set()
    if len(found) != 1:
        return statement
    return replace(statement, person_id=next(iter(found)))


def _stored(conn: Connection, batch: list[int]) -> dict[tuple[int, str], list[Mention]]:
    """The mentions the pipeline stored for the items' titles and texts, by (item, field):
    the linker's own output on the same texts, so it need not run twice. Their ambiguous
    candidates are not read: roles use the resolved entity only."""
    out: dict[tuple[int, str], list[Mention]] = {}
    m = mentions.c
    rows = conn.execute(
        sa.select(m.item_id, m.field, m.start, m.end, m.surface, m.type, m.entity_id, m.confidence)
        .where(m.item_id.in_(batch), m.field.in_(("title", "body")), m.version == LINKER_VERSION)
        .order_by(m.item_id, m.field, m.start)
    )
    for r in rows:
        out.setdefault((int(r.item_id), r.field), []).append(
            Mention(r.start, r.end, r.surface, r.type, r.entity_id, float(r.confidence))
        )
    return out


def _statements(
    linker: Linker, row: Any, stored: dict[tuple[int, str], list[Mention]]
) -> list[tuple[str, RoleStatement]]:
    """The item's role statements, from its stored mentions; an item stored without them
    (added by hand, or linked by an older linker) is linked here."""
    day = item_day(row)
    source = row.org_id if row.org_id in linker.lexicon.orgs else None
    linked = (row.id, "title") in stored or (row.id, "body") in stored
    out = []
    for field, text in (("title", row.title or ""), ("body", row.body_text or "")):
        found = stored.get((row.id, field), [])
        # an edited headline no longer fits the mentions found in the gathered one
        if not linked or any(text[m.start : m.end] != m.surface for m in found):
            try:
                found = linker.link(text, date=day, source_org=source)
            except LinkInputError:
                continue  # empty, or longer than the linker takes
        out += [(field, s) for s in find_roles(text, found)]
    return out


def _write(conn: Connection, linker: Linker, batch: list[int]) -> int:
    rows = conn.execute(
        sa.select(
            items.c.id,
            items.c.public_id,
            items.c.title,
            items.c.body_text,
            items.c.published_at,
            items.c.published_offset,
            items.c.fetched_at,
            sources.c.org_id,
        )
        .select_from(items.outerjoin(sources, sources.c.id == items.c.source_id))
        .where(items.c.id.in_(batch))
    ).all()
    claims: dict[str, dict[str, Any]] = {}
    known = people_by_surname(conn)
    stored = _stored(conn, batch)
    for row in rows:
        for field, said in _statements(linker, row, stored):
            statement = _identified(said, known)
            key = claim_key(row.public_id, statement)
            if key in claims:
                continue  # said in the headline and again in the text
            claims[key] = {
                "key": key,
                "item_id": row.id,
                "person_id": statement.person_id,
                "person_name": statement.person_name[:300],
                "org_id": statement.org_id,
                "org_surface": statement.org_surface[:400],
                "title": statement.title,
                "title_surface": statement.title_surface[:200],
                "field": field,
                "evidence": statement.evidence,
                "claimed_on": item_day(row),
                "confidence": statement.confidence,
                "version": VERSION,
            }
    conn.execute(sa.delete(role_claims).where(role_claims.c.item_id.in_(batch)))
    if claims:
        conn.execute(sa.insert(role_claims), list(claims.values()))
    stage_state.record(conn, STAGE, VERSION, [r.id for r in rows])
    return len(claims)


def run(
    db: Database,
    *,
    since: datetime | None = None,
    pending: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Find the role statements of the items (all, or those gathered *since*; only the
    *pending* ones); returns (items read, claims stored). *progress* is called with (done,
    total) after each batch."""
    with db.read() as conn:
        ids = [
            int(i)
            for i in conn.execute(
                stage_state.candidates(STAGE, VERSION, since=since, pending=pending)
            ).scalars()
        ]
    if not ids:
        return 0, 0
    linker = get_linker(db)
    found = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with db.write() as conn:
            found += _write(conn, linker, batch)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids), found

"""Editors' decisions on what an item is linked to: confirm, remove or add an entity.

The linker's ``mentions`` are machine output that a re-run rewrites; an editor's word lives in
``decisions`` (DESIGN §3), one row per decision, never overwritten, so the table is also the
history. The subject of a decision is ``("mention", "<item public id>:<type>:<entity id>")`` and
the newest decision on a subject is the one that counts:

* ``confirm``: the entity stays linked, even if a later linker no longer finds it;
* ``remove``: the entity is not linked, even if the linker finds it again;
* ``add``: the entity is linked although the linker did not find it.

Readers see the result through :func:`effective_links` (an item's links) and :func:`mentioning`
(the items linked to one entity, for listing filters). Every decision writes the audit log and,
for an item readers can see, bumps the site generation, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import (
    countries,
    decisions,
    events,
    items,
    mentions,
    org_redirects,
    organizations,
    people,
)
from tribune.db.types import new_public_id, utcnow
from tribune.newsroom import audit
from tribune.newsroom.items import EditError, ItemNotFound
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.reading.links import (
    SUBJECT,
    latest_decisions,
    split_subject,
    subject_id,
)

TYPES = ("org", "person", "event", "country")
ACTIONS = ("confirm", "remove", "add")
_SEEN_BY_READERS = frozenset({"published", "withdrawn"})


@dataclass(frozen=True)
class EntityLink:
    """One entity an item is (or was) linked to, as the newsroom shows it.

    ``state`` is ``suggested`` (the linker's, no decision yet), ``confirmed``, ``added`` or
    ``removed``; ``confidence`` and ``surface`` are the linker's best, None and "" for an entity
    only an editor linked.
    """

    type: str
    entity_id: str
    label: str
    state: str
    confidence: float | None = None
    surface: str = ""
    decided_by: str | None = None
    decided_at: datetime | None = None

    @property
    def linked(self) -> bool:
        return self.state != "removed"


@dataclass(frozen=True)
class Decided:
    """What :func:`decide` did: the state before and after (equal when nothing changed)."""

    subject_id: str
    before: str | None
    after: str


_STATE = {"confirm": "confirmed", "remove": "removed", "add": "added"}


def labels(conn: Connection, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """A readable name for each ``(type, id)`` the KB knows (unknown ones are left out)."""
    by_type: dict[str, set[str]] = {}
    for type_, entity_id in wanted:
        by_type.setdefault(type_, set()).add(entity_id)
    out: dict[tuple[str, str], str] = {}
    for type_, ids in by_type.items():
        key, name = _NAME_COLUMNS.get(type_, (None, None))
        if key is None or name is None:
            continue
        for k, v in conn.execute(sa.select(key, name).where(key.in_(sorted(ids)))):
            out[(type_, str(k))] = str(v)
    return out


_NAME_COLUMNS: dict[str, tuple[sa.Column[Any], sa.Column[Any]]] = {
    "org": (organizations.c.id, organizations.c.name_en),
    "person": (people.c.id, people.c.name),
    "event": (events.c.id, events.c.name_en),
    "country": (countries.c.code, countries.c.name_en),
}


def entity_panel(conn: Connection, public_id: str) -> list[EntityLink] | None:
    """Everything the item is or was linked to, for the newsroom; None if there is no item.

    Linked entities come first (the linker's suggestions in order of first mention, then the
    editors' additions), removed ones last.
    """
    item_id = conn.execute(sa.select(items.c.id).where(items.c.public_id == public_id)).scalar()
    if item_id is None:
        return None
    latest = latest_decisions(conn, [public_id])
    machine: dict[tuple[str, str], tuple[float, str]] = {}
    for type_, entity_id, surface, confidence in conn.execute(
        sa.select(mentions.c.type, mentions.c.entity_id, mentions.c.surface, mentions.c.confidence)
        .where(mentions.c.item_id == item_id, mentions.c.entity_id.is_not(None))
        .order_by(mentions.c.field.desc(), mentions.c.start)
    ):
        old = machine.get((type_, entity_id))
        if old is None or confidence > old[0]:
            machine[(type_, entity_id)] = (float(confidence), surface)
    keys = list(machine)
    for decided in sorted(latest.values(), key=lambda r: r.id):
        _, type_, entity_id = split_subject(decided.subject_id)
        if (type_, entity_id) not in machine:
            keys.append((type_, entity_id))
    names = labels(conn, keys)
    found = []
    for key in keys:
        decided = latest.get(subject_id(public_id, *key))
        confidence, surface = machine.get(key, (None, ""))
        found.append(
            EntityLink(
                type=key[0],
                entity_id=key[1],
                label=names.get(key, key[1]),
                state=_STATE[decided.action] if decided is not None else "suggested",
                confidence=confidence,
                surface=surface,
                decided_by=decided.user_name if decided is not None else None,
                decided_at=decided.created_at if decided is not None else None,
            )
        )
    return sorted(found, key=lambda link: not link.linked)  # stable: order kept otherwise


# -- deciding ------------------------------------------------------------------------------------


def resolve_entity(conn: Connection, type_: str, entity_id: str) -> str:
    """The KB id of the entity *type_* / *entity_id* (a merged organisation's new id, a country
    code in capitals); :class:`EditError` if the KB has no such entity."""
    entity_id = entity_id.strip()
    if type_ not in TYPES:
        raise EditError(f"unknown entity type {type_!r} (types: {', '.join(TYPES)})")
    if not entity_id:
        raise EditError("give the id of the entity")
    if type_ == "country":
        entity_id = entity_id.upper()
    if type_ == "org":
        entity_id = (
            conn.execute(
                sa.select(org_redirects.c.new_id).where(org_redirects.c.old_id == entity_id)
            ).scalar()
            or entity_id
        )
    key, _name = _NAME_COLUMNS[type_]
    if conn.execute(sa.select(key).where(key == entity_id)).first() is None:
        what = {"org": "organisation", "person": "person", "event": "event", "country": "country"}
        raise EditError(f"the KB has no {what[type_]} with id {entity_id!r}")
    return entity_id


def decide(
    db: Database, actor: Actor, public_id: str, type_: str, entity_id: str, action: str
) -> Decided:
    """Confirm, remove or add the link of an item to an entity, as *actor*.

    Confirming or removing needs a linked entity (the linker's or an editor's; a removed one may
    be confirmed again); adding needs an entity of the KB. Repeating the decision that already
    counts writes nothing.
    """
    POLICY.require(actor, Action.EDIT_ITEMS)
    if action not in ACTIONS:
        raise EditError(f"unknown decision {action!r} (decisions: {', '.join(ACTIONS)})")
    if type_ not in TYPES:
        raise EditError(f"unknown entity type {type_!r} (types: {', '.join(TYPES)})")
    with db.write() as conn:
        item = conn.execute(
            sa.select(items.c.id, items.c.status)
            .where(items.c.public_id == public_id)
            .with_for_update()
        ).first()
        if item is None:
            raise ItemNotFound(f"no item {public_id!r}")
        if action == "add":
            entity_id = resolve_entity(conn, type_, entity_id)
        subject = subject_id(public_id, type_, entity_id.strip())
        before = _state_of(conn, item.id, subject)
        after = _STATE[action]
        if before is None and action != "add":
            raise EditError(f"the item is not linked to {type_} {entity_id!r}")
        if before in ("suggested", "confirmed", "added") and action == "add":
            raise EditError(f"the item is linked to {type_} {entity_id!r} already")
        if before == after:
            return Decided(subject, before, after)
        now = utcnow()
        payload = {"item": public_id, "type": type_, "id": subject.split(":", 2)[2]}
        conn.execute(
            decisions.insert().values(
                public_id=new_public_id(),
                subject_type=SUBJECT,
                subject_id=subject,
                action=action,
                payload=payload,
                user_id=actor.user_id,
                created_at=now,
            )
        )
        audit.record(
            conn,
            actor,
            f"mention.{action}",
            "decisions",
            subject,
            {"state": before},
            {"state": after, **payload},
        )
        if item.status in _SEEN_BY_READERS:
            generation.bump(conn)
        return Decided(subject, before, after)


def _state_of(conn: Connection, item_id: int, subject: str) -> str | None:
    """suggested, confirmed, added, removed, or None for an entity never linked to the item."""
    newest = conn.execute(
        sa.select(decisions.c.action)
        .where(decisions.c.subject_type == SUBJECT, decisions.c.subject_id == subject)
        .order_by(decisions.c.id.desc())
        .limit(1)
    ).scalar()
    if newest is not None:
        return _STATE[newest]
    _, type_, entity_id = split_subject(subject)
    found = conn.execute(
        sa.select(mentions.c.id).where(
            mentions.c.item_id == item_id,
            mentions.c.type == type_,
            mentions.c.entity_id == entity_id,
        )
    ).first()
    return "suggested" if found is not None else None

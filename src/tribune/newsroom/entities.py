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

from collections.abc import Iterable, Sequence
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
    users,
)
from tribune.db.types import new_public_id, utcnow
from tribune.newsroom import audit
from tribune.newsroom.items import EditError, ItemNotFound
from tribune.newsroom.policy import POLICY, Action, Actor

TYPES = ("org", "person", "event", "country")
ACTIONS = ("confirm", "remove", "add")
SUBJECT = "mention"
_SEEN_BY_READERS = frozenset({"published", "withdrawn"})
_LINKED = ("confirm", "add")


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


def subject_id(public_id: str, type_: str, entity_id: str) -> str:
    return f"{public_id}:{type_}:{entity_id}"


def _split(subject: str) -> tuple[str, str, str]:
    public_id, type_, entity_id = subject.split(":", 2)
    return public_id, type_, entity_id


_STATE = {"confirm": "confirmed", "remove": "removed", "add": "added"}


# -- reading -------------------------------------------------------------------------------------


def _latest(conn: Connection, public_ids: Sequence[str]) -> dict[str, Any]:
    """The newest decision on each mention subject of the items *public_ids*, by subject."""
    if not public_ids:
        return {}
    prefixes = [decisions.c.subject_id.startswith(f"{p}:", autoescape=True) for p in public_ids]
    rows = conn.execute(
        sa.select(
            decisions.c.id,
            decisions.c.subject_id,
            decisions.c.action,
            decisions.c.created_at,
            users.c.name.label("user_name"),
        )
        .select_from(decisions.outerjoin(users, users.c.id == decisions.c.user_id))
        .where(decisions.c.subject_type == SUBJECT, sa.or_(*prefixes))
        .order_by(decisions.c.id)
    ).all()
    return {r.subject_id: r for r in rows}  # later rows overwrite earlier ones


def effective_links(conn: Connection, item_ids: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
    """Each item's linked entities as ``(type, entity id)``, once each, decisions applied.

    The linker's entities come first, in order of first mention (headline, then lead, then
    body), less those an editor removed; then those an editor added or confirmed that the
    linker did not find, in the order of the decisions.
    """
    ids = sorted(set(item_ids))
    if not ids:
        return {}
    public = dict(
        conn.execute(sa.select(items.c.id, items.c.public_id).where(items.c.id.in_(ids))).all()
    )
    latest = _latest(conn, list(public.values()))
    out: dict[int, list[tuple[str, str]]] = {i: [] for i in public}
    rows = conn.execute(
        sa.select(mentions.c.item_id, mentions.c.type, mentions.c.entity_id)
        .where(mentions.c.item_id.in_(ids), mentions.c.entity_id.is_not(None))
        .order_by(mentions.c.item_id, mentions.c.field.desc(), mentions.c.start)
    ).all()
    for item_id, type_, entity_id in rows:
        decided = latest.get(subject_id(public[item_id], type_, entity_id))
        if decided is not None and decided.action == "remove":
            continue
        if (type_, entity_id) not in out[item_id]:
            out[item_id].append((type_, entity_id))
    by_public = {p: i for i, p in public.items()}
    for decided in sorted(latest.values(), key=lambda r: r.id):
        if decided.action not in _LINKED:
            continue
        public_id, type_, entity_id = _split(decided.subject_id)
        item_id = by_public[public_id]
        if (type_, entity_id) not in out[item_id]:
            out[item_id].append((type_, entity_id))
    return out


def mentioning(type_: str, entity_id: str) -> sa.CompoundSelect[tuple[int]]:
    """The ids of the items linked to one entity, decisions applied: a subquery for filters.

    ``items.c.id.in_(mentioning("org", "gr-kke"))`` keeps the items the linker linked to the
    organisation unless an editor removed the link, and those an editor linked.
    """
    suffix = f":{type_}:{entity_id}"
    newest = (
        sa.select(sa.func.max(decisions.c.id))
        .where(
            decisions.c.subject_type == SUBJECT,
            decisions.c.subject_id.endswith(suffix, autoescape=True),
        )
        .group_by(decisions.c.subject_id)
    )

    def subjects(*wanted: str) -> sa.Select[tuple[str]]:
        return sa.select(decisions.c.subject_id).where(
            decisions.c.id.in_(newest), decisions.c.action.in_(wanted)
        )

    machine = (
        sa.select(mentions.c.item_id)
        .join(items, items.c.id == mentions.c.item_id)
        .where(
            mentions.c.type == type_,
            mentions.c.entity_id == entity_id,
            items.c.public_id.concat(suffix).not_in(subjects("remove")),
        )
    )
    decided = sa.select(items.c.id).where(items.c.public_id.concat(suffix).in_(subjects(*_LINKED)))
    return sa.union(machine, decided)


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
    latest = _latest(conn, [public_id])
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
        _, type_, entity_id = _split(decided.subject_id)
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
    _, type_, entity_id = _split(subject)
    found = conn.execute(
        sa.select(mentions.c.id).where(
            mentions.c.item_id == item_id,
            mentions.c.type == type_,
            mentions.c.entity_id == entity_id,
        )
    ).first()
    return "suggested" if found is not None else None

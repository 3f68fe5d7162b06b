"""Which entities an item is linked to, with editors' decisions applied.

The linker's ``mentions`` are machine output; an editor's confirm, remove or add lives in
``decisions`` (subject ``("mention", "<item public id>:<type>:<entity id>")``, the newest
decision counting). :func:`effective_links` gives an item's links, :func:`mentioning` the
items linked to one entity (for listing filters). :mod:`tribune.newsroom.entities` writes the
decisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import decisions, items, mentions, users

SUBJECT = "mention"
LINKED = ("confirm", "add")


def subject_id(public_id: str, type_: str, entity_id: str) -> str:
    return f"{public_id}:{type_}:{entity_id}"


def split_subject(subject: str) -> tuple[str, str, str]:
    public_id, type_, entity_id = subject.split(":", 2)
    return public_id, type_, entity_id


def latest_decisions(conn: Connection, public_ids: Sequence[str]) -> dict[str, Any]:
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
    latest = latest_decisions(conn, list(public.values()))
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
        if decided.action not in LINKED:
            continue
        public_id, type_, entity_id = split_subject(decided.subject_id)
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
    # the items by their public id (the subject without its suffix), looked up by key
    linked = sa.select(
        sa.func.substr(
            decisions.c.subject_id, 1, sa.func.length(decisions.c.subject_id) - len(suffix)
        )
    ).where(decisions.c.id.in_(newest), decisions.c.action.in_(LINKED))
    decided = sa.select(items.c.id).where(items.c.public_id.in_(linked))
    return sa.union(machine, decided)

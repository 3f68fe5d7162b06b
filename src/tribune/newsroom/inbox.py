"""What the newsroom lists: gathered items by status, each with the machine's suggestions
(linked entities, and the kind the kinds stage guessed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import item_revisions, items, mentions, sources
from tribune.newsroom.kinds import KindSuggestion, suggested_kinds
from tribune.reading.orgs import OrgLabel, org_labels

STATUSES = ("inbox", "published", "rejected", "duplicate", "withdrawn")


@dataclass(frozen=True)
class Suggestion:
    """A linked entity: its type, id (None for an abstention), surface and confidence."""

    type: str
    entity_id: str | None
    surface: str
    confidence: float


@dataclass(frozen=True)
class InboxRow:
    id: int
    public_id: str
    title: str
    lead: str
    url: str
    language: str
    status: str
    kind: str | None
    featured: bool
    published_at: datetime | None
    fetched_at: datetime
    publisher: OrgLabel | None
    duplicate_of: str | None  # public id of the original
    revisions: int
    suggestions: list[Suggestion] = field(default_factory=list)
    kind_suggestion: KindSuggestion | None = None


def listing(
    conn: Connection,
    status: str | None = "inbox",
    *,
    limit: int = 50,
    offset: int = 0,
    public_id: str | None = None,
) -> list[InboxRow]:
    """Items of *status*, newest gathered first, with their suggestions."""
    original = items.alias("original")
    revisions = (
        sa.select(sa.func.count()).where(item_revisions.c.item_id == items.c.id).scalar_subquery()
    )
    rows = conn.execute(
        sa.select(
            items.c.id,
            items.c.public_id,
            items.c.title,
            items.c.lead,
            items.c.url,
            items.c.language,
            items.c.status,
            items.c.kind,
            items.c.featured,
            items.c.published_at,
            items.c.fetched_at,
            sources.c.org_id,
            original.c.public_id.label("duplicate_of"),
            revisions.label("revisions"),
        )
        .select_from(
            items.outerjoin(sources, sources.c.id == items.c.source_id).outerjoin(
                original, original.c.id == items.c.duplicate_of
            )
        )
        .where(items.c.status == status if status else sa.true())
        .where(items.c.public_id == public_id if public_id else sa.true())
        .order_by(items.c.fetched_at.desc(), items.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    labels = org_labels(conn, {r.org_id for r in rows if r.org_id})
    found = _suggestions(conn, [r.id for r in rows])
    kinds = suggested_kinds(conn, [r.id for r in rows])
    return [
        InboxRow(
            r.id,
            r.public_id,
            r.title,
            r.lead,
            r.url,
            r.language,
            r.status,
            r.kind,
            bool(r.featured),
            r.published_at,
            r.fetched_at,
            labels.get(r.org_id) if r.org_id else None,
            r.duplicate_of,
            int(r.revisions or 0),
            found.get(r.id, []),
            kinds.get(r.id),
        )
        for r in rows
    ]


def row_by_public_id(conn: Connection, public_id: str) -> InboxRow | None:
    found = listing(conn, None, limit=1, public_id=public_id)
    return found[0] if found else None


def _suggestions(conn: Connection, ids: list[int]) -> dict[int, list[Suggestion]]:
    """Each item's linked entities, once per entity, with the best confidence seen."""
    if not ids:
        return {}
    best: dict[int, dict[tuple[str, str | None, str], Suggestion]] = {}
    for r in conn.execute(
        sa.select(
            mentions.c.item_id,
            mentions.c.type,
            mentions.c.entity_id,
            mentions.c.surface,
            mentions.c.confidence,
        )
        .where(mentions.c.item_id.in_(ids))
        .order_by(mentions.c.item_id, mentions.c.field.desc(), mentions.c.start)
    ):
        key = (r.type, r.entity_id, r.surface if r.entity_id is None else "")
        bucket = best.setdefault(r.item_id, {})
        old = bucket.get(key)
        if old is None or r.confidence > old.confidence:
            bucket[key] = Suggestion(r.type, r.entity_id, r.surface, float(r.confidence))
    return {item_id: list(found.values()) for item_id, found in best.items()}

"""What is stored: items with the fields of DESIGN §6, one item whole with its history."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import decisions, item_revisions, items, mentions, sources

ITEM_FIELDS = (
    "id",
    "url",
    "canonical_url",
    "title",
    "language",
    "published_at",
    "status",
    "kind",
    "duplicate_of",
    "revision_count",
    "org_ids",
    "source_id",
)


def list_items(
    db: Database,
    *,
    source: str | None = None,
    org: str | None = None,
    status: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Every item matching the filters (duplicates included), oldest first."""
    original = items.alias("original")
    revisions = (
        sa.select(item_revisions.c.item_id, sa.func.count().label("n"))
        .group_by(item_revisions.c.item_id)
        .subquery()
    )
    query = (
        sa.select(
            items,
            sources.c.public_id.label("source_public_id"),
            original.c.public_id.label("original_public_id"),
            sa.func.coalesce(revisions.c.n, 0).label("revision_count"),
        )
        .outerjoin(sources, sources.c.id == items.c.source_id)
        .outerjoin(original, original.c.id == items.c.duplicate_of)
        .outerjoin(revisions, revisions.c.item_id == items.c.id)
        .order_by(items.c.id)
    )
    if source:
        query = query.where(sources.c.public_id == source)
    if status:
        query = query.where(items.c.status == status)
    if since:
        query = query.where(
            sa.func.coalesce(items.c.published_at, items.c.fetched_at)
            >= datetime.combine(since, time.min).astimezone()
        )
    with db.read() as conn:
        rows = conn.execute(query).mappings().all()
        orgs = _org_ids(conn, [r["id"] for r in rows])
    out = []
    for r in rows:
        linked = orgs.get(r["id"], [])
        if org and org not in linked:
            continue
        out.append(
            {
                "id": r["public_id"],
                "url": r["url"],
                "canonical_url": r["canonical_url"],
                "title": r["title"],
                "language": r["language"],
                "published_at": r["published_at"].isoformat() if r["published_at"] else None,
                "status": r["status"],
                "kind": r["kind"],
                "duplicate_of": r["original_public_id"],
                "revision_count": r["revision_count"],
                "org_ids": linked,
                "source_id": r["source_public_id"],
            }
        )
        if limit is not None and len(out) >= limit:
            break
    return out


def show_item(db: Database, public_id: str) -> dict[str, Any] | None:
    """One item with its revisions, mentions and decisions."""
    with db.read() as conn:
        row = conn.execute(sa.select(items.c.id).where(items.c.public_id == public_id)).first()
        if row is None:
            return None
        item_id = int(row[0])
        revs = (
            conn.execute(
                sa.select(
                    item_revisions.c.content_hash,
                    item_revisions.c.title,
                    item_revisions.c.fetched_at,
                )
                .where(item_revisions.c.item_id == item_id)
                .order_by(item_revisions.c.id)
            )
            .mappings()
            .all()
        )
        found = (
            conn.execute(
                sa.select(mentions).where(mentions.c.item_id == item_id).order_by(mentions.c.id)
            )
            .mappings()
            .all()
        )
        made = (
            conn.execute(
                sa.select(decisions)
                .where(
                    sa.or_(
                        decisions.c.subject_id == public_id,
                        decisions.c.subject_id.startswith(f"{public_id}:", autoescape=True),
                    )
                )
                .order_by(decisions.c.id)
            )
            .mappings()
            .all()
        )
    (listed,) = [i for i in list_items(db) if i["id"] == public_id]
    listed["revisions"] = [
        {
            "content_hash": r["content_hash"],
            "title": r["title"],
            "fetched_at": r["fetched_at"].isoformat(),
        }
        for r in revs
    ]
    listed["mentions"] = [
        {
            "field": m["field"],
            "start": m["start"],
            "end": m["end"],
            "surface": m["surface"],
            "type": m["type"],
            "id": m["entity_id"],
            "confidence": m["confidence"],
        }
        for m in found
    ]
    listed["decisions"] = [
        {"subject": d["subject_id"], "action": d["action"], "payload": d["payload"]} for d in made
    ]
    return listed


def _org_ids(conn: sa.Connection, item_ids: list[int]) -> dict[int, list[str]]:
    if not item_ids:
        return {}
    rows = conn.execute(
        sa.select(mentions.c.item_id, mentions.c.entity_id)
        .where(mentions.c.type == "org", mentions.c.entity_id.is_not(None))
        .where(mentions.c.item_id.in_(item_ids))
        .distinct()
    ).all()
    out: dict[int, list[str]] = {}
    for item_id, entity in rows:
        out.setdefault(item_id, []).append(entity)
    return {k: sorted(v) for k, v in out.items()}

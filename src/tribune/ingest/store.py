"""Storing gathered items: identity, near duplicates, revisions and mentions, in one transaction.

An item is known by its canonical URL or its feed GUID (within its source); a known item whose
text changed gets a new ``item_revisions`` row instead of a second item. A new item whose text
is a near duplicate of a stored one becomes ``duplicate`` of it (both URLs are kept). The
mentions the linker finds in its title and body are stored with the linker's version, and the
item's stage state records which stages ran.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import item_revisions, item_stages, items, mentions, organizations, sources
from tribune.db.types import new_public_id, utcnow
from tribune.ingest import dedupe
from tribune.ingest.feeds import Published
from tribune.ingest.schedule import next_refetch
from tribune.understand.mention import LINKER_VERSION, Mention


@dataclass(frozen=True)
class Gathered:
    """What the gathering stages made of one entry, ready to store."""

    source_id: int
    url: str
    canonical_url: str
    guid: str | None
    title: str
    lead: str
    body_html: str
    body_text: str
    language: str
    published: Published | None
    refetch: bool = False  # the text came from the page: fetch it again on a decaying schedule
    page_etag: str | None = None
    page_last_modified: str | None = None
    signature: bytes | None = None  # dedupe.item_minhash of title and text, when made already


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


# The statements run for every entry, built once: building a statement (its clauses and its
# cache key) cost more than running it.
_BY_URL = sa.select(items.c.id).where(items.c.canonical_url == sa.bindparam("canonical")).limit(1)
_BY_URL_OR_GUID = (
    sa.select(items.c.id)
    .where(
        sa.or_(
            items.c.canonical_url == sa.bindparam("canonical"),
            sa.and_(
                items.c.source_id == sa.bindparam("source"), items.c.guid == sa.bindparam("guid")
            ),
        )
    )
    .limit(1)
)
_INSERT_ITEM = sa.insert(items)
_INSERT_REVISION = sa.insert(item_revisions)
_INSERT_MENTIONS = sa.insert(mentions)
_INSERT_STAGE = sa.insert(item_stages)


def known_item(conn: Connection, source_id: int, canonical: str, guid: str | None) -> int | None:
    """The id of the item stored under this canonical URL, or this GUID in this source."""
    if guid:
        query, params = _BY_URL_OR_GUID, {"canonical": canonical, "source": source_id, "guid": guid}
    else:
        query, params = _BY_URL, {"canonical": canonical}
    row = conn.execute(query, params).first()
    return int(row[0]) if row else None


def store(
    conn: Connection,
    g: Gathered,
    found: dict[str, list[Mention]],
    *,
    now: datetime | None = None,
) -> tuple[int, str]:
    """Store a gathered entry; returns (item id, what happened: new, duplicate, revised,
    unchanged)."""
    now = now or utcnow()
    digest = content_hash(g.title, g.body_text)
    existing = known_item(conn, g.source_id, g.canonical_url, g.guid)
    if existing is not None:
        return existing, _revise(conn, existing, g, found, digest, now)
    signature = (
        dedupe.item_minhash(g.title, g.body_text)
        if g.signature is None
        else np.frombuffer(g.signature, dtype=np.uint32)
    )
    match = next(iter(dedupe.near_duplicates(conn, signature)), None)
    original = match[0] if match else None
    published = g.published
    if original is not None and _outranks(conn, g, original):
        original = None  # this copy is the original: the stored one becomes its duplicate
        demoted = match[0] if match else None
    else:
        demoted = None
    item_id = conn.execute(
        _INSERT_ITEM,
        {
            "public_id": new_public_id(),
            "source_id": g.source_id,
            "url": g.url,
            "canonical_url": g.canonical_url,
            "guid": g.guid,
            "title": g.title,
            "lead": g.lead,
            "body_html": g.body_html,
            "body_text": g.body_text,
            "language": g.language,
            "published_at": published.at if published else None,
            "published_offset": published.offset if published else None,
            "published_precision": published.precision if published else None,
            "fetched_at": now,
            "content_hash": digest,
            "status": "duplicate" if original else "inbox",
            "duplicate_of": original,
            "refetch_count": 0,
            "next_refetch_at": next_refetch(now, 0) if g.refetch else None,
            "page_etag": g.page_etag,
            "page_last_modified": g.page_last_modified,
        },
    ).inserted_primary_key
    assert item_id is not None
    new_id = int(item_id[0])
    _add_revision(conn, new_id, g, digest, now)
    dedupe.record(conn, new_id, signature)
    _store_mentions(conn, new_id, found, now)
    if demoted is not None:
        conn.execute(
            sa.update(items)
            .where(sa.or_(items.c.id == demoted, items.c.duplicate_of == demoted))
            .values(status="duplicate", duplicate_of=new_id)
        )
    return new_id, "duplicate" if original else "new"


_OWN_SITE_KINDS = ("party", "youth", "union", "front")


def _copy_rank(kind: str | None, org_id: str | None, when: datetime | None) -> tuple[int, datetime]:
    """Lower is more original: a copy on an organisation's own site before a portal's copy,
    then the earliest published."""
    own = kind in _OWN_SITE_KINDS and not (org_id or "").startswith("int-")
    return (0 if own else 1, when or datetime.max.replace(tzinfo=UTC))


def _outranks(conn: Connection, g: Gathered, stored_id: int) -> bool:
    """Whether the new copy ``g`` is the original rather than the stored item.

    A source without an organisation (a portal) is never an organisation's own site."""
    mine = conn.execute(
        sa.select(organizations.c.id, organizations.c.kind)
        .select_from(sources)
        .outerjoin(organizations, organizations.c.id == sources.c.org_id)
        .where(sources.c.id == g.source_id)
    ).first()
    theirs = conn.execute(
        sa.select(
            organizations.c.id, organizations.c.kind, items.c.published_at, items.c.fetched_at
        )
        .select_from(items)
        .outerjoin(sources, sources.c.id == items.c.source_id)
        .outerjoin(organizations, organizations.c.id == sources.c.org_id)
        .where(items.c.id == stored_id)
    ).first()
    if mine is None or theirs is None:
        return False
    new_rank = _copy_rank(mine.kind, mine.id, g.published.at if g.published else None)
    old_rank = _copy_rank(theirs.kind, theirs.id, theirs.published_at or theirs.fetched_at)
    return new_rank < old_rank


def _revise(
    conn: Connection,
    item_id: int,
    g: Gathered,
    found: dict[str, list[Mention]],
    digest: str,
    now: datetime,
) -> str:
    seen = conn.execute(
        sa.select(item_revisions.c.id).where(
            item_revisions.c.item_id == item_id, item_revisions.c.content_hash == digest
        )
    ).first()
    if seen is not None:
        return "unchanged"
    _add_revision(conn, item_id, g, digest, now)
    conn.execute(
        sa.update(items)
        .where(items.c.id == item_id)
        .values(
            title=g.title,
            body_html=g.body_html,
            body_text=g.body_text,
            content_hash=digest,
            updated_at=now,
        )
    )
    conn.execute(
        sa.delete(mentions).where(
            mentions.c.item_id == item_id, mentions.c.version == LINKER_VERSION
        )
    )
    _store_mentions(conn, item_id, found, now, again=True)
    # the text changed: the later stages read it again
    conn.execute(
        sa.delete(item_stages).where(
            item_stages.c.item_id == item_id, item_stages.c.stage != "link"
        )
    )
    return "revised"


def _add_revision(conn: Connection, item_id: int, g: Gathered, digest: str, now: datetime) -> None:
    """Every distinct text an item has had is kept, dated, with its hash."""
    conn.execute(
        _INSERT_REVISION,
        {
            "item_id": item_id,
            "content_hash": digest,
            "title": g.title,
            "body_html": g.body_html,
            "body_text": g.body_text,
            "fetched_at": now,
        },
    )


def _store_mentions(
    conn: Connection,
    item_id: int,
    found: dict[str, list[Mention]],
    now: datetime,
    *,
    again: bool = False,
) -> None:
    rows = [
        {
            "item_id": item_id,
            "field": field,
            "start": m.start,
            "end": m.end,
            "surface": m.surface[:400],
            "type": m.type,
            "entity_id": m.id,
            "candidates": list(m.candidates) or None,
            "confidence": m.confidence,
            "version": LINKER_VERSION,
        }
        for field, found_in in found.items()
        for m in found_in
    ]
    if rows:
        conn.execute(_INSERT_MENTIONS, rows)
    if again:
        conn.execute(
            sa.delete(item_stages).where(
                item_stages.c.item_id == item_id, item_stages.c.stage == "link"
            )
        )
    conn.execute(
        _INSERT_STAGE,
        {
            "item_id": item_id,
            "stage": "link",
            "version": LINKER_VERSION,
            "state": "done",
            "updated_at": now,
        },
    )

"""Listings of published items: the front page, an organisation's statements, filtered lists.

A listing is newest first (by the statement's date, then id) and pages with an opaque cursor
made of the last row's date and id, so a page never repeats or skips an item when new ones
arrive. Filters combine with AND.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import items, organizations, sources, story_items
from tribune.reading.links import mentioning
from tribune.reading.marks import with_new_signatures
from tribune.reading.orgs import OrgLabel, org_labels

MAX_LIMIT = 100


class CursorError(ValueError):
    """A cursor this server did not make."""


@dataclass(frozen=True)
class Filters:
    publisher: str | None = None  # published by this organisation
    org: str | None = None  # published by or mentioning this organisation
    country: str | None = None  # publisher's country or a mentioned country (ISO code)
    person: str | None = None
    event: str | None = None
    story_id: int | None = None
    kind: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Card:
    """An item as listings show it."""

    id: int
    public_id: str
    slug: str
    title: str
    lead: str
    published_at: datetime
    updated_at: datetime
    language: str
    kind: str | None
    featured: bool
    url: str
    excerpt_only: bool
    body_html: str
    publisher: OrgLabel | None = None
    orgs: list[OrgLabel] = field(default_factory=list)
    new_signatures: bool = False  # a joint statement whose list grew lately


@dataclass(frozen=True)
class Page:
    cards: list[Card]
    next_cursor: str | None


def encode_cursor(card: Card) -> str:
    raw = f"{card.published_at.isoformat()}|{card.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        when, _, ident = raw.partition("|")
        return datetime.fromisoformat(when), int(ident)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise CursorError("not a cursor of this listing") from exc


def listing_query(filters: Filters) -> sa.Select[tuple[object, ...]]:
    query = (
        sa.select(
            items.c.id,
            items.c.public_id,
            items.c.slug,
            items.c.title,
            items.c.lead,
            items.c.published_at,
            items.c.updated_at,
            items.c.language,
            items.c.kind,
            items.c.featured,
            items.c.url,
            items.c.body_html,
            sources.c.org_id,
            sources.c.rights,
        )
        .select_from(items.outerjoin(sources, sources.c.id == items.c.source_id))
        .where(items.c.status == "published")
    )
    return narrowed(query, filters)


def narrowed(query: sa.Select[Any], f: Filters) -> sa.Select[Any]:
    """*query* (over ``items`` outer-joined to ``sources``) narrowed by the filters."""
    if f.publisher:
        query = query.where(sources.c.org_id == f.publisher)
    if f.org:
        query = query.where(
            sa.or_(sources.c.org_id == f.org, items.c.id.in_(mentioning("org", f.org)))
        )
    if f.country:
        by_country = sa.select(organizations.c.id).where(organizations.c.country == f.country)
        query = query.where(
            sa.or_(
                sources.c.org_id.in_(by_country),
                items.c.id.in_(mentioning("country", f.country)),
            )
        )
    if f.person:
        query = query.where(items.c.id.in_(mentioning("person", f.person)))
    if f.event:
        query = query.where(items.c.id.in_(mentioning("event", f.event)))
    if f.story_id is not None:
        query = query.where(
            items.c.id.in_(
                sa.select(story_items.c.item_id).where(
                    story_items.c.story_id == f.story_id, story_items.c.version.is_(None)
                )
            )
        )
    if f.kind:
        query = query.where(items.c.kind == f.kind)
    if f.language:
        query = query.where(items.c.language == f.language)
    if f.since:
        query = query.where(items.c.published_at >= f.since)
    if f.until:
        query = query.where(items.c.published_at < f.until)
    if f.ids is not None:
        query = query.where(items.c.id.in_(f.ids))
    return query


def cards_of(conn: Connection, rows: list[sa.Row[tuple[object, ...]]]) -> list[Card]:
    """Cards for rows of :func:`listing_query`, with their organisations' labels."""
    labels = org_labels(conn, {str(r.org_id) for r in rows if r.org_id})
    grown = with_new_signatures(conn, [r.id for r in rows if r.kind == "joint-statement"])
    cards = []
    for r in rows:
        publisher = labels.get(str(r.org_id)) if r.org_id else None
        cards.append(
            Card(
                id=r.id,
                public_id=r.public_id,
                slug=r.slug or "item",
                title=r.title,
                lead=r.lead,
                published_at=r.published_at,
                updated_at=r.updated_at,
                language=r.language,
                kind=r.kind,
                featured=bool(r.featured),
                url=r.url,
                excerpt_only=r.rights == "excerpt",
                body_html="" if r.rights == "excerpt" else r.body_html,
                publisher=publisher,
                orgs=[publisher] if publisher else [],
                new_signatures=r.id in grown,
            )
        )
    return cards


def latest(
    conn: Connection, filters: Filters = Filters(), *, limit: int = 20, cursor: str | None = None
) -> Page:
    """One page of the newest published items that pass *filters*."""
    limit = max(1, min(limit, MAX_LIMIT))
    query = listing_query(filters)
    if cursor:
        when, ident = decode_cursor(cursor)
        query = query.where(
            sa.or_(
                items.c.published_at < when,
                sa.and_(items.c.published_at == when, items.c.id < ident),
            )
        )
    query = query.order_by(items.c.published_at.desc(), items.c.id.desc()).limit(limit + 1)
    rows = list(conn.execute(query))
    cards = cards_of(conn, rows[:limit])
    more = len(rows) > limit
    return Page(cards, encode_cursor(cards[-1]) if more and cards else None)


def featured(conn: Connection, *, limit: int = 4) -> list[Card]:
    """The pinned items, newest first."""
    query = (
        listing_query(Filters())
        .where(items.c.featured.is_(True))
        .order_by(items.c.published_at.desc(), items.c.id.desc())
        .limit(limit)
    )
    return cards_of(conn, list(conn.execute(query)))

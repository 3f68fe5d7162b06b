"""Stories and compilations as readers see them: entries in the order they were added."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import items, stories, story_items
from tribune.reading.listing import Card, Filters, cards_of, listing_query


@dataclass(frozen=True)
class Entry:
    position: int
    subheadline: str
    added_at: datetime
    card: Card


@dataclass(frozen=True)
class StoryView:
    id: int
    public_id: str
    slug: str
    title: str
    kind: str
    state: str  # open ("To be updated") or closed ("Updated")
    created_at: datetime
    updated_at: datetime
    entries: list[Entry]

    @property
    def state_label(self) -> str:
        return "Updated" if self.state == "closed" else "To be updated"

    @property
    def acronyms(self) -> list[str]:
        """The organisations that have spoken, in order of their first entry."""
        seen: list[str] = []
        for entry in self.entries:
            if entry.card.publisher and entry.card.publisher.short not in seen:
                seen.append(entry.card.publisher.short)
        return seen


def _view(conn: Connection, row: sa.Row[tuple[object, ...]]) -> StoryView:
    entries = conn.execute(
        sa.select(
            story_items.c.item_id,
            story_items.c.position,
            story_items.c.subheadline,
            story_items.c.added_at,
        )
        .join(items, items.c.id == story_items.c.item_id)
        .where(
            story_items.c.story_id == row.id,
            story_items.c.version.is_(None),  # entries; the stage's links are suggestions
            items.c.status == "published",
        )
        .order_by(story_items.c.position)
    ).all()
    cards = {
        c.id: c
        for c in cards_of(
            conn, list(conn.execute(listing_query(Filters(ids=tuple(e.item_id for e in entries)))))
        )
    }
    return StoryView(
        row.id,
        row.public_id,
        row.slug,
        row.title,
        row.kind,
        row.state,
        row.created_at,
        row.updated_at,
        [
            Entry(e.position, e.subheadline, e.added_at, cards[e.item_id])
            for e in entries
            if e.item_id in cards
        ],
    )


def find_story(conn: Connection, key: str) -> StoryView | None:
    """An accepted story by slug or public id."""
    row = conn.execute(
        sa.select(stories).where(
            sa.or_(stories.c.slug == key, stories.c.public_id == key),
            stories.c.accepted.is_(True),
        )
    ).first()
    return None if row is None else _view(conn, row)


def list_stories(conn: Connection, *, limit: int = 50, offset: int = 0) -> list[StoryView]:
    """Accepted stories, most recently updated first."""
    rows = conn.execute(
        sa.select(stories)
        .where(stories.c.accepted.is_(True))
        .order_by(stories.c.updated_at.desc(), stories.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [_view(conn, r) for r in rows]

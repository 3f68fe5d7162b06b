"""Stories and compilations: an editor creates one, appends items to it, closes it.

Entries are append-only: each gets the next position and the time it was added, and is never
reordered or removed, so a compilation reads as the record of who spoke and when. An open story
is "To be updated"; closing it makes it "Updated". Stories made by editors are accepted at once
(the clustering stage proposes unaccepted ones later).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import items, stories, story_items
from tribune.db.types import new_public_id, utcnow
from tribune.newsroom import audit
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.newsroom.slugs import slugify

STORY_KINDS = ("compilation", "event", "topic")
MAX_TITLE, MAX_SUBHEADLINE = 400, 400


class StoryError(ValueError):
    """A story change that cannot be made as asked."""


class StoryNotFound(LookupError):
    """No story has that public id."""


@dataclass(frozen=True)
class StoryRef:
    id: int
    public_id: str
    slug: str
    title: str
    state: str


def unique_slug(conn: Connection, title: str) -> str:
    base = slugify(title, "story")
    slug, n = base, 1
    while conn.execute(sa.select(stories.c.id).where(stories.c.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _story(conn: Connection, public_id: str) -> sa.Row[tuple[object, ...]]:
    row = conn.execute(
        sa.select(stories).where(stories.c.public_id == public_id).with_for_update()
    ).first()
    if row is None:
        raise StoryNotFound(f"no story {public_id!r}")
    return row


def create_story(db: Database, actor: Actor, title: str, kind: str = "compilation") -> StoryRef:
    POLICY.require(actor, Action.EDIT_STORIES)
    title = " ".join(title.split())
    if not title or len(title) > MAX_TITLE:
        raise StoryError(f"a story's title is 1–{MAX_TITLE} characters")
    if kind not in STORY_KINDS:
        raise StoryError(f"unknown story kind {kind!r} (kinds: {', '.join(STORY_KINDS)})")
    now = utcnow()
    with db.write() as conn:
        public_id, slug = new_public_id(), unique_slug(conn, title)
        story_id = conn.execute(
            stories.insert().values(
                public_id=public_id,
                slug=slug,
                title=title,
                kind=kind,
                state="open",
                accepted=True,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        audit.record(
            conn,
            actor,
            "story.create",
            "stories",
            public_id,
            None,
            {"title": title, "kind": kind, "slug": slug},
        )
        generation.bump(conn)
    return StoryRef(int(story_id), public_id, slug, title, "open")


def add_entry(
    db: Database, actor: Actor, story_public_id: str, item_public_id: str, subheadline: str = ""
) -> int:
    """Append a published item to the story; returns its position (1, 2, ...)."""
    POLICY.require(actor, Action.EDIT_STORIES)
    subheadline = " ".join(subheadline.split())
    if len(subheadline) > MAX_SUBHEADLINE:
        raise StoryError(f"a sub-headline is at most {MAX_SUBHEADLINE} characters")
    with db.write() as conn:
        story = _story(conn, story_public_id)
        item = conn.execute(
            sa.select(items.c.id, items.c.status).where(items.c.public_id == item_public_id)
        ).first()
        if item is None:
            raise StoryError(f"no item {item_public_id!r}")
        if item.status != "published":
            raise StoryError("only a published item can be added to a story")
        linked = conn.execute(
            sa.select(story_items.c.version).where(
                story_items.c.story_id == story.id, story_items.c.item_id == item.id
            )
        ).first()
        if linked is not None and linked.version is None:
            raise StoryError("the item is in this story already")
        if linked is not None:  # the stories stage had linked it: the editor's entry replaces it
            conn.execute(
                story_items.delete().where(
                    story_items.c.story_id == story.id, story_items.c.item_id == item.id
                )
            )
        last = conn.execute(
            sa.select(sa.func.max(story_items.c.position)).where(
                story_items.c.story_id == story.id, story_items.c.version.is_(None)
            )
        ).scalar()
        position = int(last or 0) + 1
        now = utcnow()
        conn.execute(
            story_items.insert().values(
                story_id=story.id,
                item_id=item.id,
                position=position,
                subheadline=subheadline,
                added_at=now,
                version=None,
            )
        )
        conn.execute(stories.update().where(stories.c.id == story.id).values(updated_at=now))
        audit.record(
            conn,
            actor,
            "story.add",
            "story_items",
            f"{story.public_id}/{position}",
            None,
            {"item": item_public_id, "subheadline": subheadline},
        )
        generation.bump(conn)
    return position


def set_state(db: Database, actor: Actor, story_public_id: str, state: str) -> None:
    """Close a story ("Updated") or open it again ("To be updated")."""
    POLICY.require(actor, Action.EDIT_STORIES)
    if state not in ("open", "closed"):
        raise StoryError(f"a story is open or closed, not {state!r}")
    with db.write() as conn:
        story = _story(conn, story_public_id)
        if story.state == state:
            return
        conn.execute(
            stories.update()
            .where(stories.c.id == story.id)
            .values(state=state, updated_at=utcnow())
        )
        audit.record(
            conn,
            actor,
            f"story.{'close' if state == 'closed' else 'reopen'}",
            "stories",
            story.public_id,
            {"state": story.state},
            {"state": state},
        )
        generation.bump(conn)

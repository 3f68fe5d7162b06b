"""Inbox items that state roles, read by the roles stage (for newsroom and web tests)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import items, sources
from tribune.db.types import new_public_id
from tribune.understand import role_stage


def add_stating(
    db: Database, body: str, day: date, title: str = "A statement", org: str | None = None
) -> str:
    """An inbox item published on *day* saying *body* (on a source of *org*); its public id
    (the stage not run)."""
    public_id = new_public_id()
    when = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    with db.write() as conn:
        source_id = None
        if org is not None:
            source_id = conn.execute(
                sa.insert(sources).values(
                    public_id=new_public_id(),
                    org_id=org,
                    kind="feed",
                    url=f"https://{org}.example/{public_id}",
                )
            ).inserted_primary_key[0]
        conn.execute(
            sa.insert(items).values(
                public_id=public_id,
                url=f"https://party.example/{public_id}",
                canonical_url=f"https://party.example/{public_id}",
                fetched_at=when,
                published_at=when,
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                title=title,
                lead=body.split(". ")[0],
                body_text=body,
                status="inbox",
                source_id=source_id,
            )
        )
    return public_id


def add_read(
    db: Database, body: str, day: date, title: str = "A statement", org: str | None = None
) -> str:
    """The same, and the roles stage run over the new item."""
    public_id = add_stating(db, body, day, title, org)
    role_stage.run(db, pending=True)
    return public_id

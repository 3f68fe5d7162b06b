"""Two inbox items whose kinds the kinds stage has guessed (for newsroom and web tests)."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import items
from tribune.db.types import new_public_id, utcnow
from tribune.understand import kind_stage


def add_guessed(db: Database) -> tuple[str, str]:
    """(a joint statement's public id, a condolence's), both guessed, in the inbox."""
    texts = [
        ("Joint statement of communist and workers' parties", "The undersigned parties..."),
        ("Condolences on the death of comrade Ana", "We learnt with deep sorrow..."),
    ]
    ids = []
    with db.write() as conn:
        for title, body in texts:
            public_id = new_public_id()
            conn.execute(
                sa.insert(items).values(
                    public_id=public_id,
                    url=f"https://party.example/{public_id}",
                    canonical_url=f"https://party.example/{public_id}",
                    fetched_at=utcnow(),
                    content_hash=hashlib.sha256(title.encode()).hexdigest(),
                    title=title,
                    lead=body,
                    body_text=body,
                    status="inbox",
                )
            )
            ids.append(public_id)
    kind_stage.run(db)
    return ids[0], ids[1]

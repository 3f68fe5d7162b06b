"""Login sessions kept in the database, so every web worker process knows them.

The cookie holds a random token; the table holds its SHA-256, the user and the session's CSRF
token. Sessions last :data:`SESSION_TTL`; logging out deletes the row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import sessions, users
from tribune.db.types import utcnow
from tribune.newsroom.users import User

SESSION_TTL = timedelta(hours=12)


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Database, user: User) -> str:
    """A new session for *user*; returns the cookie's token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with db.write() as conn:
        conn.execute(sessions.delete().where(sessions.c.expires_at < now))
        conn.execute(
            sessions.insert().values(
                token_hash=_hash(token),
                user_id=user.id,
                csrf_token=secrets.token_urlsafe(24),
                created_at=now,
                expires_at=now + SESSION_TTL,
            )
        )
    return token


def find(db: Database, token: str) -> Session | None:
    """The live session of a cookie's token, or None."""
    if not token or len(token) > 100:
        return None
    with db.read() as conn:
        row = conn.execute(
            sa.select(users.c.id, users.c.name, users.c.role, sessions.c.csrf_token)
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.token_hash == _hash(token), sessions.c.expires_at > utcnow())
        ).first()
    return None if row is None else Session(User(row.id, row.name, row.role), row.csrf_token)


def end(db: Database, token: str) -> None:
    with db.write() as conn:
        conn.execute(sessions.delete().where(sessions.c.token_hash == _hash(token)))

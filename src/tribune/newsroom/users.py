"""Newsroom users: argon2 password hashes, roles, and API tokens stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.tables import api_tokens, users
from tribune.db.types import utcnow
from tribune.newsroom import audit
from tribune.newsroom.policy import ROLES, Actor, check_scopes

_HASHER = PasswordHasher()
MIN_PASSWORD = 8
TOKEN_PREFIX = "trb_"
# Verifying a password the database does not hold still costs one hash, so a wrong name and a
# wrong password take the same time.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")


class UserError(ValueError):
    """A user or token that cannot be added as asked."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str

    def actor(self, via: str = "session") -> Actor:
        return Actor(name=self.name, role=self.role, user_id=self.id, via=via)


def add_user(db: Database, name: str, password: str, role: str, by: Actor) -> User:
    """Store a new user with an argon2 hash of *password*."""
    name = name.strip()
    if not name or len(name) > 100 or any(c.isspace() for c in name):
        raise UserError("a user name is 1–100 characters without spaces")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r} (roles: {', '.join(ROLES)})")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password needs at least {MIN_PASSWORD} characters")
    with db.write() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
            raise UserError(f"a user named {name!r} exists already")
        user_id = conn.execute(
            users.insert().values(
                name=name, password_hash=_HASHER.hash(password), role=role, created_at=utcnow()
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        audit.record(conn, by, "user.add", "users", user_id, None, {"name": name, "role": role})
    return User(int(user_id), name, role)


def authenticate(db: Database, name: str, password: str) -> User | None:
    """The user when *password* is theirs; None otherwise (same cost either way)."""
    with db.read() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name.strip())).first()
    stored = row.password_hash if row is not None else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _HASHER.check_needs_rehash(stored):
        with db.write() as conn:
            conn.execute(
                users.update()
                .where(users.c.id == row.id)
                .values(password_hash=_HASHER.hash(password))
            )
    return User(row.id, row.name, row.role)


def get_user(conn: Connection, user_id: int) -> User | None:
    row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
    return None if row is None else User(row.id, row.name, row.role)


def token_hash(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).hexdigest()


def add_token(db: Database, name: str, scopes: list[str], by: Actor) -> str:
    """Create an API token; the token itself is returned once and only its hash is kept."""
    name = name.strip()
    if not name or len(name) > 100:
        raise UserError("a token name is 1–100 characters")
    try:
        scopes = check_scopes(scopes)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.write() as conn:
        if conn.execute(sa.select(api_tokens.c.id).where(api_tokens.c.name == name)).first():
            raise UserError(f"a token named {name!r} exists already")
        token_id = conn.execute(
            api_tokens.insert().values(
                name=name, token_hash=token_hash(token), scopes=scopes, created_at=utcnow()
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        audit.record(conn, by, "token.add", "api_tokens", token_id, None, {"scopes": scopes})
    return token


def token_actor(conn: Connection, token: str) -> Actor | None:
    """The actor an API token stands for, or None for an unknown token."""
    row = conn.execute(
        sa.select(api_tokens.c.name, api_tokens.c.scopes).where(
            api_tokens.c.token_hash == token_hash(token)
        )
    ).first()
    if row is None:
        return None
    return Actor(name=row.name, scopes=frozenset(row.scopes), via="token")


def set_password(db: Database, name: str, password: str, role: str, by: Actor) -> User:
    """Give *name* a new password, creating the user with *role* when there is none."""
    with db.read() as conn:
        row = conn.execute(sa.select(users).where(users.c.name == name)).first()
    if row is None:
        return add_user(db, name, password, role, by)
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password needs at least {MIN_PASSWORD} characters")
    with db.write() as conn:
        conn.execute(
            users.update().where(users.c.id == row.id).values(password_hash=_HASHER.hash(password))
        )
        audit.record(conn, by, "user.password", "users", row.id, None, {"name": name})
    return User(row.id, row.name, row.role)

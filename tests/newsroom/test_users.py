"""Users with argon2 password hashes, and API tokens of which only the SHA-256 is kept."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from tribune.db.engine import Database
from tribune.db.tables import api_tokens, audit_log, users
from tribune.newsroom import users as users_module
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.newsroom.users import (
    MIN_PASSWORD,
    TOKEN_PREFIX,
    User,
    UserError,
    add_token,
    add_user,
    authenticate,
    get_user,
    token_actor,
    token_hash,
)

ADMIN = Actor(name="root", role="admin", via="cli")
PASSWORD = "correct horse battery"


def _rows(db: Database, table: sa.Table) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(table).order_by(table.c.id)).all())


def _audit(db: Database) -> list[Any]:
    return _rows(db, audit_log)


def test_add_user_stores_an_argon2_hash_not_the_password(db: Database) -> None:
    user = add_user(db, "  ana ", PASSWORD, "editor", ADMIN)
    assert user == User(user.id, "ana", "editor")
    [row] = _rows(db, users)
    assert (row.id, row.name, row.role) == (user.id, "ana", "editor")
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert PasswordHasher().verify(row.password_hash, PASSWORD)
    [entry] = _audit(db)
    assert (entry.actor, entry.action, entry.table_name) == ("cli:root", "user.add", "users")
    assert entry.row_id == str(user.id)
    assert entry.before is None
    assert entry.after == {"name": "ana", "role": "editor"}
    assert PASSWORD not in repr(tuple(entry))
    with db.read() as conn:
        assert get_user(conn, user.id) == user
        assert get_user(conn, user.id + 100) is None


def test_two_users_with_one_password_get_different_hashes(db: Database) -> None:
    add_user(db, "ana", PASSWORD, "editor", ADMIN)
    add_user(db, "bea", PASSWORD, "viewer", ADMIN)
    first, second = _rows(db, users)
    assert first.password_hash != second.password_hash  # salted


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("ana", PASSWORD, "root", "unknown role 'root'"),
        ("ana", PASSWORD, "", "unknown role"),
        ("ana", "x" * (MIN_PASSWORD - 1), "editor", f"at least {MIN_PASSWORD} characters"),
        ("ana", "", "editor", "at least"),
        ("", PASSWORD, "editor", "user name"),
        ("two words", PASSWORD, "editor", "without spaces"),
        ("x" * 101, PASSWORD, "editor", "1–100"),
    ],
)
def test_bad_users_are_refused(
    db: Database, name: str, password: str, role: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        add_user(db, name, password, role, ADMIN)
    assert _rows(db, users) == []
    assert _audit(db) == []


def test_a_password_of_the_minimum_length_is_accepted(db: Database) -> None:
    add_user(db, "ana", "x" * MIN_PASSWORD, "viewer", ADMIN)
    assert authenticate(db, "ana", "x" * MIN_PASSWORD) is not None


def test_a_duplicate_name_is_refused(db: Database) -> None:
    add_user(db, "ana", PASSWORD, "editor", ADMIN)
    with pytest.raises(UserError, match="a user named 'ana' exists already"):
        add_user(db, "ana", "another password", "admin", ADMIN)
    [row] = _rows(db, users)
    assert row.role == "editor"


def test_authenticate(db: Database) -> None:
    user = add_user(db, "ana", PASSWORD, "editor", ADMIN)
    assert authenticate(db, "ana", PASSWORD) == user
    assert authenticate(db, " ana ", PASSWORD) == user
    assert authenticate(db, "ana", PASSWORD + "x") is None
    assert authenticate(db, "ana", "") is None
    assert authenticate(db, "Ana", PASSWORD) is None
    assert authenticate(db, "nobody", PASSWORD) is None


def test_a_wrong_name_still_costs_one_hash(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(db, "ana", PASSWORD, "editor", ADMIN)
    real = users_module._HASHER
    verified: list[str] = []

    class Spy:
        def verify(self, stored: str, password: str) -> bool:
            verified.append(stored)
            return real.verify(stored, password)

        def check_needs_rehash(self, stored: str) -> bool:
            return real.check_needs_rehash(stored)

    monkeypatch.setattr(users_module, "_HASHER", Spy())
    assert authenticate(db, "nobody", PASSWORD) is None
    assert authenticate(db, "ana", "wrong password") is None
    assert len(verified) == 2
    assert verified[0].startswith("$argon2id$")  # a real hash was checked for the unknown name


def test_an_outdated_hash_is_upgraded_on_login(db: Database) -> None:
    user = add_user(db, "ana", PASSWORD, "editor", ADMIN)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with db.write() as conn:
        conn.execute(users.update().where(users.c.id == user.id).values(password_hash=weak))
    assert authenticate(db, "ana", PASSWORD) == user
    [row] = _rows(db, users)
    assert row.password_hash != weak
    assert not PasswordHasher().check_needs_rehash(row.password_hash)
    assert authenticate(db, "ana", PASSWORD) == user


def test_add_token_returns_the_token_once_and_keeps_its_sha256(db: Database) -> None:
    token = add_token(db, " robot ", ["items:publish", "read"], ADMIN)
    assert TOKEN_PREFIX == "trb_"
    assert token.startswith(TOKEN_PREFIX)
    assert len(token) >= len(TOKEN_PREFIX) + 43  # 256 random bits
    [row] = _rows(db, api_tokens)
    assert row.name == "robot"
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() == token_hash(token)
    assert token not in repr(tuple(row))
    assert token[len(TOKEN_PREFIX) :] not in repr(tuple(row))
    assert sorted(row.scopes) == ["items:publish", "read"]
    [entry] = _audit(db)
    assert (entry.action, entry.table_name, entry.row_id) == (
        "token.add",
        "api_tokens",
        str(row.id),
    )
    assert token not in repr(tuple(entry))
    assert add_token(db, "robot-2", ["read"], ADMIN) != token


def test_token_actor_finds_the_scopes(db: Database) -> None:
    token = add_token(db, "robot", ["items:publish"], ADMIN)
    with db.read() as conn:
        actor = token_actor(conn, token)
        assert token_actor(conn, token + "x") is None
        assert token_actor(conn, "trb_" + "A" * 43) is None
        assert token_actor(conn, token_hash(token)) is None  # the stored hash is no token
    assert actor == Actor(name="robot", scopes=frozenset({"items:publish"}), via="token")
    assert actor.label == "token:robot"
    assert POLICY.allows(actor, Action.PUBLISH)
    assert not POLICY.allows(actor, Action.EDIT_ITEMS)


@pytest.mark.parametrize(
    ("name", "scopes", "message"),
    [
        ("robot", ["read", "everything"], "unknown scope 'everything'"),
        ("robot", [], "at least one scope"),
        ("", ["read"], "token name"),
        ("x" * 101, ["read"], "token name"),
    ],
)
def test_bad_tokens_are_refused(db: Database, name: str, scopes: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        add_token(db, name, scopes, ADMIN)
    assert _rows(db, api_tokens) == []


def test_a_duplicate_token_name_is_refused(db: Database) -> None:
    first = add_token(db, "robot", ["read"], ADMIN)
    with pytest.raises(UserError, match="a token named 'robot' exists already"):
        add_token(db, "robot", ["items:publish"], ADMIN)
    [row] = _rows(db, api_tokens)
    assert row.token_hash == token_hash(first)

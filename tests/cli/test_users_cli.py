"""``tribune users add`` and ``tribune tokens add`` through the real CLI and database."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from tribune.cli import app
from tribune.db.engine import Database
from tribune.db.tables import api_tokens, audit_log, users
from tribune.newsroom.users import authenticate, token_actor


def test_users_add_reads_the_password_from_stdin_or_a_prompt(
    runner: CliRunner, db: Database
) -> None:
    done = runner.invoke(
        app,
        ["users", "add", "maria", "--role", "editor", "--password-stdin"],
        input="a long enough secret\n",
    )
    assert done.exit_code == 0, done.output
    assert "added editor maria" in done.stdout
    assert authenticate(db, "maria", "a long enough secret") is not None
    prompted = runner.invoke(
        app,
        ["users", "add", "nikos", "--role", "viewer"],
        input="another secret\nanother secret\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert authenticate(db, "nikos", "another secret") is not None
    with db.read() as conn:
        hashes = list(conn.execute(sa.select(users.c.password_hash)).scalars())
        logged = list(conn.execute(sa.select(audit_log.c.action)).scalars())
    assert all(h.startswith("$argon2") for h in hashes)
    assert logged.count("user.add") == 2


def test_users_add_refuses_bad_input_with_a_clear_message(runner: CliRunner) -> None:
    cases = [
        (["--role", "chief"], "secret secret\n", "unknown role 'chief'"),
        (["--role", "editor"], "short\n", "at least 8 characters"),
    ]
    for options, password, message in cases:
        done = runner.invoke(
            app, ["users", "add", "eleni", *options, "--password-stdin"], input=password
        )
        assert done.exit_code != 0
        assert message in done.output
    runner.invoke(app, ["users", "add", "eleni", "--password-stdin"], input="secret secret\n")
    again = runner.invoke(app, ["users", "add", "eleni", "--password-stdin"], input="x" * 9)
    assert again.exit_code != 0
    assert "exists already" in again.output


def test_tokens_add_prints_the_token_once_and_stores_its_hash(
    runner: CliRunner, db: Database
) -> None:
    done = runner.invoke(app, ["tokens", "add", "wire-tool", "--scopes", "items:write,read"])
    assert done.exit_code == 0, done.output
    token = done.stdout.strip()
    assert token.startswith("trb_")
    with db.read() as conn:
        stored = conn.execute(sa.select(api_tokens.c.token_hash, api_tokens.c.scopes)).one()
        actor = token_actor(conn, token)
    assert token not in stored.token_hash
    assert stored.scopes == ["items:write", "read"]
    assert actor is not None
    assert actor.scopes == frozenset({"items:write", "read"})
    bad = runner.invoke(app, ["tokens", "add", "other", "--scopes", "everything"])
    assert bad.exit_code != 0
    assert "unknown scope 'everything'" in bad.output

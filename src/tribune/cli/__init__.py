"""The ``tribune`` command: a thin shell that parses arguments, calls the core and prints.

Imports of the core happen inside the commands, so that ``tribune --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from tribune.db.engine import Database

app = typer.Typer(
    help="Tribune: a newswire for a network of political organisations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
kb_app = typer.Typer(
    help="The knowledge base: organisations, people, events.", no_args_is_help=True
)
app.add_typer(kb_app, name="kb")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


def fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def emit(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, default=str))


def open_db(*, check: bool = True) -> Database:
    """The configured database; with ``check``, refuse a schema that does not match the code."""
    from tribune.config import get_settings
    from tribune.db.engine import Database, DatabaseError
    from tribune.db.migrate import check_schema

    settings = get_settings()
    try:
        db = Database(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
        if check:
            check_schema(db)
    except DatabaseError as exc:
        fail(str(exc))
    return db


@contextmanager
def database(*, check: bool = True) -> Iterator[Database]:
    """:func:`open_db` for the length of a command; its connections are closed at the end."""
    db = open_db(check=check)
    try:
        yield db
    finally:
        db.dispose()


@app.command()
def init() -> None:
    """Create the database, or upgrade it to this version's schema. Safe to run again."""
    from tribune.db.engine import DatabaseError
    from tribune.db.migrate import upgrade

    with database(check=False) as db:
        try:
            before, after = upgrade(db)
        except DatabaseError as exc:
            fail(str(exc))
    if before == after:
        typer.echo(f"{db.describe()}: schema {after} is current")
    else:
        typer.echo(f"{db.describe()}: schema {before or 'none'} -> {after}")


def _register() -> None:
    """Attach the command groups kept in their own modules (they import only typer)."""
    from tribune.cli import demo, gather, kb, link, reprocess, serve, sources, users

    app.add_typer(kb.app, name="kb")
    app.add_typer(gather.items_app, name="items")
    app.command("poll")(gather.poll_command)
    app.add_typer(sources.app, name="sources", no_args_is_help=True)
    app.command("link")(link.link_command)
    app.command("reprocess")(reprocess.reprocess_command)
    app.command("demo")(demo.demo_command)
    app.command("serve")(serve.serve_command)
    app.add_typer(users.users_app, name="users")
    app.add_typer(users.tokens_app, name="tokens")


_register()


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # `tribune ... | head`
        sys.stderr.close()


__all__ = ["JsonOpt", "Path", "app", "database", "emit", "fail", "main", "open_db"]

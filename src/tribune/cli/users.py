"""``tribune users add`` and ``tribune tokens add``: newsroom accounts and API tokens."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tribune.newsroom.policy import Actor

users_app = typer.Typer(help="Newsroom users.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for editors' tools.", no_args_is_help=True)

CLI_ACTOR_NAME = "cli"


def _actor() -> Actor:
    import getpass

    from tribune.newsroom.policy import Actor

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = CLI_ACTOR_NAME
    return Actor(name=who, role="admin", via="cli")


@users_app.command("add")
def add_user_command(
    name: Annotated[str, typer.Argument(help="The login name (no spaces).")],
    role: Annotated[str, typer.Option(help="admin, editor or viewer.")] = "editor",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a newsroom user; the password comes from a prompt (asked twice) or from stdin."""
    from tribune.cli import database, fail
    from tribune.newsroom.users import UserError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    actor = _actor()
    with database() as db:
        try:
            user = add_user(db, name, password, role, actor)
        except UserError as exc:
            fail(str(exc))
    typer.echo(f"added {user.role} {user.name}")


@tokens_app.command("add")
def add_token_command(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. a tool's name.")],
    scopes: Annotated[
        str,
        typer.Option(
            help="Comma-separated: read, items:write, items:publish, stories:write, "
            "signatures:write."
        ),
    ],
) -> None:
    """Create an API token and print it once; only its hash is stored."""
    from tribune.cli import database, fail
    from tribune.newsroom.users import UserError, add_token

    actor = _actor()
    with database() as db:
        try:
            token = add_token(db, name, [s.strip() for s in scopes.split(",") if s.strip()], actor)
        except UserError as exc:
            fail(str(exc))
    typer.echo(token)
    typer.echo("Keep it now: it is stored hashed and cannot be shown again.", err=True)

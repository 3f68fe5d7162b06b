"""``tribune reprocess --stage NAME [--since DATE]``: run an understanding stage again over the
archive (after a rule or model change), rewriting only that stage's own rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

import typer

STAGES = ("kinds",)


def reprocess_command(
    stage: Annotated[str, typer.Option("--stage", help=f"The stage: {', '.join(STAGES)}.")],
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only items gathered on or after this day (YYYY-MM-DD)."),
    ] = None,
    pending: Annotated[
        bool, typer.Option("--pending", help="Only items this version of the stage has not seen.")
    ] = False,
) -> None:
    """Run an understanding stage again over stored items; editors' decisions stay."""
    from tribune.cli import database, fail

    if stage not in STAGES:
        fail(f"unknown stage {stage!r} (stages: {', '.join(STAGES)})")
    start = None
    if since is not None:
        try:
            start = datetime.combine(date.fromisoformat(since), datetime.min.time(), UTC)
        except ValueError:
            fail(f"--since: not a date: {since!r} (expected YYYY-MM-DD)")
    from tribune.understand import kind_stage

    with database() as db:
        seen, guessed = kind_stage.run(db, since=start, pending=pending)
    typer.echo(f"{stage}: {seen} items read, {guessed} given a kind")

"""``tribune reprocess --stage NAME [--since DATE]``: run an understanding stage again over the
archive (after a rule or model change), rewriting only that stage's own rows."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime
from typing import Annotated

import typer

# name -> (the stage's module, what its results are). Each module has
# ``run(db, *, since, pending) -> (items read, results)``; it is imported only when asked for.
STAGES: dict[str, tuple[str, str]] = {
    "kinds": ("tribune.understand.kind_stage", "given a kind"),
    "roles": ("tribune.understand.role_stage", "role statements found"),
    "signatures": ("tribune.understand.joint_stage", "joint statements found"),
    "stories": ("tribune.understand.story_stage", "in a story"),
}


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
    module, results = STAGES[stage]
    run = importlib.import_module(module).run
    with database() as db:
        seen, found = run(db, since=start, pending=pending)
    typer.echo(f"{stage}: {seen} items read, {found} {results}")

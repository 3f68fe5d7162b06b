"""``tribune poll`` and ``tribune items``: one polling round, and what is stored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from tribune.ingest.poll import SourceReport

items_app = typer.Typer(help="What Tribune has gathered.", invoke_without_command=True)


def poll_command(
    all_sources: Annotated[bool, typer.Option("--all", help="Every active source.")] = False,
    source: Annotated[str | None, typer.Option("--source", help="One source, by id.")] = None,
    due: Annotated[bool, typer.Option("--due", help="The sources due now (the default).")] = True,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="A progress bar on stderr (default: when stdout is a terminal).",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one a source.")] = False,
) -> None:
    """Run one polling round: fetch the sources, store their new items."""
    import sys
    from dataclasses import asdict

    from tribune.cli import database, emit
    from tribune.ingest.poll import poll

    del due  # the default; --all or --source widen or narrow it
    if progress is None:
        progress = sys.stdout.isatty()
    with database() as db, _progress_bar(progress) as bar:
        reports = poll(
            db,
            which="all" if all_sources else "due",
            source=source,
            on_start=bar.start,
            on_done=bar.done,
        )
    if not reports and not as_json:
        typer.echo("no source is due")
    failed = 0
    for r in reports:
        failed += r.outcome == "error"
        if as_json:
            emit(asdict(r))
            continue
        counts = ", ".join(f"{n} {what}" for what, n in sorted(r.counts.items())) or "no entries"
        detail = r.error if r.outcome == "error" else counts
        typer.echo(f"{r.outcome:13} {r.url}  {detail}")
    if failed:
        raise typer.Exit(1)


class _Bar:
    """Sources done out of the round's total, with the new items and errors so far."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.new = 0
        self.errors = 0

    def start(self, total: int) -> None:
        if self.progress is not None:
            self.task = self.progress.add_task("polling", total=total, new=0, errors=0)

    def done(self, report: SourceReport) -> None:
        self.new += report.counts.get("new", 0)
        self.errors += report.outcome == "error"
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=1, new=self.new, errors=self.errors)


@contextmanager
def _progress_bar(show: bool) -> Iterator[_Bar]:
    """A rich progress bar on stderr when ``show``, else a bar that shows nothing."""
    if not show:
        yield _Bar(None)
        return
    import sys

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("sources: {task.fields[new]} new, {task.fields[errors]} failed"),
        TimeElapsedColumn(),
    )
    console = Console(file=sys.stderr)
    with Progress(*columns, console=console, redirect_stdout=False) as progress:
        yield _Bar(progress)


@items_app.callback()
def items_command(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option("--source", help="A source id.")] = None,
    org: Annotated[str | None, typer.Option("--org", help="An organisation it names.")] = None,
    status: Annotated[str | None, typer.Option(help="inbox, published, duplicate, ...")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines.")] = False,
) -> None:
    """Every stored item, duplicates included, one a line."""
    if ctx.invoked_subcommand is not None:
        return
    from tribune.cli import database, emit, fail
    from tribune.ingest.listing import list_items

    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        fail(f"not a date: {since!r} (expected YYYY-MM-DD)")
    with database() as db:
        rows = list_items(db, source=source, org=org, status=status, since=day, limit=limit)
    for row in rows:
        if as_json:
            emit(row)
        else:
            orgs = ",".join(row["org_ids"]) or "-"
            typer.echo(f"{row['id']}  {row['status']:9} {orgs:20} {row['title'][:70]}")


@items_app.command("show")
def show_command(
    item_id: Annotated[str, typer.Argument(metavar="ID", help="An item id.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON.")] = False,
) -> None:
    """One item whole: its revisions, mentions and decisions."""
    from tribune.cli import database, emit, fail
    from tribune.ingest.listing import show_item

    with database() as db:
        item = show_item(db, item_id)
    if item is None:
        fail(f"no item with id {item_id}", code=1)
    if as_json:
        emit(item)
        return
    for key, value in item.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            typer.echo(f"{key}:")
            for entry in value:
                typer.echo("  " + ", ".join(f"{k}={v}" for k, v in entry.items()))
        else:
            typer.echo(f"{key}: {value}")

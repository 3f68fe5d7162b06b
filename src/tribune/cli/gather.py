"""``tribune poll`` and ``tribune items``: one polling round, and what is stored."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

items_app = typer.Typer(help="What Tribune has gathered.", invoke_without_command=True)


def poll_command(
    all_sources: Annotated[bool, typer.Option("--all", help="Every active source.")] = False,
    source: Annotated[str | None, typer.Option("--source", help="One source, by id.")] = None,
    due: Annotated[bool, typer.Option("--due", help="The sources due now (the default).")] = True,
) -> None:
    """Run one polling round: fetch the sources, store their new items."""
    from tribune.cli import database
    from tribune.ingest.poll import poll

    del due  # the default; --all or --source widen or narrow it
    with database() as db:
        reports = poll(db, which="all" if all_sources else "due", source=source)
    if not reports:
        typer.echo("no source is due")
    failed = 0
    for r in reports:
        counts = ", ".join(f"{n} {what}" for what, n in sorted(r.counts.items())) or "no entries"
        detail = r.error if r.outcome == "error" else counts
        failed += r.outcome == "error"
        typer.echo(f"{r.outcome:13} {r.url}  {detail}")
    if failed:
        raise typer.Exit(1)


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

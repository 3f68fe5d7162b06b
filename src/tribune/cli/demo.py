"""``tribune demo``: a newswire on the sample party sites, from nothing, in one command."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tribune.demo import GatherReport, Sample
    from tribune.ingest.poll import SourceReport
    from tribune.understand.mention import Mention


def demo_command(
    once: Annotated[
        bool, typer.Option("--once", help="Gather once and exit instead of polling on.")
    ] = False,
    sites_port: Annotated[
        int,
        typer.Option(help="The first port of the sample sites (one port per site, in a row)."),
    ] = 8101,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="A progress bar (default: on a terminal)."),
    ] = None,
) -> None:
    """Build ./tribune-demo.db (or TRIBUNE_DATABASE_URL) with the KB, serve the sample party
    sites on loopback, gather them (twice: later versions appear between the polls), and keep
    polling them until Ctrl-C."""
    import sys

    from tribune.cli import fail
    from tribune.cli.gather import _progress_bar
    from tribune.cli.serve import run_scheduler
    from tribune.config import get_settings
    from tribune.db.engine import Database, DatabaseError
    from tribune.demo import DEFAULT_DEMO_URL, add_demo_sources, build_demo, gather_demo, sites_root
    from tribune.kb.errors import KBError
    from tribune.replay import ReplayServer

    url = os.environ.get("TRIBUNE_DATABASE_URL") or DEFAULT_DEMO_URL
    # the sample sites live on loopback: the demo (and only the demo) may reach them
    settings = get_settings().model_copy(update={"allow_private_networks": True})
    db = Database(url)
    typer.echo(f"Building the demo database {db.describe()} (schema, knowledge base)...")
    try:
        results = build_demo(db)
    except (DatabaseError, KBError) as exc:
        db.dispose()
        fail(str(exc))
    _show_links(results)
    try:
        server = ReplayServer(sites_root(), port_base=sites_port)
        server.start()
    except OSError as exc:
        db.dispose()
        fail(f"cannot serve the sample sites from port {sites_port}: {exc} (try --sites-port)")
    try:
        added = add_demo_sources(db, server)
        typer.echo("")
        typer.echo(f"Gathering {len(server.sites)} sample party sites ({added} new sources)...")
        show = sys.stdout.isatty() if progress is None else progress
        with _progress_bar(show) as bar:
            report = gather_demo(db, server, settings, on_start=bar.start, on_done=bar.done)
        _show_gathering(report)
        if not once:
            run_scheduler(
                db,
                settings,
                settings.scheduler_tick_s,
                "Polling the sample sites as they fall due; Ctrl-C to stop.",
            )
    finally:
        server.stop()
        db.dispose()
    typer.echo("")
    typer.echo(f"Look at what was gathered:  TRIBUNE_DATABASE_URL={url} .venv/bin/tribune items")


def _show_links(results: list[tuple[Sample, list[Mention]]]) -> None:
    for sample, mentions in results:
        meta = ", ".join(
            x
            for x in (str(sample.date or ""), f"from {sample.source_org}" * bool(sample.source_org))
            if x
        )
        typer.echo("")
        typer.secho(sample.text, bold=True)
        if meta:
            typer.echo(f"  ({meta})")
        for m in mentions:
            target = m.id or "abstains: " + ", ".join(m.candidates)
            typer.echo(f"  {m.type:<8} {m.surface!r:<42} -> {target}  ({m.confidence:.2f})")


def _show_gathering(report: GatherReport) -> None:
    def total(reports: list[SourceReport], outcome: str) -> int:
        return sum(r.counts.get(outcome, 0) for r in reports)

    typer.echo(
        f"First poll: {total(report.first, 'new')} new items, "
        f"{total(report.first, 'duplicate')} republished copies."
    )
    for site, paths in sorted(report.published_later.items()):
        typer.echo(f"  later, {site} changed {', '.join(sorted(paths))}")
    typer.echo(f"Second poll: {total(report.second, 'new')} new items.")
    for title in report.revised:
        typer.echo(f"  revised: {title}")
    for r in report.first + report.second:
        if r.outcome == "error":
            typer.echo(f"  error     {r.url}  {r.error}")

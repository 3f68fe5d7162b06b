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
    host: Annotated[str, typer.Option(help="Address the demo site listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port of the demo site.")] = 8000,
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
    sites on loopback, gather them (twice: later versions appear between the polls), publish
    part of what was gathered, then serve the newswire on http://127.0.0.1:8000 with a
    one-time editor login, polling on until Ctrl-C."""
    import sys

    from tribune.cli import fail
    from tribune.cli.gather import _progress_bar
    from tribune.cli.serve import run_site
    from tribune.config import get_settings
    from tribune.db.engine import Database, DatabaseError
    from tribune.demo import (
        DEFAULT_DEMO_URL,
        DEMO_EDITOR,
        add_demo_sources,
        build_demo,
        demo_login,
        gather_demo,
        publish_demo,
        sign_demo,
        sites_root,
    )
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
        newsroom = publish_demo(db)
        typer.echo(
            f"Published {newsroom.published} items ({newsroom.featured} featured); "
            f"{newsroom.left_in_inbox} wait in the inbox."
        )
        for title, signed, later in sign_demo(db):
            typer.echo(
                f'Accepted the joint statement "{title}": {signed} signatories, {later} of them '
                "added later by a revision or a copy on another site (New signatures updated)."
            )
        if newsroom.compilation:
            typer.echo(f"Started a compilation: {newsroom.compilation}")
        if not once:
            password = demo_login(db)
            site = f"http://{host}:{port}/"
            run_site(
                db,
                settings,
                host=host,
                port=port,
                tick_s=settings.scheduler_tick_s,
                banner=f"\nThe newswire: {site}\nThe newsroom: {site}editor/login  "
                f"name {DEMO_EDITOR}, password {password} (new at every start)",
                on_listening="Polling the sample sites as they fall due; Ctrl-C to stop.",
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

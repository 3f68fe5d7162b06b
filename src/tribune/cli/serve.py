"""``tribune serve``: the long-running process: the web app and the polling scheduler.

The web app runs in uvicorn (one process, or ``--workers N`` processes); the scheduler runs in a
thread of this process and polls only while it holds the database lease, so however many
``tribune serve`` run on one database, one of them polls. Ctrl-C or SIGTERM stops both: the web
server finishes its requests, the scheduler its round, and the lease is released.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tribune.config import Settings
    from tribune.db.engine import Database
    from tribune.ingest.scheduler import Round


def serve_command(
    host: Annotated[str, typer.Option(help="Address the web app listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port of the web app.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Web worker processes (uvicorn).")
    ] = 1,
    tick: Annotated[
        float | None,
        typer.Option(
            min=0.01,
            help="Seconds between two looks for due sources "
            "(default: the TRIBUNE_SCHEDULER_TICK_S setting).",
        ),
    ] = None,
    poll: Annotated[
        bool,
        typer.Option("--poll/--no-poll", help="Run the polling scheduler beside the web app."),
    ] = True,
) -> None:
    """Serve the site, the newsroom and the API, and poll sources as they fall due, until
    Ctrl-C or SIGTERM. Only the holder of the scheduler lease polls."""
    from tribune.cli import database
    from tribune.config import get_settings

    settings = get_settings()
    with database() as db:
        every = tick if tick is not None else settings.scheduler_tick_s
        banner = f"tribune serve on {db.describe()}: http://{host}:{port}/"
        if poll:
            banner += f", polling every {every:g}s"
        run_site(
            db,
            settings,
            host=host,
            port=port,
            workers=workers,
            tick_s=every if poll else None,
            banner=banner,
        )


def run_site(
    db: Database,
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int = 1,
    tick_s: float | None,
    banner: str,
    on_listening: str = "",
) -> None:
    """Run the web app in the foreground and, when *tick_s* is given, the scheduler in a
    thread; return after Ctrl-C or SIGTERM, with the lease released."""
    import logging
    import threading

    from tribune.ingest.scheduler import Scheduler

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    scheduler = None
    thread = None
    if tick_s is not None:
        scheduler = Scheduler(
            db, tick_s=tick_s, settings=settings, on_round=_round_line, on_lease=_lease_line
        )
        thread = threading.Thread(target=scheduler.run, name="scheduler", daemon=True)
    typer.echo(banner)
    if on_listening:
        typer.echo(on_listening)
    if thread is not None:
        thread.start()
    from tribune.web.server import run_web

    try:
        run_web(db, settings, host, port, workers)
    finally:
        if scheduler is not None and thread is not None:
            scheduler.request_stop()
            thread.join()
            typer.echo("stopped; the scheduler lease is released")
        else:
            typer.echo("stopped")


def _round_line(done: Round) -> None:
    if not (done.reports or done.error or done.job_errors):
        return  # nothing was due: a quiet round is not worth a line
    when = done.started_at.strftime("%Y-%m-%d %H:%M:%S")
    n = len(done.reports)
    line = (
        f"{when} polled {n} source{'' if n == 1 else 's'} in {done.duration_s:.1f}s: "
        f"{done.new} new, {done.failed} failed"
    )
    if done.error:
        line += f"; the round failed: {done.error}"
    for name, error in done.job_errors.items():
        line += f"; job {name} failed: {error}"
    typer.echo(line)


def _lease_line(held: bool, other: str | None) -> None:
    if held:
        typer.echo("holding the scheduler lease")
    else:
        typer.echo(f"the scheduler lease is held by {other or 'another process'}; standing by")

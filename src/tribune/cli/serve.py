"""``tribune serve``: the long-running process. For now it runs the polling scheduler.

The web app joins this command later; ``--host`` and ``--port`` are accepted already so that
service files written today keep working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tribune.config import Settings
    from tribune.db.engine import Database


def serve_command(
    host: Annotated[
        str, typer.Option(help="Address for the web app (it joins this command later).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port for the web app (it joins this command later).")
    ] = 8000,
    tick: Annotated[
        float | None,
        typer.Option(
            min=0.01,
            help="Seconds between two looks for due sources "
            "(default: the TRIBUNE_SCHEDULER_TICK_S setting).",
        ),
    ] = None,
) -> None:
    """Run until Ctrl-C or SIGTERM, polling sources as they fall due. The web app joins this
    command later; for now it polls.

    However many run on one database, only the holder of the scheduler lease polls.
    """
    from tribune.cli import database
    from tribune.config import get_settings

    settings = get_settings()
    with database() as db:
        every = tick if tick is not None else settings.scheduler_tick_s
        run_scheduler(
            db,
            settings,
            every,
            f"tribune serve on {db.describe()}: polling every {every:g}s "
            f"(the web app on {host}:{port} comes later)",
        )


def run_scheduler(db: Database, settings: Settings, tick_s: float, banner: str) -> None:
    """Run the polling scheduler in the foreground until Ctrl-C or SIGTERM, a line per round."""
    import logging
    import signal
    from types import FrameType

    from tribune.ingest.scheduler import Round, Scheduler

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")

    def round_done(done: Round) -> None:
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

    def lease_changed(held: bool, other: str | None) -> None:
        if held:
            typer.echo(f"holding the scheduler lease as {scheduler.holder}")
        else:
            typer.echo(f"the scheduler lease is held by {other or 'another process'}; standing by")

    scheduler = Scheduler(
        db, tick_s=tick_s, settings=settings, on_round=round_done, on_lease=lease_changed
    )

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if scheduler.stopping:  # a second Ctrl-C: stop now, mid-round
            raise KeyboardInterrupt
        scheduler.request_stop()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    typer.echo(banner)
    try:
        scheduler.run()
    except KeyboardInterrupt:
        typer.echo("interrupted mid-round", err=True)
        raise typer.Exit(130) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    typer.echo("stopped; the scheduler lease is released")

"""Running the app under uvicorn, in the foreground of ``tribune serve`` and the demo."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from types import FrameType

import uvicorn

from tribune.config import Settings
from tribune.db.engine import Database


class QuietServer(uvicorn.Server):
    """uvicorn's server, stopping on Ctrl-C or SIGTERM (a second one forces it) without
    re-raising the signal afterwards as uvicorn does, so the caller can shut down cleanly."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        def stop(_signum: int, _frame: FrameType | None) -> None:
            if self.should_exit:
                self.force_exit = True
            self.should_exit = True

        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def run_web(db: Database, settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Serve until Ctrl-C or SIGTERM; with *workers* > 1, in that many processes."""
    if workers > 1:
        # each worker builds its app from the environment: hand it this database
        os.environ["TRIBUNE_DATABASE_URL"] = db.url
        uvicorn.run(
            "tribune.web.app:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            proxy_headers=True,
        )
        return
    from tribune.web.app import create_app, settle_heap

    config = uvicorn.Config(
        create_app(db, settings), host=host, port=port, log_level="warning", proxy_headers=True
    )
    settle_heap()
    QuietServer(config).run()

"""Page extraction on every core: a process pool that a polling round feeds.

Extraction (trafilatura) is the CPU-heavy part of gathering and it holds the GIL, so a round
that must extract many pages hands them to worker processes while the polling process keeps
fetching and storing. The pool starts on the first page that needs it, so a round of 304s or of
full-text feeds never starts one. Workers are spawned, not forked, so they never inherit the
polling process's threads, sockets or database connections; each watches its parent and exits
when the polling process is gone, even killed with SIGKILL, so no worker outlives a round.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from tribune.ingest.extract import Extracted, extract_page

PARENT_CHECK_S = 0.5


def workers_for(setting: int) -> int:
    """The number of extraction processes a setting asks for (0: one per core)."""
    return setting if setting > 0 else max(1, os.cpu_count() or 1)


class Extractor:
    """Extracts pages in ``workers`` processes (or in this one when ``workers`` is 1)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    async def __aenter__(self) -> Extractor:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def extract(self, html: str, url: str | None) -> Extracted | None:
        """The article of a page, extracted in a worker process when there are several."""
        if self.workers <= 1:
            return extract_page(html, url=url)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._get_pool(), _extract, html, url)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): that page is extracted here, and the next
            # page gets a new pool.
            self._pool = None
            return extract_page(html, url=url)

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return self._pool


def _start_worker(parent: int) -> None:
    """Runs first in each worker: exit as soon as the polling process is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _extract(html: str, url: str | None) -> Extracted | None:
    return extract_page(html, url=url)

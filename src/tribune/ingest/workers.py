"""The CPU-heavy stages of gathering on every core: extraction, language, entity linking.

Extraction (trafilatura) and linking hold the GIL, so a round hands each entry's page (or the
feed's full text) to worker processes, which return it extracted, with its language and its
mentions, while the polling process keeps fetching and storing. A round prepares its first
entries on a thread of this process (the event loop goes on fetching meanwhile); only when
entries queue up (:data:`POOL_AFTER`) does it start the worker processes, so a round of 304s or
of two new statements never starts them. Each worker gets the polling process's linker, pickled
(unpickling it costs a third of building it from the database), and unpickles it on its first
entry. Workers are spawned, not forked, so they never inherit the
polling process's threads, sockets or database connections; each watches its parent and exits
when the polling process is gone, even killed with SIGKILL, so no worker outlives a round.

With one worker (``TRIBUNE_EXTRACT_WORKERS=1``) everything runs in the polling process, on that
thread.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
import os
import pickle
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Any

from tribune.ingest.dedupe import item_minhash
from tribune.ingest.extract import Extracted, extract_page
from tribune.understand.lang import detect_language
from tribune.understand.link import Linker, LinkInputError
from tribune.understand.mention import Mention

PARENT_CHECK_S = 0.5
POOL_AFTER = 4  # entries waiting at once before a round starts its worker processes


@dataclass(frozen=True)
class Context:
    """What the source and the feed say about an entry, for its language and its linking."""

    title: str = ""  # the feed's title of the entry, when the page has none
    language: str = ""  # the feed's or the source's language: the detector's prior
    source_org: str | None = None
    day: date | None = None


@dataclass(frozen=True)
class Prepared:
    """An entry ready to store: its text, its language, the mentions in title and body, and
    its near-duplicate signature (made here too, off the polling process)."""

    extracted: Extracted
    title: str
    language: str
    found: dict[str, list[Mention]]
    signature: bytes  # dedupe.item_minhash, as stored


def workers_for(setting: int) -> int:
    """The number of processes a setting asks for (0: one per core)."""
    return setting if setting > 0 else max(1, os.cpu_count() or 1)


class Extractor:
    """Prepares entries in ``workers`` processes (or in this one when ``workers`` is 1).

    ``linker`` gives this process's linker: used here when there is a single worker (or
    before the workers start), and pickled to the workers when they start.
    """

    def __init__(self, workers: int, linker: Callable[[], Linker]) -> None:
        self.workers = workers
        self.linker = linker
        self._pool: ProcessPoolExecutor | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._waiting = 0  # entries prepared or waiting on this process's thread
        self._starting = asyncio.Lock()

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
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None

    async def page(self, html: str, url: str | None, context: Context) -> Prepared | None:
        """A page extracted, its language detected and its entities linked."""
        prepared: Prepared | None = await self._run(_prepare_page, html, url, context)
        return prepared

    async def text(self, extracted: Extracted, context: Context) -> Prepared:
        """A feed's text (full text or summary), with its language and its entities."""
        prepared: Prepared = await self._run(_prepare_text, extracted, context)
        return prepared

    async def _run(self, task: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        if self.workers > 1 and (self._pool is not None or self._waiting >= POOL_AFTER):
            try:
                pool = await self._get_pool()
                return await loop.run_in_executor(pool, _in_worker, task, args)
            except BrokenProcessPool:
                # A worker died (killed, out of memory): this entry is prepared here, and the
                # next one gets a new pool.
                self._pool = None
        # here, on a thread of its own, so that the event loop goes on fetching meanwhile
        self._waiting += 1
        try:
            return await loop.run_in_executor(
                self._get_thread(), functools.partial(task, self.linker, *args)
            )
        finally:
            self._waiting -= 1

    def _get_thread(self) -> ThreadPoolExecutor:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare")
        return self._thread

    async def _get_pool(self) -> ProcessPoolExecutor:
        async with self._starting:  # one pool, however many entries ask at once
            if self._pool is None:
                # the linker is built (when this process has none yet) and pickled on a thread:
                # the event loop goes on fetching meanwhile
                linker = await asyncio.to_thread(_pickled, self.linker)
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(os.getpid(), linker),
                )
        return self._pool


def _pickled(linker: Callable[[], Linker]) -> bytes:
    return pickle.dumps(linker(), protocol=pickle.HIGHEST_PROTOCOL)


# --- the tasks (run in a worker, or here) ---------------------------------------------------


def _prepare_page(
    linker: Callable[[], Linker], html: str, url: str | None, context: Context
) -> Prepared | None:
    # the feed gave the title and the date: the page's own are not searched for
    known = context.title.strip() and context.day is not None
    extracted = extract_page(html, url=url, title=context.title if known else None)
    return None if extracted is None else _prepare_text(linker, extracted, context)


def _prepare_text(linker: Callable[[], Linker], extracted: Extracted, context: Context) -> Prepared:
    title = extracted.title or context.title
    text = extracted.text
    language = detect_language(text, prior=context.language or None) or context.language
    day = context.day or (extracted.published.at.date() if extracted.published else None)
    found = {
        "title": _link(linker(), title, day, context.source_org),
        "body": _link(linker(), text, day, context.source_org),
    }
    return Prepared(extracted, title, language or "", found, item_minhash(title, text).tobytes())


def _link(linker: Linker, text: str, day: date | None, org: str | None) -> list[Mention]:
    try:
        return linker.link(text, date=day, source_org=org)
    except LinkInputError:
        return []


# --- the worker process ----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _start_worker(parent: int, linker: bytes) -> None:
    """Runs first in each worker: keep the polling process's linker (pickled, unpickled on
    first use), exit once the polling process is gone."""
    _WORKER["pickled_linker"] = linker

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_linker() -> Linker:
    """The worker's linker: the polling process's, unpickled on first use (a third of the
    cost of building it again) and kept for the round."""
    if "linker" not in _WORKER:
        _WORKER["linker"] = pickle.loads(_WORKER.pop("pickled_linker"))
    linker: Linker = _WORKER["linker"]
    return linker


def _in_worker(task: Callable[..., Any], args: tuple[Any, ...]) -> Any:
    return task(_worker_linker, *args)

"""Storing the entries of a round a few at a time, one transaction for each batch.

Entries come back from the workers one by one, from many sources at once. Each is stored as
before (:func:`tribune.ingest.store.store`: identity, near duplicates, revision, mentions), but
the entries ready within :data:`WAIT_S` of each other share a transaction, up to
:data:`BATCH` of them: a transaction's own cost (begin, commit, the write lock) was a third of
what storing an entry cost on SQLite.

Nothing is lost or doubled by this. A source's state is written only after all its entries are
stored, so a round killed before a batch commits fetches those entries again next time, and
finds the others by URL. If a batch fails, each of its entries is stored again in a
transaction of its own, so one bad entry fails alone, with its own error.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tribune.db.engine import Database
from tribune.ingest.store import Gathered, store
from tribune.understand.mention import Mention

BATCH = 50
WAIT_S = 0.05


@dataclass
class _Pending:
    gathered: Gathered
    found: dict[str, list[Mention]]
    done: asyncio.Future[str]


class BatchStore:
    """Stores entries for the coroutines of one round (one event loop)."""

    def __init__(self, db: Database, *, batch: int = BATCH, wait_s: float = WAIT_S) -> None:
        self.db = db
        self.batch = batch
        self.wait_s = wait_s
        self._pending: list[_Pending] = []
        self._flushing: asyncio.Task[None] | None = None

    async def store(self, gathered: Gathered, found: dict[str, list[Mention]]) -> str:
        """Store one entry with the others ready about now; what happened to it (new, ...)."""
        done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending.append(_Pending(gathered, found, done))
        if len(self._pending) >= self.batch:
            self._write()
        elif self._flushing is None:
            self._flushing = asyncio.create_task(self._flush_soon())
        return await done

    async def _flush_soon(self) -> None:
        try:
            await asyncio.sleep(self.wait_s)
        finally:
            self._flushing = None
        self._write()

    def _write(self) -> None:
        batch, self._pending = self._pending[: self.batch], self._pending[self.batch :]
        if batch:
            try:
                with self.db.write() as conn:
                    outcomes = [store(conn, p.gathered, p.found)[1] for p in batch]
            except Exception:  # one entry's failure: each is tried alone, and fails alone
                for p in batch:
                    self._write_one(p)
            else:
                for p, outcome in zip(batch, outcomes, strict=True):
                    _settle(p.done, outcome)
        if self._pending and self._flushing is None:
            self._flushing = asyncio.create_task(self._flush_soon())

    def _write_one(self, p: _Pending) -> None:
        try:
            with self.db.write() as conn:
                _, outcome = store(conn, p.gathered, p.found)
        except Exception as exc:
            _settle(p.done, exc)
        else:
            _settle(p.done, outcome)


def _settle(done: asyncio.Future[str], outcome: str | Exception) -> None:
    if done.done():  # its coroutine was cancelled meanwhile
        return
    if isinstance(outcome, Exception):
        done.set_exception(outcome)
    else:
        done.set_result(outcome)

"""The kinds stage: each item's guessed kind, stored in ``item_kinds`` (the machine layer).

A run reads items in batches, guesses their kinds (:func:`tribune.understand.kinds.guess_kind`)
and rewrites, per batch and in one transaction, the stage's own rows for those items: their
``item_kinds`` rows and their ``item_stages`` state (``kinds`` at :data:`VERSION`). It never
touches ``items.kind`` (the editor's choice) or ``decisions``; a guess an editor rejected is
stored again by a re-run but not proposed again (:mod:`tribune.newsroom.kinds`). So a run is
idempotent, and a run killed at any moment leaves whole batches behind: the next one goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.tables import item_kinds, items
from tribune.understand import stage_state
from tribune.understand.kinds import VERSION, guess_kinds

STAGE = "kinds"
BATCH = 200


def _write(conn: Connection, batch: list[int]) -> int:
    rows = conn.execute(
        sa.select(items.c.id, items.c.title, items.c.body_text).where(items.c.id.in_(batch))
    ).all()
    guessed = []
    guesses = guess_kinds([(row.title or "", row.body_text or "") for row in rows])
    for row, guess in zip(rows, guesses, strict=True):
        if guess is not None:
            guessed.append(
                {
                    "item_id": row.id,
                    "kind": guess.kind,
                    "confidence": guess.confidence,
                    "evidence": guess.evidence,
                    "version": VERSION,
                }
            )
    conn.execute(sa.delete(item_kinds).where(item_kinds.c.item_id.in_(batch)))
    if guessed:
        conn.execute(sa.insert(item_kinds), guessed)
    stage_state.record(conn, STAGE, VERSION, [r.id for r in rows])
    return len(guessed)


def run(
    db: Database,
    *,
    since: datetime | None = None,
    pending: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Classify the items (all, or those gathered *since*; only the *pending* ones); returns
    (items seen, items given a kind). *progress* is called with (done, total) after each
    batch."""
    with db.read() as conn:
        ids = [
            int(i)
            for i in conn.execute(
                stage_state.candidates(STAGE, VERSION, since=since, pending=pending)
            ).scalars()
        ]
    guessed = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with db.write() as conn:
            guessed += _write(conn, batch)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids), guessed

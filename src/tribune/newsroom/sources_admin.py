"""What editors do to sources: read their health, add one, pause or resume one, try a URL.

These are the newsroom's face of :mod:`tribune.ingest.sources` and :mod:`tribune.ingest.probe`
(the same core functions ``tribune sources list/add/test`` call), with the permissions policy
checked first and the audit log written for every change. A paused source is left alone by
every polling round (``tribune poll --due/--all`` and the scheduler) until it is resumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import sources
from tribune.ingest.probe import Probe, probe
from tribune.ingest.sources import (
    KINDS,
    STATES,
    NewSource,
    SourceError,
    add_source,
    check_url,
    list_sources,
)
from tribune.newsroom import audit
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.reading.orgs import org_labels

__all__ = [
    "KINDS",
    "STATES",
    "SourceError",
    "SourceHealth",
    "SourceNotFound",
    "add",
    "dry_run",
    "health",
    "set_state",
]


class SourceNotFound(LookupError):
    """No source has that public id or URL."""


@dataclass(frozen=True)
class SourceHealth:
    """A source as the dashboard shows it (the fields of ``tribune sources list``)."""

    id: str
    url: str
    title: str
    kind: str
    org_id: str | None
    org_name: str | None
    state: str
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    error_count: int
    next_check_at: datetime | None
    items_30d: int

    @property
    def failing(self) -> bool:
        return self.error_count > 0


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def health(db: Database, *, now: datetime | None = None) -> list[SourceHealth]:
    """Every source with its health: failing first (most errors in a row, then the most
    recently failed), then the others in the order they were added."""
    rows = list_sources(db, now=now)
    with db.read() as conn:
        names = org_labels(conn, {r["org_id"] for r in rows if r["org_id"]})
    found = [
        SourceHealth(
            id=r["id"],
            url=r["url"],
            title=r["title"],
            kind=r["kind"],
            org_id=r["org_id"],
            org_name=names[r["org_id"]].name if r["org_id"] in names else None,
            state=r["state"],
            last_success_at=_when(r["last_success_at"]),
            last_error=r["last_error"],
            last_error_at=_when(r["last_error_at"]),
            error_count=int(r["error_count"] or 0),
            next_check_at=_when(r["next_check_at"]),
            items_30d=int(r["items_30d"] or 0),
        )
        for r in rows
    ]
    # stable: sources that never failed keep list_sources' order (the order they were added)
    found.sort(
        key=lambda s: (
            -s.error_count,
            s.last_error_at is None,
            -s.last_error_at.timestamp() if s.last_error_at else 0.0,
        )
    )
    return found


def add(db: Database, actor: Actor, url: str, org_id: str, kind: str = "auto") -> str:
    """Store a source without fetching it, as ``tribune sources add``; returns its public id."""
    POLICY.require(actor, Action.MANAGE_SOURCES)
    org_id = org_id.strip()
    if not org_id:
        raise SourceError("give the id of the organisation the source belongs to")
    public_id = add_source(db, NewSource(url=url, org_id=org_id, kind=kind.strip()))
    with db.write() as conn:
        row = conn.execute(sa.select(sources).where(sources.c.public_id == public_id)).mappings()
        stored = row.one()
        after = {k: stored[k] for k in ("url", "kind", "org_id", "state", "rights")}
        audit.record(conn, actor, "source.add", "sources", public_id, None, after)
    return public_id


def set_state(db: Database, actor: Actor, source: str, state: str) -> bool:
    """Pause or resume the source with public id or URL *source*; whether it changed."""
    POLICY.require(actor, Action.MANAGE_SOURCES)
    if state not in STATES:
        raise SourceError(f"unknown state {state!r}: use one of {', '.join(STATES)}")
    source = source.strip()
    with db.write() as conn:
        row = conn.execute(
            sa.select(sources.c.id, sources.c.public_id, sources.c.state)
            .where(sa.or_(sources.c.public_id == source, sources.c.url == source))
            .with_for_update()
        ).first()
        if row is None:
            raise SourceNotFound(f"no source {source!r}")
        if row.state == state:
            return False
        conn.execute(sources.update().where(sources.c.id == row.id).values(state=state))
        action = "source.pause" if state == "paused" else "source.resume"
        audit.record(
            conn, actor, action, "sources", row.public_id, {"state": row.state}, {"state": state}
        )
    return True


def dry_run(
    actor: Actor,
    url: str,
    *,
    kind: str = "auto",
    recipe: dict[str, Any] | None = None,
    settings: Settings | None = None,
) -> Probe:
    """What polling *url* would ingest, and why, as ``tribune sources test``; nothing is stored.

    It fetches through the guarded client (:mod:`tribune.ingest.fetch`), so it needs the same
    right as adding a source.
    """
    POLICY.require(actor, Action.MANAGE_SOURCES)
    url = check_url(url)
    if kind not in KINDS:
        raise SourceError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return probe(url, settings, kind=kind, recipe=recipe)

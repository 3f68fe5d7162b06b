"""The audit log: who did what to which row, when, with the row before and after."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import audit_log
from tribune.db.types import utcnow
from tribune.newsroom.policy import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    table: str,
    row_id: object,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Write one entry, in the transaction of the change it describes."""
    conn.execute(
        audit_log.insert().values(
            user_id=actor.user_id,
            actor=actor.label,
            action=action,
            table_name=table,
            row_id=str(row_id),
            before=_plain(dict(before)) if before is not None else None,
            after=_plain(dict(after)) if after is not None else None,
            created_at=utcnow(),
        )
    )


@dataclass(frozen=True)
class Entry:
    id: int
    actor: str
    action: str
    table: str
    row_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    created_at: datetime


def entries(conn: Connection, *, limit: int = 100, before_id: int | None = None) -> list[Entry]:
    """The newest entries first; *before_id* pages back."""
    query = sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(audit_log.c.id < before_id)
    return [
        Entry(r.id, r.actor, r.action, r.table_name, r.row_id, r.before, r.after, r.created_at)
        for r in conn.execute(query)
    ]

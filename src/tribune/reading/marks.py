"""Markers listings show on items: "New signatures updated" on a joint statement whose list
grew (an editor added signatures, or the signatures stage found them in a later revision of the
statement or a copy on another site).

A statement carries the marker when signatures were added after its first day, until
:data:`NEW_SIGNATURES_DAYS` days after the latest addition.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import joint_statements, signatures
from tribune.db.types import utcnow

NEW_SIGNATURES_DAYS = 30


def with_new_signatures(conn: Connection, item_ids: Iterable[int]) -> set[int]:
    """Of *item_ids*, the joint statements with recent additions after their first day."""
    wanted = list(item_ids)
    if not wanted:
        return set()
    rows = conn.execute(
        sa.select(
            joint_statements.c.item_id,
            sa.func.min(signatures.c.added_at).label("first"),
            sa.func.max(signatures.c.added_at).label("last"),
        )
        .join(signatures, signatures.c.joint_statement_id == joint_statements.c.id)
        .where(joint_statements.c.item_id.in_(wanted))
        .group_by(joint_statements.c.item_id)
    ).all()
    recent = utcnow() - timedelta(days=NEW_SIGNATURES_DAYS)
    return {r.item_id for r in rows if r.last.date() > r.first.date() and r.last >= recent}

"""Joint statements as readers see them: the text, the signatories grouped as the statement
groups them, and the dated history of additions.

"New signatures" marks a statement whose list grew after its first day
(:mod:`tribune.reading.marks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import items, joint_statements, signatures
from tribune.reading.item import ItemView, item_view
from tribune.reading.marks import with_new_signatures
from tribune.reading.orgs import OrgLabel, org_labels


@dataclass(frozen=True)
class Signatory:
    org: OrgLabel | None
    raw_name: str
    group: str
    added_at: datetime
    evidence: str

    @property
    def name(self) -> str:
        return self.org.name if self.org else self.raw_name


@dataclass(frozen=True)
class JointView:
    public_id: str
    item: ItemView
    initiators: list[OrgLabel]
    signatories: list[Signatory]
    new_signatures: bool

    @property
    def groups(self) -> list[tuple[str, list[Signatory]]]:
        """Signatories by group, groups in order of first appearance."""
        found: dict[str, list[Signatory]] = {}
        for s in self.signatories:
            found.setdefault(s.group, []).append(s)
        return list(found.items())

    @property
    def history(self) -> list[tuple[date, list[Signatory]]]:
        """Additions by the day they were added, oldest first."""
        found: dict[date, list[Signatory]] = {}
        for s in self.signatories:
            found.setdefault(s.added_at.date(), []).append(s)
        return sorted(found.items())


def find_joint(conn: Connection, public_id: str) -> JointView | None:
    """A joint statement whose item is published, by its public id or its item's public id."""
    row = conn.execute(
        sa.select(joint_statements, items.c.public_id.label("item_public_id"))
        .join(items, items.c.id == joint_statements.c.item_id)
        .where(
            sa.or_(joint_statements.c.public_id == public_id, items.c.public_id == public_id),
            items.c.status == "published",
        )
    ).first()
    if row is None:
        return None
    rows = signature_rows(conn, row.id)
    labels = org_labels(conn, [r.org_id for r in rows if r.org_id] + list(row.initiators))
    found = [
        Signatory(
            labels.get(r.org_id) if r.org_id else None,
            r.raw_name or (r.org_id or ""),
            r.group_name,
            r.added_at,
            r.evidence,
        )
        for r in rows
    ]
    return JointView(
        public_id=row.public_id,
        item=item_view(conn, row.item_id),
        initiators=[labels[i] for i in row.initiators if i in labels],
        signatories=found,
        new_signatures=bool(with_new_signatures(conn, [row.item_id])),
    )


def list_joint(conn: Connection, *, org_id: str | None = None, limit: int = 50) -> list[JointView]:
    """Published joint statements, newest first; with *org_id*, those it signed."""
    query = (
        sa.select(joint_statements.c.public_id)
        .join(items, items.c.id == joint_statements.c.item_id)
        .where(items.c.status == "published")
        .order_by(items.c.published_at.desc(), items.c.id.desc())
        .limit(limit)
    )
    if org_id:
        query = query.where(
            joint_statements.c.id.in_(
                sa.select(signatures.c.joint_statement_id).where(signatures.c.org_id == org_id)
            )
        )
    views = [find_joint(conn, p) for p in conn.execute(query).scalars()]
    return [v for v in views if v is not None]


def signature_rows(conn: Connection, joint_statement_id: int) -> list[Any]:
    """The signatures of a joint statement, in the order they were added."""
    return list(
        conn.execute(
            sa.select(signatures)
            .where(signatures.c.joint_statement_id == joint_statement_id)
            .order_by(signatures.c.added_at, signatures.c.id)
        ).all()
    )

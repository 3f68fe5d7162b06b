"""Co-signature figures, for research: how many joint statements each pair of organisations
signed together, and each organisation's signing history.

Only joint statements whose item is published count, as everywhere readers look. A signatory
is counted by its KB id: a name kept raw (not resolved yet) has none and is left out until an
editor resolves it. A statement counts once for a pair however many times the pair's names
appear on its list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import items, joint_statements, signatures
from tribune.reading.orgs import OrgLabel, org_labels


@dataclass(frozen=True)
class Pair:
    first: OrgLabel
    second: OrgLabel
    statements: int  # joint statements both signed
    latest: datetime | None  # the date of the latest of them


@dataclass(frozen=True)
class Signing:
    """One joint statement an organisation signed."""

    joint_public_id: str
    item_public_id: str
    title: str
    published_at: datetime | None
    signed_at: datetime  # when the signature was added to the list
    group: str
    evidence: str
    signatories: int  # how many the statement's list holds


def pairs(
    conn: Connection, *, org_id: str | None = None, limit: int = 100, offset: int = 0
) -> list[Pair]:
    """Pairs of organisations by the number of published joint statements they signed
    together, most first (ties by id). With *org_id*, that organisation's pairs, it first."""
    one, two = signatures.alias("one"), signatures.alias("two")
    statement = one.c.joint_statement_id
    query = (
        sa.select(
            one.c.org_id.label("first"),
            two.c.org_id.label("second"),
            sa.func.count(sa.distinct(statement)).label("statements"),
            sa.func.max(items.c.published_at).label("latest"),
        )
        .select_from(
            one.join(two, two.c.joint_statement_id == statement)
            .join(joint_statements, joint_statements.c.id == statement)
            .join(items, items.c.id == joint_statements.c.item_id)
        )
        .where(
            items.c.status == "published",
            one.c.org_id.is_not(None),
            two.c.org_id.is_not(None),
        )
        .group_by(one.c.org_id, two.c.org_id)
        .order_by(sa.desc("statements"), one.c.org_id, two.c.org_id)
        .limit(limit)
        .offset(offset)
    )
    if org_id:
        query = query.where(one.c.org_id == org_id, two.c.org_id != org_id)
    else:
        query = query.where(one.c.org_id < two.c.org_id)
    rows = conn.execute(query).all()
    labels = org_labels(conn, {r.first for r in rows} | {r.second for r in rows})
    return [
        Pair(labels[r.first], labels[r.second], int(r.statements), r.latest)
        for r in rows
        if r.first in labels and r.second in labels
    ]


def signing_history(
    conn: Connection, org_id: str, *, limit: int = 100, offset: int = 0
) -> list[Signing]:
    """The published joint statements *org_id* signed, the latest signature first."""
    listed = signatures.alias("listed")
    size = (
        sa.select(sa.func.count())
        .select_from(listed)
        .where(listed.c.joint_statement_id == joint_statements.c.id)
        .scalar_subquery()
    )
    rows = conn.execute(
        sa.select(
            joint_statements.c.public_id.label("joint"),
            items.c.public_id.label("item"),
            items.c.title,
            items.c.published_at,
            signatures.c.added_at,
            signatures.c.group_name,
            signatures.c.evidence,
            size.label("signatories"),
        )
        .select_from(
            signatures.join(
                joint_statements, joint_statements.c.id == signatures.c.joint_statement_id
            ).join(items, items.c.id == joint_statements.c.item_id)
        )
        .where(signatures.c.org_id == org_id, items.c.status == "published")
        .order_by(signatures.c.added_at.desc(), signatures.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        Signing(
            r.joint,
            r.item,
            r.title,
            r.published_at,
            r.added_at,
            r.group_name,
            r.evidence,
            int(r.signatories),
        )
        for r in rows
    ]

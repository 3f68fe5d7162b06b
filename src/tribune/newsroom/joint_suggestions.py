"""Editors' answers to the joint statements the signatures stage found: accept one (the item
becomes a joint statement with the list the machine read) or reject it (it is not proposed
again, after any re-run).

A detection is proposed while its item is in the inbox or published, is not a joint statement
yet, has no other kind set by an editor, and no editor rejected it. Each answer is a row of
``decisions`` (subject ``("joint", item public id)``) and writes the audit log. Accepting marks
the item (:func:`tribune.newsroom.signatures.mark_in`) and records every signer of the list,
in one transaction: a KB organisation where the linker resolved one, the name as printed
otherwise (kept raw for an editor to resolve), each with the date its text was fetched (the
statement's own date for its first text) and its evidence (the statement's page, a later
revision of it, or a copy on another site).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import decisions, items, joint_detections, joint_statements
from tribune.db.types import new_public_id, utcnow
from tribune.newsroom import audit
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.newsroom.signatures import MAX_NAME, JointRef, SignatureError, mark_in, sign_in
from tribune.reading.orgs import OrgLabel, org_labels
from tribune.understand.joint_stage import Seen

SUBJECT = "joint"
OPEN_STATUSES = ("inbox", "published")


class SuggestionError(ValueError):
    """No joint statement is proposed for that item (any more)."""


@dataclass(frozen=True)
class SuggestedSigner:
    name: str  # as printed
    group: str
    org: OrgLabel | None  # None: not resolved, kept raw
    seen_at: datetime
    evidence: str  # "" for the statement's first text

    @property
    def later(self) -> bool:
        """Carried only by a later revision or a copy."""
        return bool(self.evidence)


@dataclass(frozen=True)
class JointSuggestion:
    item_id: int
    public_id: str  # the item's
    title: str
    url: str
    status: str
    published_at: datetime | None
    confidence: float
    evidence: str
    version: str
    signers: list[SuggestedSigner]

    @property
    def resolved(self) -> int:
        return sum(1 for s in self.signers if s.org is not None)

    @property
    def raw(self) -> int:
        return len(self.signers) - self.resolved


def _rejected(conn: Connection, public_ids: list[str]) -> set[str]:
    if not public_ids:
        return set()
    return set(
        conn.execute(
            sa.select(decisions.c.subject_id).where(
                decisions.c.subject_type == SUBJECT,
                decisions.c.action == "reject",
                decisions.c.subject_id.in_(public_ids),
            )
        ).scalars()
    )


def pending(
    conn: Connection, ids: list[int] | None = None, *, limit: int = 200
) -> list[JointSuggestion]:
    """The joint statements to propose (of the items *ids*, or all), newest gathered first."""
    query = (
        sa.select(
            items.c.id,
            items.c.public_id,
            items.c.title,
            items.c.url,
            items.c.status,
            items.c.published_at,
            joint_detections.c.confidence,
            joint_detections.c.evidence,
            joint_detections.c.version,
            joint_detections.c.signers,
        )
        .join(joint_detections, joint_detections.c.item_id == items.c.id)
        .where(
            items.c.status.in_(OPEN_STATUSES),
            items.c.duplicate_of.is_(None),
            sa.or_(items.c.kind.is_(None), items.c.kind == "joint-statement"),
            items.c.id.not_in(sa.select(joint_statements.c.item_id)),
        )
        .order_by(items.c.fetched_at.desc(), items.c.id.desc())
        .limit(limit)
    )
    if ids is not None:
        if not ids:
            return []
        query = query.where(items.c.id.in_(ids))
    rows = conn.execute(query).all()
    rejected = _rejected(conn, [r.public_id for r in rows])
    rows = [r for r in rows if r.public_id not in rejected]
    seen = {r.id: [Seen.from_json(s) for s in r.signers or []] for r in rows}
    labels = org_labels(conn, {s.org_id for found in seen.values() for s in found if s.org_id})
    return [
        JointSuggestion(
            item_id=int(r.id),
            public_id=r.public_id,
            title=r.title,
            url=r.url,
            status=r.status,
            published_at=r.published_at,
            confidence=float(r.confidence),
            evidence=r.evidence,
            version=r.version,
            signers=[
                SuggestedSigner(
                    s.name,
                    s.group,
                    labels.get(s.org_id) if s.org_id else None,
                    s.seen_at,
                    s.evidence,
                )
                for s in seen[r.id]
            ],
        )
        for r in rows
    ]


def by_item(conn: Connection, ids: list[int]) -> dict[int, JointSuggestion]:
    """:func:`pending` for an inbox page: the suggestion of each of *ids* that has one."""
    return {s.item_id: s for s in pending(conn, ids, limit=max(1, len(ids)))}


def _proposed(conn: Connection, public_id: str) -> JointSuggestion:
    item_id = conn.execute(sa.select(items.c.id).where(items.c.public_id == public_id)).scalar()
    if item_id is None:
        raise SuggestionError(f"no item {public_id!r}")
    found = pending(conn, [int(item_id)], limit=1)
    if not found:
        raise SuggestionError("no joint statement is proposed for this item")
    return found[0]


def _decide(conn: Connection, actor: Actor, found: JointSuggestion, verb: str) -> None:
    conn.execute(
        sa.insert(decisions).values(
            public_id=new_public_id(),
            subject_type=SUBJECT,
            subject_id=found.public_id,
            action=verb,
            payload={
                "version": found.version,
                "confidence": found.confidence,
                "signers": len(found.signers),
            },
            user_id=actor.user_id,
            created_at=utcnow(),
        )
    )


def accept(db: Database, actor: Actor, public_id: str) -> JointRef:
    """Make the item a joint statement with the signers the machine read, in one transaction;
    :class:`SuggestionError` when none is proposed."""
    POLICY.require(actor, Action.EDIT_SIGNATURES)
    with db.write() as conn:
        found = _proposed(conn, public_id)
        ref = mark_in(conn, actor, public_id)
        known = set(org_labels(conn, {s.org.id for s in found.signers if s.org}))
        signed = 0
        for s in found.signers:
            org_id = s.org.id if s.org and s.org.id in known else None
            try:
                sign_in(
                    conn,
                    actor,
                    ref.public_id,
                    org_id=org_id,
                    raw_name=s.name[:MAX_NAME],
                    group=s.group,
                    when=s.seen_at,
                    evidence=s.evidence or f"the statement's page, {found.url}",
                )
            except SignatureError:  # a name the list gives twice
                continue
            signed += 1
        _decide(conn, actor, found, "accept")
        audit.record(
            conn,
            actor,
            "joint.accept",
            "joint_statements",
            ref.public_id,
            None,
            {"item": public_id, "signatures": signed, "version": found.version},
        )
        generation.bump(conn)
    return ref


def reject(db: Database, actor: Actor, public_id: str) -> None:
    """Never propose this item as a joint statement again."""
    POLICY.require(actor, Action.EDIT_SIGNATURES)
    with db.write() as conn:
        found = _proposed(conn, public_id)
        _decide(conn, actor, found, "reject")
        audit.record(
            conn, actor, "joint.reject", "items", public_id, None, {"version": found.version}
        )

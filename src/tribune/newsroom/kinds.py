"""Editors' answers to the kinds stage's guesses: accept one (the item takes that kind) or
reject it (it is not proposed again, after any re-run).

The guess is machine output in ``item_kinds``; the item's kind (``items.kind``) is the editor's.
A guess is proposed while the item has no kind and no editor rejected that kind for it. Each
answer is a row of ``decisions`` (subject ``("kind", item public id)``, payload ``{"kind": ...}``)
and writes the audit log; accepting also sets the kind, through the same path as an edit.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.tables import decisions, item_kinds, items
from tribune.db.types import new_public_id, utcnow
from tribune.newsroom import audit
from tribune.newsroom import items as editorial
from tribune.newsroom.policy import POLICY, Action, Actor

SUBJECT = "kind"


@dataclass(frozen=True)
class KindSuggestion:
    kind: str
    confidence: float
    evidence: str


def _rejected(conn: Connection, public_ids: list[str]) -> set[tuple[str, str]]:
    """(item public id, kind) pairs an editor rejected."""
    rows = conn.execute(
        sa.select(decisions.c.subject_id, decisions.c.payload).where(
            decisions.c.subject_type == SUBJECT,
            decisions.c.action == "reject",
            decisions.c.subject_id.in_(public_ids),
        )
    )
    return {(str(subject), str((payload or {}).get("kind"))) for subject, payload in rows}


def suggested_kinds(conn: Connection, ids: list[int]) -> dict[int, KindSuggestion]:
    """The guess to propose for each of *ids* (items without a kind, guess not rejected)."""
    if not ids:
        return {}
    rows = conn.execute(
        sa.select(
            items.c.id,
            items.c.public_id,
            item_kinds.c.kind,
            item_kinds.c.confidence,
            item_kinds.c.evidence,
        )
        .join(item_kinds, item_kinds.c.item_id == items.c.id)
        .where(items.c.id.in_(ids), items.c.kind.is_(None))
    ).all()
    rejected = _rejected(conn, [r.public_id for r in rows])
    return {
        int(r.id): KindSuggestion(r.kind, float(r.confidence), r.evidence or "")
        for r in rows
        if (r.public_id, r.kind) not in rejected
    }


def answer(db: Database, actor: Actor, public_id: str, *, accept: bool) -> editorial.Change:
    """Accept or reject the kind proposed for an item, in one transaction;
    :class:`editorial.EditError` when none is proposed (any more)."""
    POLICY.require(actor, Action.EDIT_ITEMS)
    verb = "accept" if accept else "reject"
    with db.write() as conn:
        row = conn.execute(sa.select(items).where(items.c.public_id == public_id)).first()
        if row is None:
            raise editorial.ItemNotFound(f"no item {public_id!r}")
        proposed = suggested_kinds(conn, [int(row.id)]).get(int(row.id))
        if proposed is None:
            raise editorial.EditError("no kind is proposed for this item")
        conn.execute(
            sa.insert(decisions).values(
                public_id=new_public_id(),
                subject_type=SUBJECT,
                subject_id=public_id,
                action=verb,
                payload={"kind": proposed.kind, "confidence": proposed.confidence},
                user_id=actor.user_id,
                created_at=utcnow(),
            )
        )
        if accept:
            return editorial.give_kind(conn, actor, public_id, proposed.kind, "kind.accept")
        audit.record(conn, actor, "kind.reject", "items", public_id, None, {"kind": proposed.kind})
        return editorial.Change(row.public_id, row.status, bool(row.featured))

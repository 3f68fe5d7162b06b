"""Joint statements: an editor marks an item as one, records its initiators, adds signatories.

The list of signatories is a history: each signature is a row with the date it was added, the
group the statement puts it in ("SolidNet parties", "Youth organisations"...) and its evidence
(an editor's entry, a revision, another site's copy). A signatory is a KB organisation or, when
it cannot be resolved, the raw name as printed, kept for an editor to resolve later. A signatory
an editor takes off the list is remembered in ``decisions``: the signatures stage never records
it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import decisions, items, joint_statements, organizations, signatures
from tribune.db.types import new_public_id, utcnow
from tribune.newsroom import audit
from tribune.newsroom.policy import POLICY, Action, Actor

MAX_NAME, MAX_GROUP = 400, 200
SIGNATURE_SUBJECT = "signature"  # decisions about one signatory of a statement


class SignatureError(ValueError):
    """A joint-statement change that cannot be made as asked."""


@dataclass(frozen=True)
class JointRef:
    id: int
    public_id: str
    item_public_id: str


def _known_orgs(conn: Connection, ids: list[str]) -> None:
    found = set(
        conn.execute(sa.select(organizations.c.id).where(organizations.c.id.in_(ids))).scalars()
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise SignatureError(f"no organisation {missing[0]!r} in the KB")


def _joint(conn: Connection, public_id: str) -> sa.Row[tuple[object, ...]]:
    row = conn.execute(
        sa.select(joint_statements).where(joint_statements.c.public_id == public_id)
    ).first()
    if row is None:
        raise SignatureError(f"no joint statement {public_id!r}")
    return row


def mark_joint(
    db: Database, actor: Actor, item_public_id: str, initiators: list[str] | None = None
) -> JointRef:
    """Make the item a joint statement (idempotent) with its initiators (organisation ids)."""
    POLICY.require(actor, Action.EDIT_SIGNATURES)
    with db.write() as conn:
        return mark_in(conn, actor, item_public_id, initiators)


def mark_in(
    conn: Connection, actor: Actor, item_public_id: str, initiators: list[str] | None = None
) -> JointRef:
    """:func:`mark_joint` in the caller's transaction (the caller checked the policy)."""
    wanted = list(dict.fromkeys(i.strip() for i in initiators or [] if i.strip()))
    item = conn.execute(sa.select(items.c.id).where(items.c.public_id == item_public_id)).first()
    if item is None:
        raise SignatureError(f"no item {item_public_id!r}")
    _known_orgs(conn, wanted)
    row = conn.execute(
        sa.select(joint_statements).where(joint_statements.c.item_id == item.id)
    ).first()
    if row is None:
        public_id = new_public_id()
        joint_id = conn.execute(
            joint_statements.insert().values(
                public_id=public_id, item_id=item.id, initiators=wanted, created_at=utcnow()
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        audit.record(
            conn,
            actor,
            "joint.mark",
            "joint_statements",
            public_id,
            None,
            {"item": item_public_id, "initiators": wanted},
        )
    else:
        public_id, joint_id = row.public_id, row.id
        if initiators is not None and list(row.initiators) != wanted:
            conn.execute(
                joint_statements.update()
                .where(joint_statements.c.id == row.id)
                .values(initiators=wanted)
            )
            audit.record(
                conn,
                actor,
                "joint.initiators",
                "joint_statements",
                public_id,
                {"initiators": row.initiators},
                {"initiators": wanted},
            )
    # marking again puts back the kind an edit may have changed: listings mark by kind
    conn.execute(
        items.update()
        .where(
            items.c.id == item.id,
            sa.or_(items.c.kind.is_(None), items.c.kind != "joint-statement"),
        )
        .values(kind="joint-statement")
    )
    generation.bump(conn)
    return JointRef(int(joint_id), public_id, item_public_id)


def add_signature(
    db: Database,
    actor: Actor,
    joint_public_id: str,
    *,
    org_id: str | None = None,
    raw_name: str = "",
    group: str = "",
    added_on: date | None = None,
    evidence: str = "editor",
) -> int:
    """Add a signatory (a KB organisation, or a raw name) on *added_on* (default today)."""
    POLICY.require(actor, Action.EDIT_SIGNATURES)
    # a day ahead of UTC is still "today" somewhere; later dates would keep the marker up
    if added_on and added_on > utcnow().date() + timedelta(days=1):
        raise SignatureError("a signature cannot be added on a day still to come")
    when = datetime.combine(added_on, datetime.min.time(), tzinfo=UTC) if added_on else utcnow()
    with db.write() as conn:
        signature_id = sign_in(
            conn,
            actor,
            joint_public_id,
            org_id=org_id,
            raw_name=raw_name,
            group=group,
            when=when,
            evidence=evidence,
        )
        generation.bump(conn)
    return signature_id


def signer_key(org_id: str | None, raw_name: str) -> str:
    """What makes two signatures of one statement the same signatory: the organisation, or
    the name as printed (spaces and case aside) when it is not resolved."""
    return org_id or "raw:" + " ".join(raw_name.split()).casefold()


def sign_in(
    conn: Connection,
    actor: Actor,
    joint_public_id: str,
    *,
    org_id: str | None = None,
    raw_name: str = "",
    group: str = "",
    when: datetime,
    evidence: str = "editor",
) -> int:
    """Add a signatory in the caller's transaction (the caller checked the policy and bumps
    the generation); :class:`SignatureError` when it is on the list already."""
    org_id = (org_id or "").strip() or None
    raw_name = " ".join(raw_name.split())
    group = " ".join(group.split())
    if not org_id and not raw_name:
        raise SignatureError("give an organisation from the KB or the name as printed")
    if len(raw_name) > MAX_NAME or len(group) > MAX_GROUP:
        raise SignatureError("the name or the group is too long")
    joint = _joint(conn, joint_public_id)
    if org_id:
        _known_orgs(conn, [org_id])
        same = signatures.c.org_id == org_id
    else:
        same = sa.and_(signatures.c.org_id.is_(None), signatures.c.raw_name == raw_name)
    if conn.execute(
        sa.select(signatures.c.id).where(signatures.c.joint_statement_id == joint.id, same)
    ).first():
        raise SignatureError("this signatory is on the list already")
    signature_id = conn.execute(
        signatures.insert().values(
            joint_statement_id=joint.id,
            org_id=org_id,
            raw_name=raw_name,
            group_name=group,
            added_at=when,
            evidence=evidence[:2000],
            version=None,
        )
    ).inserted_primary_key[0]  # type: ignore[index]
    audit.record(
        conn,
        actor,
        "joint.sign",
        "signatures",
        signature_id,
        None,
        {
            "joint_statement": joint_public_id,
            "org_id": org_id,
            "raw_name": raw_name,
            "group": group,
            "added_at": when,
        },
    )
    return int(signature_id)


def remove_signature(db: Database, actor: Actor, joint_public_id: str, signature_id: int) -> None:
    """Take a signatory off the list (an editor's or the signatures stage's), and remember it
    in ``decisions`` (subject ``("signature", joint statement public id)``, payload the
    signatory's key), so the stage never records it again."""
    POLICY.require(actor, Action.EDIT_SIGNATURES)
    with db.write() as conn:
        joint = _joint(conn, joint_public_id)
        row = conn.execute(
            sa.select(signatures).where(
                signatures.c.id == signature_id, signatures.c.joint_statement_id == joint.id
            )
        ).first()
        if row is None:
            raise SignatureError(f"no signature {signature_id} on this joint statement")
        conn.execute(sa.delete(signatures).where(signatures.c.id == row.id))
        before = {
            "joint_statement": joint_public_id,
            "org_id": row.org_id,
            "raw_name": row.raw_name,
            "group": row.group_name,
            "added_at": row.added_at,
            "evidence": row.evidence,
            "version": row.version,
        }
        conn.execute(
            sa.insert(decisions).values(
                public_id=new_public_id(),
                subject_type=SIGNATURE_SUBJECT,
                subject_id=joint_public_id,
                action="remove",
                payload={
                    "key": signer_key(row.org_id, row.raw_name),
                    "org_id": row.org_id,
                    "raw_name": row.raw_name,
                },
                user_id=actor.user_id,
                created_at=utcnow(),
            )
        )
        audit.record(conn, actor, "joint.unsign", "signatures", row.id, before, None)
        generation.bump(conn)


def removed_keys(conn: Connection, joint_public_id: str) -> set[str]:
    """The signatories editors took off the statement's list (:func:`signer_key`)."""
    rows = conn.execute(
        sa.select(decisions.c.payload).where(
            decisions.c.subject_type == SIGNATURE_SUBJECT,
            decisions.c.subject_id == joint_public_id,
            decisions.c.action == "remove",
        )
    ).scalars()
    return {str((payload or {}).get("key")) for payload in rows}

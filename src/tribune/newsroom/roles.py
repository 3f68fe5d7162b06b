"""Editors' answers to the roles stage's claims: accept one (the KB gains the role) or reject it
(it is not proposed again, after any re-run).

A claim (``role_claims``, machine output) is proposed while no editor answered it and the KB
does not already say it: a role of the same person, organisation and title (by title key, so the
seed's "General Secretary of the Central Committee" covers a "General Secretary" claim) whose
term covers the item's date makes the claim redundant. A person the KB does not know is looked
up by the id a new person of that name would get (:func:`person_key`), so a person added by one
accepted claim is the same person in the next.

Each answer is a ``decisions`` row (subject ``("role", claim key)``, the key being stable across
re-runs) and writes the audit log, in one transaction with what it changes. Accepting writes,
through the KB's own write path (:mod:`tribune.kb.edit`), the person when new and a role with the
title's English label from the item's date, with the origin ``suggestion:<key>`` that ``kb load``
never overwrites; a role of that person already there but starting later starts earlier instead.
It ends an earlier holder's term (``end`` = the new start) only when the editor asks for it: an
article may name a co-leader, an acting holder or a holder of another body of the same name.

Answers need the right to edit items (:attr:`Action.EDIT_ITEMS`): like a kind or an entity, a
role is what an item says, and the editor who reads the item answers for it; the KB rows it
writes say which suggestion they came from.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import decisions, items, organizations, people, role_claims, roles
from tribune.db.types import new_public_id, utcnow
from tribune.kb.edit import insert_person, insert_role, set_role_end, set_role_start
from tribune.newsroom import audit
from tribune.newsroom.items import EditError
from tribune.newsroom.kb_admin import person_id_for
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.understand.titles import label_of, title_key

__all__ = [
    "SUBJECT",
    "Answer",
    "ClaimNotFound",
    "Holder",
    "RoleSuggestion",
    "answer",
    "by_item",
    "pending",
    "person_key",
]

SUBJECT = "role"
LIMIT = 200


class ClaimNotFound(LookupError):
    """No role claim has that id."""


@dataclass(frozen=True)
class Holder:
    """A term accepting a claim may end: another person's, covering the claim's date."""

    role_id: int
    person_id: str
    person_name: str
    title: str
    start: date | None


@dataclass(frozen=True)
class RoleSuggestion:
    id: str  # the claim's key: its public, stable id
    item_id: int
    item_public_id: str
    item_title: str
    person_id: str | None  # the KB's person, when known
    person_name: str
    org_id: str
    org_name: str
    title: str  # a title key
    title_label: str
    title_surface: str
    evidence: str
    claimed_on: date
    confidence: float
    earlier: tuple[Holder, ...] = field(default=())


@dataclass(frozen=True)
class Answer:
    id: str
    action: str  # accept, reject
    person_id: str | None = None
    role_id: int | None = None
    ended: tuple[int, ...] = ()  # the earlier holders' roles whose term was ended


_LATIN = str.maketrans(
    {
        **dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split(), strict=True)),  # noqa: E501
        **dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya".split(), strict=True)),  # noqa: E501
        "ı": "i",
        "_": "",
    }
)  # fmt: skip


def person_key(name: str) -> str:
    """The id a new person called *name* gets, in Latin letters whatever the script:
    "Kemal Okuyan" → ``kemal-okuyan``, "Δημήτρης Κουτσούμπας" → ``dimitris-koutsoumpas``."""
    plain = "".join(
        c for c in unicodedata.normalize("NFD", name.lower()) if not unicodedata.combining(c)
    )
    plain = plain.replace("ου", "ou").translate(_LATIN).replace("_", "")
    return person_id_for(plain)


def _covers(start: date | None, end: date | None, day: date) -> bool:
    return (start is None or start <= day) and (end is None or day < end)


def _suggestions(
    conn: Connection, where: list[sa.ColumnElement[bool]], limit: int | None
) -> list[RoleSuggestion]:
    rows = conn.execute(
        sa.select(
            role_claims,
            items.c.public_id.label("item_public_id"),
            items.c.title.label("item_title"),
            organizations.c.name_en.label("org_name"),
        )
        .join(items, items.c.id == role_claims.c.item_id)
        .outerjoin(organizations, organizations.c.id == role_claims.c.org_id)
        .where(items.c.status != "duplicate", *where)
        .order_by(role_claims.c.claimed_on.desc(), role_claims.c.id)
    ).all()
    if not rows:
        return []
    answered = set(
        conn.execute(
            sa.select(decisions.c.subject_id).where(
                decisions.c.subject_type == SUBJECT,
                decisions.c.subject_id.in_([r.key for r in rows]),
            )
        ).scalars()
    )
    rows = [r for r in rows if r.key not in answered]
    wanted = {r.person_id or person_key(r.person_name) for r in rows}
    known = set(conn.execute(sa.select(people.c.id).where(people.c.id.in_(wanted))).scalars())
    held = conn.execute(
        sa.select(roles, people.c.name.label("person_name"))
        .join(people, people.c.id == roles.c.person_id)
        .where(roles.c.org_id.in_({r.org_id for r in rows}))
        .order_by(roles.c.start, roles.c.id)
    ).all()
    by_title: dict[tuple[str, str], list[Any]] = {}
    for h in held:
        key = title_key(h.title)
        if key is not None:
            by_title.setdefault((h.org_id, key), []).append(h)
    out: list[RoleSuggestion] = []
    for r in rows:
        person = r.person_id or person_key(r.person_name)
        person_id = person if person in known else None
        same_title = by_title.get((r.org_id, r.title), [])
        if any(
            h.person_id == person_id and _covers(h.start, h.end, r.claimed_on) for h in same_title
        ):
            continue  # the KB says so already
        earlier = tuple(
            Holder(h.id, h.person_id, h.person_name, h.title, h.start)
            for h in same_title
            if h.person_id != person_id
            and (h.start is None or h.start < r.claimed_on)
            and (h.end is None or h.end > r.claimed_on)
        )
        out.append(
            RoleSuggestion(
                id=r.key,
                item_id=r.item_id,
                item_public_id=r.item_public_id,
                item_title=r.item_title or "",
                person_id=person_id,
                person_name=r.person_name,
                org_id=r.org_id,
                org_name=r.org_name or r.org_id,
                title=r.title,
                title_label=label_of(r.title),
                title_surface=r.title_surface,
                evidence=r.evidence,
                claimed_on=r.claimed_on,
                confidence=float(r.confidence),
                earlier=earlier,
            )
        )
        if limit is not None and len(out) >= limit:
            break
    return out


def pending(
    conn: Connection, item_ids: Collection[int] | None = None, *, limit: int | None = LIMIT
) -> list[RoleSuggestion]:
    """The claims to propose, newest item date first: all (at most *limit*), or those of the
    items *item_ids* (internal ids, as the inbox's rows have them)."""
    where: list[sa.ColumnElement[bool]] = []
    if item_ids is not None:
        if not item_ids:
            return []
        where.append(role_claims.c.item_id.in_(list(item_ids)))
    return _suggestions(conn, where, limit)


def by_item(conn: Connection, item_ids: Collection[int]) -> dict[int, list[RoleSuggestion]]:
    """The claims to propose for each of *item_ids* (for the inbox's rows)."""
    out: dict[int, list[RoleSuggestion]] = {}
    for s in pending(conn, item_ids, limit=None):
        out.setdefault(s.item_id, []).append(s)
    return out


def find(conn: Connection, key: str) -> RoleSuggestion | None:
    """The claim *key* when it is proposed."""
    found = _suggestions(conn, [role_claims.c.key == key], 1)
    return found[0] if found else None


def answer(
    db: Database, actor: Actor, key: str, *, accept: bool, end_earlier: bool = False
) -> Answer:
    """Accept or reject the claim *key*, in one transaction; accepting with *end_earlier* also
    ends the terms of its :attr:`RoleSuggestion.earlier` holders on the claim's date.
    :class:`ClaimNotFound` for no such claim, :class:`EditError` when it is not proposed (any
    more)."""
    POLICY.require(actor, Action.EDIT_ITEMS)
    with db.write() as conn:
        exists = conn.execute(sa.select(role_claims.c.id).where(role_claims.c.key == key)).first()
        if exists is None:
            raise ClaimNotFound(f"no role suggestion {key!r}")
        proposed = find(conn, key)
        if proposed is None:
            raise EditError("this role is not proposed (any more)")
        said = {
            "person_id": proposed.person_id,
            "person_name": proposed.person_name,
            "org_id": proposed.org_id,
            "title": proposed.title,
            "claimed_on": proposed.claimed_on.isoformat(),
            "item": proposed.item_public_id,
        }
        verb = "accept" if accept else "reject"
        conn.execute(
            sa.insert(decisions).values(
                public_id=new_public_id(),
                subject_type=SUBJECT,
                subject_id=key,
                action=verb,
                payload=said | {"end_earlier": bool(accept and end_earlier)},
                user_id=actor.user_id,
                created_at=utcnow(),
            )
        )
        if not accept:
            audit.record(conn, actor, "role.reject", "role_claims", key, None, said)
            return Answer(key, verb)
        done = _accept(conn, actor, proposed, end_earlier)
        audit.record(conn, actor, "role.accept", "role_claims", key, None, said)
        generation.bump(conn)  # person and organisation pages show roles
        return done


def _accept(conn: Connection, actor: Actor, s: RoleSuggestion, end_earlier: bool) -> Answer:
    origin = f"suggestion:{s.id}"
    person_id = s.person_id or person_key(s.person_name)
    if not person_id:
        raise EditError(f"the name {s.person_name!r} gives no id for a new person")
    if s.person_id is None:
        insert_person(conn, person_id, s.person_name, origin=origin)
        audit.record(
            conn, actor, "kb.person.add", "people", person_id, None, {"name": s.person_name}
        )
    role_id = _later_term(conn, person_id, s)
    if role_id is not None:
        set_role_start(conn, role_id, s.claimed_on)
        audit.record(conn, actor, "kb.role.start", "roles", role_id, None, {"start": s.claimed_on})
    else:
        values: Mapping[str, Any] = {
            "person_id": person_id,
            "org_id": s.org_id,
            "title": s.title_label,
            "start": s.claimed_on,
            "end": None,
            "origin": origin,
        }
        role_id = insert_role(conn, **values, notes=f"from item {s.item_public_id}")
        audit.record(conn, actor, "kb.role.add", "roles", role_id, None, values)
    ended: list[int] = []
    if end_earlier:
        for h in s.earlier:
            set_role_end(conn, h.role_id, s.claimed_on)
            audit.record(
                conn, actor, "kb.role.end", "roles", h.role_id, {"end": None}, {"end": s.claimed_on}
            )
            ended.append(h.role_id)
    return Answer(s.id, "accept", person_id, role_id, tuple(ended))


def _later_term(conn: Connection, person_id: str, s: RoleSuggestion) -> int | None:
    """The person's role of that title there that starts after the claim's date (the claim
    shows the term began earlier), if any."""
    rows = conn.execute(
        sa.select(roles.c.id, roles.c.title, roles.c.start).where(
            roles.c.person_id == person_id,
            roles.c.org_id == s.org_id,
            roles.c.start > s.claimed_on,
        )
    ).all()
    same = [r for r in rows if title_key(r.title) == s.title]
    return int(min(same, key=lambda r: r.start).id) if same else None

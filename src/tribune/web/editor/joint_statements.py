"""The newsroom's joint statements: mark an item as one with its initiators, add its signatories;
and what the item edit page shows of them (see :func:`tribune.web.editor.stories.story_tools`).

Every form posts here with the session's CSRF token and comes back with a 303 to the page it
came from; a refused change answers 409 (it clashes with what is recorded) or 422 (the input is
wrong) with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.tables import joint_statements, organizations
from tribune.newsroom import signatures as signing
from tribune.newsroom.policy import Action, Actor
from tribune.newsroom.sessions import Session
from tribune.reading.joint import signature_rows
from tribune.reading.orgs import OrgLabel, org_labels
from tribune.web.editor.auth import allowed
from tribune.web.editor.forms import Back, Token, item_key, refuse, return_path, submit

router = APIRouter()
MAX_ORG_CHOICES = 400  # in the signatory picker: network members first, then the seed's others

Signer = Annotated[Session, Depends(allowed(Action.EDIT_SIGNATURES))]


@dataclass(frozen=True)
class SignatoryRow:
    org_id: str | None
    name: str
    group: str
    added_at: datetime
    id: int = 0  # the signature's, for taking it off the list
    evidence: str = ""


@dataclass(frozen=True)
class JointTools:
    public_id: str
    initiators: list[str]
    signatories: list[SignatoryRow]

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(s.group for s in self.signatories if s.group))


def org_choices(conn: Connection) -> list[OrgLabel]:
    """A bounded list for the signatory picker: members of the network first, then the other
    organisations of the seed file (the thousands of world parties are typed by id)."""
    member = organizations.c.network_member == "yes"
    ids = conn.execute(
        sa.select(organizations.c.id)
        .where(sa.or_(member, organizations.c.in_seed.is_(True)))
        .order_by(sa.case((member, 0), else_=1), organizations.c.name_en)
        .limit(MAX_ORG_CHOICES)
    ).scalars()
    order = list(ids)
    labels = org_labels(conn, order)
    return [labels[i] for i in order if i in labels]


def joint_tools(conn: Connection, item_id: int) -> JointTools | None:
    """The joint statement the item is, with its signatories; None if it is none."""
    row = conn.execute(
        sa.select(joint_statements).where(joint_statements.c.item_id == item_id)
    ).first()
    if row is None:
        return None
    rows = signature_rows(conn, row.id)
    labels = org_labels(conn, {r.org_id for r in rows if r.org_id})
    return JointTools(
        row.public_id,
        list(row.initiators),
        [
            SignatoryRow(
                r.org_id,
                labels[r.org_id].name if r.org_id in labels else r.raw_name or str(r.org_id),
                r.group_name,
                r.added_at,
                int(r.id),
                r.evidence,
            )
            for r in rows
        ],
    )


def _day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(422, f"{text!r} is not a date (YYYY-MM-DD).") from None


@router.post("/editor/joint-statements", response_class=Response)
def mark_joint(
    request: Request,
    session: Signer,
    item: Annotated[str, Form(max_length=500)] = "",
    initiators: Annotated[str, Form(max_length=5000)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    key = item_key(item)
    wanted = [i for i in re.split(r"[\s,;]+", initiators) if i]
    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: signing.mark_joint(db, actor, key, wanted),
        {signing.SignatureError: refuse(422)},
        lambda _: (return_path(back, f"/editor/items/{key}"), "joint-statement"),
    )


@router.post("/editor/joint-statements/{public_id}/signatures", response_class=Response)
def add_signature(
    request: Request,
    public_id: str,
    session: Signer,
    org: Annotated[str, Form(max_length=100)] = "",
    raw_name: Annotated[str, Form(max_length=2000)] = "",
    group: Annotated[str, Form(max_length=1000)] = "",
    added_on: Annotated[str, Form(max_length=40)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    def sign(db: Database, actor: Actor) -> None:
        day = _day(added_on)  # after the CSRF check: a stale form is told so first
        signing.add_signature(
            db, actor, public_id, org_id=org, raw_name=raw_name, group=group, added_on=day
        )

    return submit(
        request,
        session,
        csrf_token,
        sign,
        {signing.SignatureError: refuse(409)},
        lambda _: (return_path(back, "/editor/inbox?status=published"), "signed"),
    )

"""Joint statements: the list, one statement with its signatories in the order they were added,
and adding a signatory.

A joint statement is named by its own public id or its item's. Lists hold the statements whose
item is published, newest first.
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.tables import items, joint_statements, signatures
from tribune.newsroom import signatures as editorial
from tribune.newsroom.policy import Action, Actor, NotAllowed
from tribune.reading.joint import JointView, find_joint
from tribune.reading.orgs import org_labels
from tribune.web.api import cursors, query
from tribune.web.api.auth import CallerDep, allowed
from tribune.web.api.caching import answer, json_response
from tribune.web.api.edits import needs
from tribune.web.api.params import NOT_MODIFIED, PREFIX, Cursor, Key, Limit, Text, problems, site
from tribune.web.api.schemas import (
    JointDetail,
    JointList,
    JointStatement,
    OrgLabel,
    Signature,
    SignatureCreate,
)

router = APIRouter(tags=["joint statements"])


def _fields(view: JointView, shown: dict[int, Any]) -> dict[str, Any]:
    return {
        "id": view.public_id,
        "item": shown[view.item.card.id],
        "initiators": [OrgLabel(id=o.id, name=o.name) for o in view.initiators],
        "signature_count": len(view.signatories),
        "new_signatures": view.new_signatures,
    }


@router.get(
    "/joint-statements",
    response_model=JointList,
    responses={**NOT_MODIFIED, **problems(400)},
    summary="Joint statements",
)
def list_joint(
    request: Request,
    who: CallerDep,
    org: Text = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Response:
    """Published joint statements, newest first; with `org`, those it signed."""
    base = site(request)

    def build(conn: Connection) -> JointList:
        q = (
            sa.select(joint_statements.c.public_id, items.c.id, items.c.published_at)
            .join(items, items.c.id == joint_statements.c.item_id)
            .where(items.c.status == "published")
        )
        if org:
            q = q.where(
                joint_statements.c.id.in_(
                    sa.select(signatures.c.joint_statement_id).where(signatures.c.org_id == org)
                )
            )
        after = cursors.after_time(cursor, "joint")
        if after is not None:
            when, ident = after
            q = q.where(
                sa.or_(
                    items.c.published_at < when,
                    sa.and_(items.c.published_at == when, items.c.id < ident),
                )
            )
        q = q.order_by(items.c.published_at.desc(), items.c.id.desc()).limit(limit + 1)
        rows = list(conn.execute(q))
        chosen = rows[:limit]
        views = [v for v in (find_joint(conn, r.public_id) for r in chosen) if v is not None]
        shown = query.by_ids(conn, base, [v.item.card.id for v in views], newsroom=who.newsroom)
        following = None
        if len(rows) > limit and chosen:
            last = chosen[-1]
            following = cursors.encode("joint", last.published_at.isoformat(), last.id)
        return JointList(
            items=[JointStatement(**_fields(v, shown)) for v in views], next_cursor=following
        )

    return answer(request, build, private=who.newsroom)


def _signature(org_id: str | None, name: str, row: Any) -> Signature:
    return Signature(
        org_id=org_id,
        raw_name=row.raw_name,
        name=name,
        group=row.group_name,
        added_at=row.added_at,
        evidence=row.evidence,
    )


@router.get(
    "/joint-statements/{joint_id}",
    response_model=JointDetail,
    responses={**NOT_MODIFIED, **problems(404)},
    summary="One joint statement",
)
def get_joint(request: Request, who: CallerDep, joint_id: Key) -> Response:
    """A joint statement with its initiators and its signatories in the order they were added:
    each a KB organisation (`org_id`) or the name as printed, with its group, the time it was
    added and the evidence for it."""
    base = site(request)

    def build(conn: Connection) -> JointDetail:
        view = find_joint(conn, joint_id)
        if view is None:
            raise HTTPException(404, f"No published joint statement {joint_id!r}.")
        shown = query.by_ids(conn, base, [view.item.card.id], newsroom=who.newsroom)
        return JointDetail(
            **_fields(view, shown),
            signatures=[
                Signature(
                    org_id=s.org.id if s.org else None,
                    raw_name="" if s.org and s.raw_name == s.org.id else s.raw_name,
                    name=s.name,
                    group=s.group,
                    added_at=s.added_at,
                    evidence=s.evidence,
                )
                for s in view.signatories
            ],
        )

    return answer(request, build, private=who.newsroom)


@router.post(
    "/joint-statements/{joint_id}/signatures",
    status_code=201,
    response_model=Signature,
    responses=problems(401, 403, 404, 409),
    openapi_extra=needs(Action.EDIT_SIGNATURES),
    summary="Add a signatory",
)
def add_signature(
    request: Request,
    actor: Annotated[Actor, Depends(allowed(Action.EDIT_SIGNATURES))],
    joint_id: Key,
    body: SignatureCreate,
) -> Response:
    """Add a KB organisation (`org_id`) or a name as printed (`raw_name`) to the list, in a
    `group`, on `added_at` (default today). 409 when it is on the list already."""
    db = request.app.state.db
    with db.read() as conn:
        public_id = conn.execute(
            sa.select(joint_statements.c.public_id)
            .join(items, items.c.id == joint_statements.c.item_id)
            .where(sa.or_(joint_statements.c.public_id == joint_id, items.c.public_id == joint_id))
        ).scalar()
    if public_id is None:
        raise HTTPException(404, f"No joint statement {joint_id!r}.")
    if not (body.org_id or "").strip() and not body.raw_name.strip():
        raise HTTPException(422, "Give org_id (an organisation of the KB) or raw_name.")
    if body.org_id and body.org_id.strip():
        with db.read() as conn:
            if not org_labels(conn, [body.org_id.strip()]):
                raise HTTPException(422, f"org_id: no organisation {body.org_id!r} in the KB.")
    try:
        signature_id = editorial.add_signature(
            db,
            actor,
            str(public_id),
            org_id=body.org_id,
            raw_name=body.raw_name,
            group=body.group,
            added_on=body.added_at,
        )
    except editorial.SignatureError as exc:
        raise HTTPException(409, str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    with db.read() as conn:
        row = conn.execute(sa.select(signatures).where(signatures.c.id == signature_id)).one()
        label = org_labels(conn, [row.org_id]).get(row.org_id) if row.org_id else None
    signed = _signature(row.org_id, label.name if label else row.raw_name, row)
    return json_response(signed, 201, {"Location": f"{PREFIX}/joint-statements/{public_id}"})

"""Role suggestions: the role statements the roles stage found in items, for the newsroom to
read and answer (:mod:`tribune.newsroom.roles`).

Reading them needs a newsroom client (a token of any scope, or an editor's session); answering
needs the right to edit items (the ``items:write`` scope). A suggestion's id is its claim key,
stable across re-runs of the stage; an answered one is not listed again, and answering it again
is a 409.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from tribune.db.tables import items
from tribune.newsroom import roles
from tribune.newsroom.items import EditError
from tribune.newsroom.policy import Action, Actor, NotAllowed
from tribune.web.api.auth import CallerDep, allowed, newsroom_only
from tribune.web.api.caching import answer, json_response
from tribune.web.api.edits import needs
from tribune.web.api.params import NOT_MODIFIED, Key, Text, problems
from tribune.web.api.schemas import Body

router = APIRouter(tags=["newsroom"])


class EarlierHolder(BaseModel):
    """A term accepting the suggestion may end: another person's, covering its date."""

    role_id: int
    person_id: str
    person_name: str
    title: str
    start: date | None


class RoleSuggestion(BaseModel):
    """A person holding a title in an organisation, as an item says it on its date."""

    id: str = Field(description="the suggestion's stable id")
    item: str = Field(description="the public id of the item that says it")
    person_id: str | None = Field(description="the KB's person; null for a person it lacks")
    person_name: str = Field(description="the name as the item writes it")
    org_id: str
    org_name: str
    title: str = Field(description="the title's key: general-secretary, mep, chair...")
    title_label: str = Field(description="the title as the KB's role would get it")
    title_surface: str = Field(description="the title as the item writes it")
    claimed_on: date = Field(description="the item's date")
    evidence: str = Field(description="the sentence that says it")
    confidence: float
    earlier: list[EarlierHolder]


class RoleSuggestionList(BaseModel):
    items: list[RoleSuggestion]
    next_cursor: str | None = Field(description="always null: the newest are listed")


class RoleAnswerBody(Body):
    end_earlier: bool = Field(
        default=False,
        description="on accepting: end the `earlier` holders' terms on the suggestion's date",
    )


class RoleAnswer(BaseModel):
    id: str
    action: str = Field(description="accept or reject")
    person_id: str | None = Field(description="the person the accepted role belongs to")
    role_id: int | None = Field(description="the KB role written or moved")
    ended_roles: list[int] = Field(description="the earlier holders' roles ended")


def _model(s: roles.RoleSuggestion) -> RoleSuggestion:
    return RoleSuggestion(
        id=s.id,
        item=s.item_public_id,
        person_id=s.person_id,
        person_name=s.person_name,
        org_id=s.org_id,
        org_name=s.org_name,
        title=s.title,
        title_label=s.title_label,
        title_surface=s.title_surface,
        claimed_on=s.claimed_on,
        evidence=s.evidence,
        confidence=s.confidence,
        earlier=[
            EarlierHolder(
                role_id=h.role_id,
                person_id=h.person_id,
                person_name=h.person_name,
                title=h.title,
                start=h.start,
            )
            for h in s.earlier
        ],
    )


@router.get(
    "/role-suggestions",
    response_model=RoleSuggestionList,
    responses={**NOT_MODIFIED, **problems(403)},
    summary="Role suggestions",
)
def list_suggestions(
    request: Request,
    who: CallerDep,
    item: Text = None,
    limit: Annotated[int, Query(ge=1, le=roles.LIMIT)] = 50,
) -> Response:
    """The role statements found in items that no editor answered and the KB does not already
    hold, newest item date first; with `item`, that item's. Newsroom clients only."""
    newsroom_only(who, "Role suggestions")

    def build(conn: Connection) -> RoleSuggestionList:
        ids = None
        if item:
            found = conn.execute(sa.select(items.c.id).where(items.c.public_id == item)).scalar()
            if found is None:
                raise HTTPException(404, f"No item {item!r}.")
            ids = [int(found)]
        shown = roles.pending(conn, ids, limit=limit)
        return RoleSuggestionList(items=[_model(s) for s in shown], next_cursor=None)

    return answer(request, build, private=True)


Editor = Annotated[Actor, Depends(allowed(Action.EDIT_ITEMS))]


def _answered(request: Request, actor: Actor, key: str, accept: bool, end: bool) -> Response:
    try:
        done = roles.answer(request.app.state.db, actor, key, accept=accept, end_earlier=end)
    except roles.ClaimNotFound:
        raise HTTPException(404, f"No role suggestion {key!r}.") from None
    except EditError as exc:
        raise HTTPException(409, str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    return json_response(
        RoleAnswer(
            id=done.id,
            action=done.action,
            person_id=done.person_id,
            role_id=done.role_id,
            ended_roles=list(done.ended),
        )
    )


@router.post(
    "/role-suggestions/{suggestion_id}/accept",
    response_model=RoleAnswer,
    responses=problems(401, 403, 404, 409),
    openapi_extra=needs(Action.EDIT_ITEMS),
    summary="Accept a role suggestion",
)
def accept(
    request: Request, actor: Editor, suggestion_id: Key, body: RoleAnswerBody | None = None
) -> Response:
    """Add the role to the KB from the item's date (and the person, when new); with
    `end_earlier`, end the earlier holders' terms on that date. 409 when it is not proposed."""
    end = body.end_earlier if body is not None else False
    return _answered(request, actor, suggestion_id, True, end)


@router.post(
    "/role-suggestions/{suggestion_id}/reject",
    response_model=RoleAnswer,
    responses=problems(401, 403, 404, 409),
    openapi_extra=needs(Action.EDIT_ITEMS),
    summary="Reject a role suggestion",
)
def reject(request: Request, actor: Editor, suggestion_id: Key) -> Response:
    """It is not proposed again, also after the roles stage runs again."""
    return _answered(request, actor, suggestion_id, False, False)

"""Joint statements the signatures stage found (:mod:`tribune.newsroom.joint_suggestions`), for
the newsroom to read and answer.

Reading them needs a newsroom client (a token of any scope, or an editor's session); answering
needs the right to edit signatures (the ``signatures:write`` scope). An answered one is not
listed again, and answering it again is a 409.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from tribune.db.tables import items
from tribune.newsroom import joint_suggestions as suggestions
from tribune.newsroom.policy import Action, Actor, NotAllowed
from tribune.newsroom.signatures import SignatureError
from tribune.reading.joint import signature_rows
from tribune.web.api import cursors
from tribune.web.api.auth import CallerDep, allowed, newsroom_only
from tribune.web.api.caching import answer, json_response
from tribune.web.api.edits import needs
from tribune.web.api.params import NOT_MODIFIED, PREFIX, Cursor, Key, Limit, Text, problems

router = APIRouter(tags=["newsroom"])


class SuggestedSigner(BaseModel):
    name: str = Field(description="as the list prints it")
    org_id: str | None = Field(description="the KB organisation; null: kept raw for an editor")
    org_name: str | None
    group: str
    seen_at: datetime = Field(description="the date of the text that carries it first")
    evidence: str = Field(
        description="empty for the statement's first text; else the later revision or the copy "
        "on another site that added it"
    )


class JointSuggestion(BaseModel):
    item_id: str = Field(description="the public id of the item found to be a joint statement")
    title: str
    source_url: str
    status: str
    published_at: datetime | None
    confidence: float
    evidence: str = Field(description="what the detection rests on")
    version: str = Field(description="the signatures stage's version that found it")
    signers: list[SuggestedSigner]


class JointSuggestionList(BaseModel):
    items: list[JointSuggestion]
    next_cursor: str | None


class JointAnswer(BaseModel):
    item_id: str
    action: str = Field(description="accept or reject")
    joint_statement: str | None = Field(description="the joint statement accepted")
    signature_count: int = Field(description="signatures recorded on accepting")


def _model(s: suggestions.JointSuggestion) -> JointSuggestion:
    return JointSuggestion(
        item_id=s.public_id,
        title=s.title,
        source_url=s.url,
        status=s.status,
        published_at=s.published_at,
        confidence=s.confidence,
        evidence=s.evidence,
        version=s.version,
        signers=[
            SuggestedSigner(
                name=x.name,
                org_id=x.org.id if x.org else None,
                org_name=x.org.name if x.org else None,
                group=x.group,
                seen_at=x.seen_at,
                evidence=x.evidence,
            )
            for x in s.signers
        ],
    )


@router.get(
    "/joint-suggestions",
    response_model=JointSuggestionList,
    responses={**NOT_MODIFIED, **problems(400, 403, 404)},
    summary="Joint statements found",
)
def list_suggestions(
    request: Request,
    who: CallerDep,
    item: Text = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """The items found to be joint statements, with the signatories read at their end, that
    no editor answered, newest gathered first; with `item`, that item's. Newsroom clients
    only."""
    newsroom_only(who, "Joint statement suggestions")
    start = cursors.offset(cursor, "joint-suggestions")

    def build(conn: Connection) -> JointSuggestionList:
        ids = None
        if item:
            found = conn.execute(sa.select(items.c.id).where(items.c.public_id == item)).scalar()
            if found is None:
                raise HTTPException(404, f"No item {item!r}.")
            ids = [int(found)]
        shown = suggestions.pending(conn, ids, limit=start + limit + 1)[start:]
        following = (
            cursors.encode("joint-suggestions", start + limit) if len(shown) > limit else None
        )
        return JointSuggestionList(items=[_model(s) for s in shown[:limit]], next_cursor=following)

    return answer(request, build, private=True)


Signer = Annotated[Actor, Depends(allowed(Action.EDIT_SIGNATURES))]


@router.post(
    "/joint-suggestions/{item_id}/accept",
    status_code=201,
    response_model=JointAnswer,
    responses=problems(401, 403, 409),
    openapi_extra=needs(Action.EDIT_SIGNATURES),
    summary="Accept a joint statement found",
)
def accept(request: Request, actor: Signer, item_id: Key) -> Response:
    """Mark the item a joint statement and record the signatories read at its end, each with
    the date and evidence of the text that carries it (raw names kept as printed). 409 when
    none is proposed for the item."""
    db = request.app.state.db
    try:
        ref = suggestions.accept(db, actor, item_id)
    except (suggestions.SuggestionError, SignatureError) as exc:
        raise HTTPException(409, str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    with db.read() as conn:
        count = len(signature_rows(conn, ref.id))
    done = JointAnswer(
        item_id=item_id, action="accept", joint_statement=ref.public_id, signature_count=count
    )
    return json_response(done, 201, {"Location": f"{PREFIX}/joint-statements/{ref.public_id}"})


@router.post(
    "/joint-suggestions/{item_id}/reject",
    response_model=JointAnswer,
    responses=problems(401, 403, 409),
    openapi_extra=needs(Action.EDIT_SIGNATURES),
    summary="Reject a joint statement found",
)
def reject(request: Request, actor: Signer, item_id: Key) -> Response:
    """It is not proposed again, also after the signatures stage runs again."""
    try:
        suggestions.reject(request.app.state.db, actor, item_id)
    except suggestions.SuggestionError as exc:
        raise HTTPException(409, str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    return json_response(
        JointAnswer(item_id=item_id, action="reject", joint_statement=None, signature_count=0)
    )

"""The newsroom's answers to the joint statements the signatures stage found: the list of those
waiting, accept one (the item becomes a joint statement with its signatories), reject one (never
proposed again); and taking a signatory off a statement's list (the stage never adds it back).

Every form posts with the session's CSRF token and comes back with a 303 to the page it came
from; a suggestion that is not (any more) proposed answers 409 with the reason.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from tribune.db.engine import Database
from tribune.newsroom import joint_suggestions as suggestions
from tribune.newsroom import signatures as signing
from tribune.newsroom.policy import Action, Actor
from tribune.newsroom.sessions import Session
from tribune.web.editor.auth import allowed
from tribune.web.editor.forms import Back, Refusal, Token, refuse, return_path, submit
from tribune.web.render import HTML, render

router = APIRouter()
LIMIT = 100
LIST = "/editor/joint-suggestions"

Reader = Annotated[Session, Depends(allowed())]
Signer = Annotated[Session, Depends(allowed(Action.EDIT_SIGNATURES))]
REFUSALS: dict[type[Exception], Refusal] = {
    suggestions.SuggestionError: refuse(409),
    signing.SignatureError: refuse(409),
}


@router.get(LIST, response_class=Response)
def waiting(request: Request, session: Reader) -> Response:
    with request.app.state.db.read() as conn:
        found = suggestions.pending(conn, limit=LIMIT)
    body = render(
        request,
        "editor/joint_suggestions.html",
        session=session,
        joint_suggestions=found,
        flash=request.query_params.get("done", ""),
    )
    return Response(body, media_type=HTML)


@router.post(LIST + "/{public_id}/accept", response_class=Response)
def accept(
    request: Request,
    public_id: str,
    session: Signer,
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: suggestions.accept(db, actor, public_id),
        REFUSALS,
        lambda _: (return_path(back, LIST), "accept-joint"),
    )


@router.post(LIST + "/{public_id}/reject", response_class=Response)
def reject(
    request: Request,
    public_id: str,
    session: Signer,
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: suggestions.reject(db, actor, public_id),
        REFUSALS,
        lambda _: (return_path(back, LIST), "reject-joint"),
    )


@router.post("/editor/joint-statements/{public_id}/signatures/remove", response_class=Response)
def remove_signature(
    request: Request,
    public_id: str,
    session: Signer,
    signature: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    def remove(db: Database, actor: Actor) -> None:
        # after the CSRF check: a stale form is told so first
        number = int(signature) if signature.strip().isdigit() else -1
        if not 0 < number < 2**31:
            raise signing.SignatureError(f"{signature!r} is not a signature of this statement")
        signing.remove_signature(db, actor, public_id, number)

    return submit(
        request,
        session,
        csrf_token,
        remove,
        REFUSALS,
        lambda _: (return_path(back, "/editor/inbox?status=published"), "unsigned"),
    )

"""The newsroom's role suggestions: the role statements the roles stage found in items, each
with its sentence, for an editor to accept (the KB gains the role, optionally ending the earlier
holder's term) or reject (it is not proposed again).

The list is its own page, and :file:`editor/_role_suggestions.html` renders any list of them
with their forms, so other pages (the inbox) can include the suggestions of their items. The
forms post here with the session's CSRF token and come back with a 303 to the page they came
from; a suggestion answered meanwhile answers 409, an unknown one 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from tribune.newsroom import roles
from tribune.newsroom.items import EditError
from tribune.newsroom.policy import Action
from tribune.newsroom.sessions import Session
from tribune.web.editor.auth import allowed
from tribune.web.editor.forms import Back, Token, refuse, return_path, submit
from tribune.web.render import HTML, render

router = APIRouter()
HOME = "/editor/roles"

Reader = Annotated[Session, Depends(allowed())]
Answerer = Annotated[Session, Depends(allowed(Action.EDIT_ITEMS))]
REFUSALS = {roles.ClaimNotFound: refuse(404), EditError: refuse(409)}


@router.get(HOME, response_class=Response)
def role_suggestions(request: Request, session: Reader) -> Response:
    with request.app.state.db.read() as conn:
        found = roles.pending(conn)
    page = render(
        request,
        "editor/roles.html",
        session=session,
        role_suggestions=found,
        limit=roles.LIMIT,
        back=HOME,
        flash=request.query_params.get("done", ""),
    )
    return Response(page, media_type=HTML)


@router.post(HOME + "/{public_id}/accept", response_class=Response)
def accept(
    request: Request,
    public_id: str,
    session: Answerer,
    end_earlier: Annotated[str, Form(max_length=10)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: roles.answer(
            db, actor, public_id, accept=True, end_earlier=bool(end_earlier)
        ),
        REFUSALS,
        lambda _answer: (return_path(back, HOME), "accept-role"),
    )


@router.post(HOME + "/{public_id}/reject", response_class=Response)
def reject(
    request: Request,
    public_id: str,
    session: Answerer,
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: roles.answer(db, actor, public_id, accept=False),
        REFUSALS,
        lambda _answer: (return_path(back, HOME), "reject-role"),
    )

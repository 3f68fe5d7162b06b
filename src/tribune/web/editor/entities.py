"""An item's linked entities: confirm or remove the linker's, add one of the KB's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tribune.newsroom import entities
from tribune.newsroom.inbox import row_by_public_id
from tribune.newsroom.items import EditError, ItemNotFound
from tribune.newsroom.policy import Action
from tribune.newsroom.sessions import Session
from tribune.web.editor.auth import allowed, check_csrf
from tribune.web.render import HTML, render

router = APIRouter()
Reader = Annotated[Session, Depends(allowed())]
Editor = Annotated[Session, Depends(allowed(Action.EDIT_ITEMS))]
_DONE = {"confirm": "confirmed", "remove": "removed", "add": "added"}


def _back(target: str, public_id: str) -> str:
    default = f"/editor/items/{public_id}/entities"
    return target if target.startswith("/editor/") and "//" not in target else default


def _page(
    request: Request, session: Session, public_id: str, message: str = "", status: int = 200
) -> Response:
    with request.app.state.db.read() as conn:
        row = row_by_public_id(conn, public_id)
        found = entities.entity_panel(conn, public_id)
    if row is None or found is None:
        raise HTTPException(404, f"No item {public_id!r}.")
    body = render(
        request,
        "editor/entities.html",
        session=session,
        row=row,
        entities=found,
        entity_types=entities.TYPES,
        message=message,
        flash=request.query_params.get("done", ""),
    )
    return Response(body, status_code=status, media_type=HTML)


@router.get("/editor/items/{public_id}/entities", response_class=Response)
def entity_page(request: Request, public_id: str, session: Reader) -> Response:
    return _page(request, session, public_id)


@router.post("/editor/entities/{public_id}", response_class=Response)
def decide(
    request: Request,
    public_id: str,
    session: Editor,
    decision: Annotated[str, Form(max_length=20)] = "",
    entity_type: Annotated[str, Form(max_length=20)] = "",
    entity_id: Annotated[str, Form(max_length=120)] = "",
    back: Annotated[str, Form(max_length=400)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(session, csrf_token)
    db = request.app.state.db
    try:
        entities.decide(db, session.user.actor(), public_id, entity_type, entity_id, decision)
    except ItemNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except EditError as exc:
        return _page(request, session, public_id, str(exc), 422)
    target = _back(back, public_id)
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{joiner}done={_DONE[decision]}", status_code=303)

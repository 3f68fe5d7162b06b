"""The inbox and the item actions: publish, reject, unpublish, feature, withdraw, edit, and
accept or reject a guessed kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tribune.db.engine import Database
from tribune.db.tables import items
from tribune.newsroom import audit, joint_suggestions, kinds, roles
from tribune.newsroom import items as editorial
from tribune.newsroom.entities import entity_panel
from tribune.newsroom.inbox import STATUSES, listing, row_by_public_id
from tribune.newsroom.policy import Action, Actor
from tribune.newsroom.sessions import Session
from tribune.understand.kinds import KINDS
from tribune.web.editor.auth import allowed, check_csrf, require
from tribune.web.render import HTML, render

router = APIRouter()
SUGGESTIONS = 5  # of each kind, at the top of the inbox
PER_PAGE = 50
Run = Callable[[Database, Actor, str], editorial.Change]
ACTIONS: dict[str, tuple[Action, Run]] = {
    "publish": (Action.PUBLISH, lambda db, a, i: editorial.set_status(db, a, i, "published")),
    "reject": (Action.PUBLISH, lambda db, a, i: editorial.set_status(db, a, i, "rejected")),
    "unpublish": (Action.PUBLISH, lambda db, a, i: editorial.set_status(db, a, i, "inbox")),
    "withdraw": (Action.PUBLISH, lambda db, a, i: editorial.set_status(db, a, i, "withdrawn")),
    "feature": (Action.PUBLISH, lambda db, a, i: editorial.set_featured(db, a, i, True)),
    "unfeature": (Action.PUBLISH, lambda db, a, i: editorial.set_featured(db, a, i, False)),
    "accept-kind": (Action.EDIT_ITEMS, lambda db, a, i: kinds.answer(db, a, i, accept=True)),
    "reject-kind": (Action.EDIT_ITEMS, lambda db, a, i: kinds.answer(db, a, i, accept=False)),
}


def _action_allowed(request: Request) -> Session:
    """The session of a user allowed the action named in the path (checked before the form)."""
    name = request.path_params.get("action", "")
    return require(request, ACTIONS[name][0] if name in ACTIONS else Action.PUBLISH)


Reader = Annotated[Session, Depends(allowed())]


def _page(request: Request, template: str, code: int = 200, **context: object) -> Response:
    return Response(render(request, template, **context), status_code=code, media_type=HTML)


@router.get("/editor", response_class=Response, dependencies=[Depends(allowed())])
def editor_home() -> Response:
    return RedirectResponse("/editor/inbox", status_code=303)


@router.get("/editor/inbox", response_class=Response)
def inbox(request: Request, session: Reader, status: str = "inbox", page: int = 1) -> Response:
    if status not in STATUSES:
        raise HTTPException(404, f"No list {status!r}; lists: {', '.join(STATUSES)}.")
    page = max(1, page)
    with request.app.state.db.read() as conn:
        rows = listing(conn, status, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
        # the newest of the stages' other suggestions (stories have their own partial); each
        # kind has its page with them all
        joints = joint_suggestions.pending(conn, limit=SUGGESTIONS) if status == "inbox" else []
        role_claims = roles.pending(conn, limit=SUGGESTIONS) if status == "inbox" else []
    return _page(
        request,
        "editor/inbox.html",
        session=session,
        rows=rows[:PER_PAGE],
        status=status,
        statuses=STATUSES,
        page=page,
        more=len(rows) > PER_PAGE,
        flash=request.query_params.get("done", ""),
        joint_suggestions=joints,
        role_suggestions=role_claims,
    )


@router.post("/editor/items/{public_id}/{action}", response_class=Response)
def item_action(
    request: Request,
    public_id: str,
    action: str,
    session: Annotated[Session, Depends(_action_allowed)],
    csrf_token: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/editor/inbox",
) -> Response:
    if action not in ACTIONS:
        raise HTTPException(404, f"No action {action!r}.")
    run = ACTIONS[action][1]
    check_csrf(session, csrf_token)
    try:
        run(request.app.state.db, session.user.actor(), public_id)
    except editorial.ItemNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except editorial.EditError as exc:
        raise HTTPException(409, str(exc)) from None
    target = back if back.startswith("/editor") else "/editor/inbox"
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{joiner}done={action}", status_code=303)


@router.get("/editor/items/{public_id}", response_class=Response)
def edit_form(request: Request, public_id: str, session: Reader) -> Response:
    return _edit_page(request, session, public_id)


def _edit_page(
    request: Request, session: Session, public_id: str, message: str = "", status: int = 200
) -> Response:
    with request.app.state.db.read() as conn:
        row = row_by_public_id(conn, public_id)
        panel = entity_panel(conn, public_id)
        full = conn.execute(
            sa.select(items.c.body_html, items.c.correction).where(items.c.public_id == public_id)
        ).first()
    if row is None or full is None:
        raise HTTPException(404, f"No item {public_id!r}.")
    return _page(
        request,
        "editor/item.html",
        code=status,
        session=session,
        row=row,
        body_html=full.body_html,
        correction=full.correction,
        kinds=KINDS,
        entities=panel,
        message=message,
        flash=request.query_params.get("done", ""),
    )


@router.post("/editor/items/{public_id}", response_class=Response)
def edit(
    request: Request,
    public_id: str,
    session: Annotated[Session, Depends(allowed(Action.EDIT_ITEMS))],
    # optional here: an emptied headline gets the form back with the reason, not a bare 422
    title: Annotated[str, Form(max_length=2000)] = "",
    lead: Annotated[str, Form(max_length=5000)] = "",
    body_html: Annotated[str, Form(max_length=2_000_000)] = "",
    kind: Annotated[str, Form(max_length=40)] = "",
    correction: Annotated[str, Form(max_length=5000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(session, csrf_token)
    fields = {
        "title": title,
        "lead": lead,
        "body_html": body_html,
        "kind": kind,
        "correction": correction,
    }
    try:
        editorial.edit(request.app.state.db, session.user.actor(), public_id, fields)
    except editorial.ItemNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except editorial.EditError as exc:
        return _edit_page(request, session, public_id, str(exc), 422)
    return RedirectResponse(f"/editor/items/{public_id}?done=saved", status_code=303)


@router.get("/editor/audit", response_class=Response)
def audit_log(request: Request, session: Reader, before: int | None = None) -> Response:
    with request.app.state.db.read() as conn:
        found = audit.entries(conn, limit=100, before_id=before)
    return _page(request, "editor/audit.html", session=session, entries=found)

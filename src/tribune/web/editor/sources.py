"""Sources: the health dashboard (failing first), adding, pausing and resuming, a dry run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tribune.newsroom import sources_admin
from tribune.newsroom.policy import POLICY, Action, NotAllowed
from tribune.newsroom.sessions import Session
from tribune.web.editor.auth import allowed, check_csrf
from tribune.web.render import HTML, render

router = APIRouter()
Reader = Annotated[Session, Depends(allowed())]
Manager = Annotated[Session, Depends(allowed(Action.MANAGE_SOURCES))]


def _dashboard(
    request: Request,
    session: Session,
    message: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
) -> Response:
    body = render(
        request,
        "editor/sources.html",
        session=session,
        sources=sources_admin.health(request.app.state.db),
        kinds=sources_admin.KINDS,
        message=message,
        form=form or {"url": "", "org_id": "", "source_kind": "auto"},
        flash=request.query_params.get("done", ""),
    )
    return Response(body, status_code=status, media_type=HTML)


@router.get("/editor/sources", response_class=Response)
def dashboard(request: Request, session: Reader) -> Response:
    return _dashboard(request, session)


@router.post("/editor/sources", response_class=Response)
def add(
    request: Request,
    session: Manager,
    url: Annotated[str, Form(max_length=2000)] = "",
    org_id: Annotated[str, Form(max_length=80)] = "",
    source_kind: Annotated[str, Form(max_length=20)] = "auto",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(session, csrf_token)
    try:
        sources_admin.add(request.app.state.db, session.user.actor(), url, org_id, source_kind)
    except sources_admin.SourceError as exc:
        form = {"url": url, "org_id": org_id, "source_kind": source_kind}
        return _dashboard(request, session, str(exc), 422, form)
    return RedirectResponse("/editor/sources?done=added", status_code=303)


@router.post("/editor/sources/state", response_class=Response)
def set_state(
    request: Request,
    session: Manager,
    source: Annotated[str, Form(max_length=2000)] = "",
    state: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(session, csrf_token)
    try:
        sources_admin.set_state(request.app.state.db, session.user.actor(), source, state)
    except sources_admin.SourceNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except sources_admin.SourceError as exc:
        return _dashboard(request, session, str(exc), 422)
    done = "paused" if state == "paused" else "resumed"
    return RedirectResponse(f"/editor/sources?done={done}", status_code=303)


@router.get("/editor/sources/test", response_class=Response)
def dry_run(
    request: Request, session: Reader, url: str = "", source_kind: str = "auto"
) -> Response:
    """The form; with a URL, the dry run of ``tribune sources test``: it fetches the URL (through
    the guarded client) and stores nothing, so it is a GET, for those who may manage sources."""
    report, message, status = None, "", 200
    if url.strip():
        actor = session.user.actor()
        try:
            POLICY.require(actor, Action.MANAGE_SOURCES)
        except NotAllowed as exc:
            raise HTTPException(403, str(exc)) from None
        try:
            report = sources_admin.dry_run(
                actor, url, kind=source_kind, settings=request.app.state.settings
            )
        except sources_admin.SourceError as exc:
            message, status = str(exc), 422
    body = render(
        request,
        "editor/source_test.html",
        session=session,
        url=url,
        source_kind=source_kind,
        kinds=sources_admin.KINDS,
        report=report,
        message=message,
    )
    return Response(body, status_code=status, media_type=HTML)

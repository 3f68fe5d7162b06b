"""The KB from the newsroom: find an entry, add a name of an organisation, a role, an event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from tribune.db.engine import Database
from tribune.kb.query import search
from tribune.newsroom import kb_admin
from tribune.newsroom.policy import Action, Actor
from tribune.newsroom.sessions import Session
from tribune.web.editor.auth import allowed, check_csrf
from tribune.web.render import HTML, render

router = APIRouter()
Reader = Annotated[Session, Depends(allowed())]
KBEditor = Annotated[Session, Depends(allowed(Action.EDIT_KB))]
Text = Annotated[str, Form(max_length=400)]
Short = Annotated[str, Form(max_length=120)]


def _page(
    request: Request,
    session: Session,
    *,
    q: str = "",
    problems: list[str] | None = None,
    failed: str = "",
    form: dict[str, str] | None = None,
) -> Response:
    found = search(request.app.state.db, q) if q.strip() else []
    body = render(
        request,
        "editor/kb.html",
        session=session,
        q=q,
        found=found,
        problems=problems or [],
        failed=failed,  # which form the problems are about
        form=form or {},
        name_kinds=kb_admin.NAME_KINDS,
        precisions=kb_admin.DATE_PRECISIONS,
        flash=request.query_params.get("done", ""),
        shown=request.query_params.get("id", ""),
    )
    return Response(body, status_code=422 if problems else 200, media_type=HTML)


def _submit(
    request: Request,
    session: Session,
    csrf_token: str,
    what: str,
    add: Callable[[Database, Actor], str],
    form: dict[str, str],
) -> Response:
    """Make the addition a form asks for (*what*: name, role, event) and show the entry *add*
    returns; refused, the page again with the problems and the *form* as it was typed."""
    check_csrf(session, csrf_token)
    try:
        entity_id = add(request.app.state.db, session.user.actor())
    except kb_admin.KBError as exc:
        return _page(request, session, problems=exc.problems, failed=what, form=form)
    return RedirectResponse(f"/editor/kb?done={what}&id={entity_id}", status_code=303)


@router.get("/editor/kb", response_class=Response)
def kb_page(request: Request, session: Reader, q: str = "") -> Response:
    return _page(request, session, q=q[:200])


@router.post("/editor/kb/names", response_class=Response)
def add_name(
    request: Request,
    session: KBEditor,
    org_id: Short = "",
    alias: Text = "",
    name_kind: Short = "variant",
    language: Short = "",
    valid_from: Short = "",
    valid_to: Short = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    def add(db: Database, actor: Actor) -> str:
        kb_admin.add_alias(
            db,
            actor,
            org_id,
            alias,
            kind=name_kind,
            language=language,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        return org_id.strip()

    form = {
        "org_id": org_id,
        "alias": alias,
        "name_kind": name_kind,
        "language": language,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    return _submit(request, session, csrf_token, "name", add, form)


@router.post("/editor/kb/roles", response_class=Response)
def add_role(
    request: Request,
    session: KBEditor,
    person_id: Short = "",
    person_name: Text = "",
    org_id: Short = "",
    role_title: Text = "",
    start: Short = "",
    end: Short = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    def add(db: Database, actor: Actor) -> str:
        new = kb_admin.NewRole(
            org_id=org_id,
            title=role_title,
            person_id=person_id,
            person_name=person_name,
            start=start,
            end=end,
        )
        return kb_admin.add_role(db, actor, new)[0]  # the person's id

    form = {
        "person_id": person_id,
        "person_name": person_name,
        "role_org_id": org_id,
        "role_title": role_title,
        "role_start": start,
        "role_end": end,
    }
    return _submit(request, session, csrf_token, "role", add, form)


@router.post("/editor/kb/events", response_class=Response)
def add_event(
    request: Request,
    session: KBEditor,
    event_id: Short = "",
    series: Short = "",
    number: Short = "",
    event_name: Text = "",
    start: Short = "",
    end: Short = "",
    date_precision: Short = "day",
    city: Short = "",
    country: Short = "",
    hosts: Text = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    def add(db: Database, actor: Actor) -> str:
        new = kb_admin.NewEvent(
            id=event_id,
            series=series,
            name_en=event_name,
            number=number,
            start=start,
            end=end,
            date_precision=date_precision,
            city=city,
            country=country,
            hosts=kb_admin.split_hosts(hosts),
        )
        return kb_admin.add_event(db, actor, new)

    form = {
        "event_id": event_id,
        "series": series,
        "number": number,
        "event_name": event_name,
        "event_start": start,
        "event_end": end,
        "date_precision": date_precision,
        "city": city,
        "country": country,
        "hosts": hosts,
    }
    return _submit(request, session, csrf_token, "event", add, form)

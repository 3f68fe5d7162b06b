"""The newsroom's stories: create a story, append items to it, close and reopen it.

The item edit page carries the same tools and those of joint statements
(``editor/_story_tools.html``, the forms of :mod:`tribune.web.editor.joint_statements`), fed
by :func:`story_tools`, a template global. Every form posts here with the session's CSRF token
and comes back with a 303 to the page it came from; a refused change answers 409 (it clashes
with what is recorded) or 422 (the input is wrong) with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.tables import items, sources, stories, story_items
from tribune.db.types import utcnow
from tribune.newsroom import stories as compiling
from tribune.newsroom.inbox import InboxRow
from tribune.newsroom.policy import Action
from tribune.newsroom.sessions import Session
from tribune.reading.orgs import OrgLabel, org_labels
from tribune.web.editor.auth import allowed
from tribune.web.editor.forms import Back, Token, item_key, refuse, return_path, submit
from tribune.web.editor.joint_statements import JointTools, joint_tools, org_choices
from tribune.web.render import HTML, render

router = APIRouter()
MAX_STORIES = 200  # on the newsroom's list of stories

Reader = Annotated[Session, Depends(allowed())]
StoryEditor = Annotated[Session, Depends(allowed(Action.EDIT_STORIES))]


@dataclass(frozen=True)
class StoryRow:
    public_id: str
    slug: str
    title: str
    kind: str
    state: str
    accepted: bool
    entries: int
    updated_at: datetime

    @property
    def state_label(self) -> str:
        return "Updated" if self.state == "closed" else "To be updated"


@dataclass(frozen=True)
class EntryRow:
    position: int
    subheadline: str
    added_at: datetime
    item_public_id: str
    title: str
    status: str
    publisher: OrgLabel | None


@dataclass(frozen=True)
class StoryTools:
    """What the item edit page shows of the item's stories and joint statement."""

    stories: list[StoryRow]  # the stories it is in
    open_stories: list[StoryRow]  # the open ones it could join
    joint: JointTools | None
    orgs: list[OrgLabel] = field(default_factory=list)
    today: date = field(default_factory=lambda: utcnow().date())

    @property
    def latest_day(self) -> date:
        return self.today + timedelta(days=1)


# -- queries -------------------------------------------------------------------------------------


def _story_rows(conn: Connection, *where: sa.ColumnElement[bool]) -> list[StoryRow]:
    count = (
        sa.select(sa.func.count())
        .where(story_items.c.story_id == stories.c.id, story_items.c.version.is_(None))
        .scalar_subquery()
        .label("entries")
    )
    rows = conn.execute(
        sa.select(
            stories.c.public_id,
            stories.c.slug,
            stories.c.title,
            stories.c.kind,
            stories.c.state,
            stories.c.accepted,
            count,
            stories.c.updated_at,
        )
        .where(*where)
        .order_by(stories.c.updated_at.desc(), stories.c.id.desc())
        .limit(MAX_STORIES)
    ).all()
    return [
        StoryRow(
            r.public_id,
            r.slug,
            r.title,
            r.kind,
            r.state,
            bool(r.accepted),
            int(r.entries or 0),
            r.updated_at,
        )
        for r in rows
    ]


def _entries(conn: Connection, public_id: str) -> list[EntryRow]:
    """Every entry of the story, unpublished items too: the newsroom sees the whole record."""
    rows = conn.execute(
        sa.select(
            story_items.c.position,
            story_items.c.subheadline,
            story_items.c.added_at,
            items.c.public_id,
            items.c.title,
            items.c.status,
            sources.c.org_id,
        )
        .select_from(
            story_items.join(stories, stories.c.id == story_items.c.story_id)
            .join(items, items.c.id == story_items.c.item_id)
            .outerjoin(sources, sources.c.id == items.c.source_id)
        )
        .where(stories.c.public_id == public_id, story_items.c.version.is_(None))
        .order_by(story_items.c.position)
    ).all()
    labels = org_labels(conn, {r.org_id for r in rows if r.org_id})
    return [
        EntryRow(
            r.position,
            r.subheadline,
            r.added_at,
            r.public_id,
            r.title,
            r.status,
            labels.get(r.org_id) if r.org_id else None,
        )
        for r in rows
    ]


def story_tools(request: Request, row: InboxRow) -> StoryTools:
    """The item edit page's story and joint-statement tools (a template global)."""
    with request.app.state.db.read() as conn:
        member_of = sa.select(story_items.c.story_id).where(
            story_items.c.item_id == row.id, story_items.c.version.is_(None)
        )
        return StoryTools(
            stories=_story_rows(conn, stories.c.id.in_(member_of)),
            open_stories=_story_rows(
                conn,
                stories.c.state == "open",
                stories.c.accepted.is_(True),
                stories.c.id.not_in(member_of),
            ),
            joint=joint_tools(conn, row.id),
            orgs=org_choices(conn),
        )


# -- pages ---------------------------------------------------------------------------------------


def _page(request: Request, template: str, code: int = 200, **context: object) -> Response:
    return Response(render(request, template, **context), status_code=code, media_type=HTML)


def _stories_page(
    request: Request,
    session: Session,
    message: str = "",
    code: int = 200,
    title: str = "",
    kind: str = "compilation",
) -> Response:
    with request.app.state.db.read() as conn:
        found = _story_rows(conn, stories.c.accepted.is_(True))
    return _page(
        request,
        "editor/stories.html",
        code,
        session=session,
        stories=found,
        kinds=compiling.STORY_KINDS,
        message=message,
        title=title,
        kind=kind,
        flash=request.query_params.get("done", ""),
    )


def _story_page(
    request: Request,
    session: Session,
    public_id: str,
    message: str = "",
    code: int = 200,
    item: str = "",
    subheadline: str = "",
) -> Response:
    with request.app.state.db.read() as conn:
        found = _story_rows(conn, stories.c.public_id == public_id)
        entries = _entries(conn, public_id) if found else []
    if not found:
        raise HTTPException(404, f"No story {public_id!r}.")
    return _page(
        request,
        "editor/story.html",
        code,
        session=session,
        story=found[0],
        entries=entries,
        message=message,
        item=item,
        subheadline=subheadline,
        flash=request.query_params.get("done", ""),
    )


@router.get("/editor/stories", response_class=Response)
def stories_list(request: Request, session: Reader) -> Response:
    return _stories_page(request, session)


@router.get("/editor/stories/{public_id}", response_class=Response)
def story(request: Request, public_id: str, session: Reader) -> Response:
    return _story_page(request, session, public_id)


# -- forms ---------------------------------------------------------------------------------------


@router.post("/editor/stories", response_class=Response)
def create(
    request: Request,
    session: StoryEditor,
    title: Annotated[str, Form(max_length=2000)] = "",
    kind: Annotated[str, Form(max_length=40)] = "compilation",
    csrf_token: Token = "",
) -> Response:
    def refused(reason: str) -> Response:
        return _stories_page(request, session, reason, 422, title, kind)

    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: compiling.create_story(db, actor, title, kind),
        {compiling.StoryError: refused},
        lambda ref: (f"/editor/stories/{ref.public_id}", "created"),
    )


def _add_entry(
    request: Request,
    session: Session,
    csrf_token: str,
    story: str,
    item: str,
    subheadline: str,
    back: str,
) -> Response:
    def refused(reason: str) -> Response:
        return _story_page(request, session, story, reason, 409, item, subheadline)

    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: compiling.add_entry(db, actor, story, item_key(item), subheadline),
        {compiling.StoryNotFound: refuse(404), compiling.StoryError: refused},
        lambda position: (return_path(back, f"/editor/stories/{story}"), f"added-{position}"),
    )


@router.post("/editor/stories/entries", response_class=Response)
def add_to_chosen_story(
    request: Request,
    session: StoryEditor,
    story: Annotated[str, Form(max_length=100)] = "",
    item: Annotated[str, Form(max_length=500)] = "",
    subheadline: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    """The item page's "Add to a compilation": the story is chosen in the form."""
    return _add_entry(request, session, csrf_token, story, item, subheadline, back)


@router.post("/editor/stories/{public_id}/entries", response_class=Response)
def add_entry(
    request: Request,
    public_id: str,
    session: StoryEditor,
    item: Annotated[str, Form(max_length=500)] = "",
    subheadline: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    return _add_entry(request, session, csrf_token, public_id, item, subheadline, back)


@router.post("/editor/stories/{public_id}/state", response_class=Response)
def set_state(
    request: Request,
    public_id: str,
    session: StoryEditor,
    state: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Token = "",
) -> Response:
    def refused(reason: str) -> Response:
        return _story_page(request, session, public_id, reason, 422)

    done = "closed" if state == "closed" else "reopened"
    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: compiling.set_state(db, actor, public_id, state),
        {compiling.StoryNotFound: refuse(404), compiling.StoryError: refused},
        lambda _: (f"/editor/stories/{public_id}", done),
    )

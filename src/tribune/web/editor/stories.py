"""The newsroom's stories and joint statements: create a story, append items to it, close and
reopen it; mark an item as a joint statement, record its initiators, add its signatories.

The item edit page carries the same tools (``editor/_story_tools.html``), fed by
:func:`story_tools`, a template global. Every form posts here with the session's CSRF token and
comes back with a 303 to the page it came from; a refused change answers 409 (it clashes with
what is recorded) or 422 (the input is wrong) with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Connection

from tribune.db.tables import (
    items,
    joint_statements,
    organizations,
    signatures,
    sources,
    stories,
    story_items,
)
from tribune.db.types import utcnow
from tribune.newsroom import signatures as signing
from tribune.newsroom import stories as compiling
from tribune.newsroom.inbox import InboxRow
from tribune.newsroom.policy import Action
from tribune.newsroom.sessions import Session
from tribune.reading.orgs import OrgLabel, org_labels
from tribune.web.editor.auth import allowed, check_csrf
from tribune.web.render import HTML, render

router = APIRouter()
MAX_STORIES = 200  # on the newsroom's list of stories
MAX_ORG_CHOICES = 400  # in the signatory picker: network members first, then the seed's others
_ITEM_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)

Reader = Annotated[Session, Depends(allowed())]
StoryEditor = Annotated[Session, Depends(allowed(Action.EDIT_STORIES))]
Signer = Annotated[Session, Depends(allowed(Action.EDIT_SIGNATURES))]
Token = Annotated[str, Form()]
Back = Annotated[str, Form(max_length=500)]


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
class SignatoryRow:
    org_id: str | None
    name: str
    group: str
    added_at: datetime


@dataclass(frozen=True)
class JointTools:
    public_id: str
    initiators: list[str]
    signatories: list[SignatoryRow]

    @property
    def groups(self) -> list[str]:
        return list(dict.fromkeys(s.group for s in self.signatories if s.group))


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
        .where(story_items.c.story_id == stories.c.id)
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
        .where(stories.c.public_id == public_id)
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


def _org_choices(conn: Connection) -> list[OrgLabel]:
    """A bounded list for the signatory picker: members of the network first, then the other
    organisations of the seed file (the thousands of world parties are typed by id)."""
    member = organizations.c.network_member == "yes"
    ids = conn.execute(
        sa.select(organizations.c.id)
        .where(sa.or_(member, organizations.c.in_seed.is_(True)))
        .order_by(sa.case((member, 0), else_=1), organizations.c.name_en)
        .limit(MAX_ORG_CHOICES)
    ).scalars()
    order = list(ids)
    labels = org_labels(conn, order)
    return [labels[i] for i in order if i in labels]


def _joint_tools(conn: Connection, item_id: int) -> JointTools | None:
    row = conn.execute(
        sa.select(joint_statements).where(joint_statements.c.item_id == item_id)
    ).first()
    if row is None:
        return None
    rows = conn.execute(
        sa.select(signatures)
        .where(signatures.c.joint_statement_id == row.id)
        .order_by(signatures.c.added_at, signatures.c.id)
    ).all()
    labels = org_labels(conn, {r.org_id for r in rows if r.org_id})
    return JointTools(
        row.public_id,
        list(row.initiators),
        [
            SignatoryRow(
                r.org_id,
                labels[r.org_id].name if r.org_id in labels else r.raw_name or str(r.org_id),
                r.group_name,
                r.added_at,
            )
            for r in rows
        ],
    )


def story_tools(request: Request, row: InboxRow) -> StoryTools:
    """The item edit page's story and joint-statement tools (a template global)."""
    with request.app.state.db.read() as conn:
        member_of = sa.select(story_items.c.story_id).where(story_items.c.item_id == row.id)
        return StoryTools(
            stories=_story_rows(conn, stories.c.id.in_(member_of)),
            open_stories=_story_rows(
                conn, stories.c.state == "open", stories.c.id.not_in(member_of)
            ),
            joint=_joint_tools(conn, row.id),
            orgs=_org_choices(conn),
        )


# -- helpers -------------------------------------------------------------------------------------


def _page(request: Request, template: str, code: int = 200, **context: object) -> Response:
    return Response(render(request, template, **context), status_code=code, media_type=HTML)


def _back(target: str, default: str) -> str:
    """Where a form returns: a newsroom page, never another site."""
    if target.startswith("/editor/") and "//" not in target and "\\" not in target:
        return target
    return default


def _done(target: str, what: str) -> RedirectResponse:
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{joiner}done={what}", status_code=303)


def _item_key(text: str) -> str:
    """An item's public id, also out of a pasted address of its page."""
    found = _ITEM_ID.search(text)
    return found.group(0).lower() if found else text.strip()


def _day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HTTPException(422, f"{text!r} is not a date (YYYY-MM-DD).") from None


# -- stories -------------------------------------------------------------------------------------


def _stories_page(
    request: Request,
    session: Session,
    message: str = "",
    code: int = 200,
    title: str = "",
    kind: str = "compilation",
) -> Response:
    with request.app.state.db.read() as conn:
        found = _story_rows(conn)
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


@router.get("/editor/stories", response_class=Response)
def stories_list(request: Request, session: Reader) -> Response:
    return _stories_page(request, session)


@router.post("/editor/stories", response_class=Response)
def create(
    request: Request,
    session: StoryEditor,
    title: Annotated[str, Form(max_length=2000)] = "",
    kind: Annotated[str, Form(max_length=40)] = "compilation",
    csrf_token: Token = "",
) -> Response:
    check_csrf(session, csrf_token)
    try:
        ref = compiling.create_story(request.app.state.db, session.user.actor(), title, kind)
    except compiling.StoryError as exc:
        return _stories_page(request, session, str(exc), 422, title, kind)
    return _done(f"/editor/stories/{ref.public_id}", "created")


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


@router.get("/editor/stories/{public_id}", response_class=Response)
def story(request: Request, public_id: str, session: Reader) -> Response:
    return _story_page(request, session, public_id)


def _add_entry(
    request: Request, session: Session, story: str, item: str, subheadline: str, back: str
) -> Response:
    db, actor = request.app.state.db, session.user.actor()
    try:
        position = compiling.add_entry(db, actor, story, _item_key(item), subheadline)
    except compiling.StoryNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except compiling.StoryError as exc:
        return _story_page(request, session, story, str(exc), 409, item, subheadline)
    return _done(_back(back, f"/editor/stories/{story}"), f"added-{position}")


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
    check_csrf(session, csrf_token)
    return _add_entry(request, session, story, item, subheadline, back)


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
    check_csrf(session, csrf_token)
    return _add_entry(request, session, public_id, item, subheadline, back)


@router.post("/editor/stories/{public_id}/state", response_class=Response)
def set_state(
    request: Request,
    public_id: str,
    session: StoryEditor,
    state: Annotated[str, Form(max_length=20)] = "",
    csrf_token: Token = "",
) -> Response:
    check_csrf(session, csrf_token)
    try:
        compiling.set_state(request.app.state.db, session.user.actor(), public_id, state)
    except compiling.StoryNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except compiling.StoryError as exc:
        return _story_page(request, session, public_id, str(exc), 422)
    return _done(f"/editor/stories/{public_id}", "closed" if state == "closed" else "reopened")


# -- joint statements ----------------------------------------------------------------------------


@router.post("/editor/joint-statements", response_class=Response)
def mark_joint(
    request: Request,
    session: Signer,
    item: Annotated[str, Form(max_length=500)] = "",
    initiators: Annotated[str, Form(max_length=5000)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    check_csrf(session, csrf_token)
    key = _item_key(item)
    wanted = [i for i in re.split(r"[\s,;]+", initiators) if i]
    try:
        signing.mark_joint(request.app.state.db, session.user.actor(), key, wanted)
    except signing.SignatureError as exc:
        raise HTTPException(422, str(exc)) from None
    return _done(_back(back, f"/editor/items/{key}"), "joint-statement")


@router.post("/editor/joint-statements/{public_id}/signatures", response_class=Response)
def add_signature(
    request: Request,
    public_id: str,
    session: Signer,
    org: Annotated[str, Form(max_length=100)] = "",
    raw_name: Annotated[str, Form(max_length=2000)] = "",
    group: Annotated[str, Form(max_length=1000)] = "",
    added_on: Annotated[str, Form(max_length=40)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    check_csrf(session, csrf_token)
    day = _day(added_on)
    try:
        signing.add_signature(
            request.app.state.db,
            session.user.actor(),
            public_id,
            org_id=org,
            raw_name=raw_name,
            group=group,
            added_on=day,
        )
    except signing.SignatureError as exc:
        raise HTTPException(409, str(exc)) from None
    return _done(_back(back, "/editor/inbox?status=published"), "signed")

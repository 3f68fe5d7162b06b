"""Stories and compilations: the list, one story with its entries in order, who has responded,
and appending an item to a story.

A story is named by its public id or its slug. Only accepted stories are shown (the ones
editors made; the clustering stage's proposals are not, yet).
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.tables import events, stories, story_items
from tribune.newsroom import stories as editorial
from tribune.newsroom.policy import Action, Actor, NotAllowed
from tribune.reading.responses import Responses, responses
from tribune.reading.responses import event_responses as tracked_event
from tribune.reading.stories import StoryView, find_story
from tribune.web.api import cursors, query
from tribune.web.api.auth import CallerDep, allowed
from tribune.web.api.caching import answer, json_response
from tribune.web.api.edits import needs
from tribune.web.api.params import NOT_MODIFIED, PREFIX, Cursor, Key, Limit, problems, site
from tribune.web.api.schemas import (
    EntryCreate,
    EventResponses,
    RegionResponses,
    Responder,
    Silent,
    Story,
    StoryDetail,
    StoryEntry,
    StoryList,
    StoryResponses,
)

router = APIRouter(tags=["stories"])


def _publishers(view: StoryView) -> list[str]:
    seen: list[str] = []
    for entry in view.entries:
        publisher = entry.card.publisher
        if publisher and publisher.id not in seen:
            seen.append(publisher.id)
    return seen


def _fields(base: str, view: StoryView) -> dict[str, Any]:
    return {
        "id": view.public_id,
        "slug": view.slug,
        "url": f"{base}/stories/{view.slug}",
        "title": view.title,
        "kind": view.kind,
        "state": view.state,
        "created_at": view.created_at,
        "updated_at": view.updated_at,
        "entry_count": len(view.entries),
        "org_ids": _publishers(view),
    }


def _found(conn: Connection, key: str) -> StoryView:
    view = find_story(conn, key)
    if view is None:
        raise HTTPException(404, f"No story {key!r}.")
    return view


@router.get(
    "/stories",
    response_model=StoryList,
    responses={**NOT_MODIFIED, **problems(400)},
    summary="Stories",
)
def list_stories(request: Request, limit: Limit = 20, cursor: Cursor = None) -> Response:
    """Stories and compilations, the most recently updated first."""
    base = site(request)

    def build(conn: Connection) -> StoryList:
        s = stories.c
        q = sa.select(s.id, s.public_id, s.updated_at).where(s.accepted.is_(True))
        after = cursors.after_time(cursor, "stories")
        if after is not None:
            when, ident = after
            q = q.where(sa.or_(s.updated_at < when, sa.and_(s.updated_at == when, s.id < ident)))
        rows = list(conn.execute(q.order_by(s.updated_at.desc(), s.id.desc()).limit(limit + 1)))
        shown = rows[:limit]
        views = [_found(conn, r.public_id) for r in shown]
        following = None
        if len(rows) > limit and shown:
            following = cursors.encode("stories", shown[-1].updated_at.isoformat(), shown[-1].id)
        return StoryList(items=[Story(**_fields(base, v)) for v in views], next_cursor=following)

    return answer(request, build, private=False)


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    responses={**NOT_MODIFIED, **problems(404)},
    summary="One story",
)
def get_story(request: Request, who: CallerDep, story_id: Key) -> Response:
    """A story with its entries in the order they were added, each with its sub-headline."""
    base = site(request)

    def build(conn: Connection) -> StoryDetail:
        view = _found(conn, story_id)
        shown = query.by_ids(conn, base, [e.card.id for e in view.entries], newsroom=who.newsroom)
        entries = [
            StoryEntry(
                position=e.position,
                subheadline=e.subheadline,
                added_at=e.added_at,
                item=shown[e.card.id],
            )
            for e in view.entries
            if e.card.id in shown
        ]
        return StoryDetail(**_fields(base, view), entries=entries)

    return answer(request, build, private=who.newsroom)


@router.get(
    "/stories/{story_id}/responses",
    response_model=StoryResponses,
    responses={**NOT_MODIFIED, **problems(404)},
    summary="Which network members have spoken in a story",
)
def story_responses(request: Request, story_id: Key) -> Response:
    """The organisations of the network (KB `network_member` yes) that published an entry of
    the story, and those that have not, grouped by UN M.49 region (null: no country).
    Regions are in alphabetical order; organisations by country, then name."""

    def build(conn: Connection) -> StoryResponses:
        view = _found(conn, story_id)
        found = responses(conn, view)
        return StoryResponses(
            story=view.public_id,
            members=found.members,
            spoken=found.spoken,
            silent=found.silent,
            regions=regions_of(found),
        )

    return answer(request, build, private=False)


@router.get(
    "/events/{event_id}/responses",
    response_model=EventResponses,
    responses={**NOT_MODIFIED, **problems(404)},
    summary="Which network members have spoken on an event",
)
def event_responses(request: Request, event_id: Key) -> Response:
    """The organisations of the network that published an item linked to the event, and
    those that have not, grouped by UN M.49 region (null: no country)."""

    def build(conn: Connection) -> EventResponses:
        if conn.execute(sa.select(events.c.id).where(events.c.id == event_id)).first() is None:
            raise HTTPException(404, f"No event {event_id!r}.")
        found = tracked_event(conn, event_id)
        return EventResponses(
            event=event_id,
            members=found.members,
            spoken=found.spoken,
            silent=found.silent,
            regions=regions_of(found),
        )

    return answer(request, build, private=False)


@router.post(
    "/stories/{story_id}/items",
    status_code=201,
    response_model=StoryEntry,
    responses=problems(401, 403, 404, 409),
    openapi_extra=needs(Action.EDIT_STORIES),
    summary="Append a published item to a story",
)
def add_entry(
    request: Request,
    actor: Annotated[Actor, Depends(allowed(Action.EDIT_STORIES))],
    story_id: Key,
    body: EntryCreate,
) -> Response:
    """Entries are append-only: the item gets the next position and the time it was added.
    409 when the item is not published or is in the story already."""
    db = request.app.state.db
    with db.read() as conn:
        public_id = _found(conn, story_id).public_id
        if query.row_of(conn, body.item) is None:
            raise HTTPException(422, f"item: no item {body.item!r}.")
    try:
        position = editorial.add_entry(db, actor, public_id, body.item, body.subheadline)
    except editorial.StoryNotFound:
        raise HTTPException(404, f"No story {story_id!r}.") from None
    except editorial.StoryError as exc:
        raise HTTPException(409, str(exc)) from None
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    base = site(request)
    with db.read() as conn:
        row = conn.execute(
            sa.select(story_items)
            .join(stories, stories.c.id == story_items.c.story_id)
            .where(
                stories.c.public_id == public_id,
                story_items.c.position == position,
                story_items.c.version.is_(None),
            )
        ).one()
        item = query.by_ids(conn, base, [row.item_id], newsroom=True)[row.item_id]
    entry = StoryEntry(
        position=position, subheadline=row.subheadline, added_at=row.added_at, item=item
    )
    return json_response(entry, 201, {"Location": f"{PREFIX}/stories/{public_id}"})


def regions_of(found: Responses) -> list[RegionResponses]:
    """The tracker's regions as the API shows them."""
    return [
        RegionResponses(
            region=g.region,
            spoken=[
                Responder(
                    id=v.id,
                    name=v.name,
                    country=v.country,
                    items=v.items,
                    first_added_at=v.first_added_at,
                )
                for v in g.spoken
            ],
            silent=[Silent(id=v.id, name=v.name, country=v.country) for v in g.silent],
        )
        for g in found.regions
    ]

"""``GET /api/v1/items`` and ``GET /api/v1/items/{id}``: published items, and for the newsroom
every status with the machine's suggestions."""

from __future__ import annotations

from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.search import SearchQueryError, matched
from tribune.db.tables import stories
from tribune.newsroom.inbox import STATUSES
from tribune.reading.listing import Filters
from tribune.web.api import query
from tribune.web.api.auth import CallerDep, newsroom_only
from tribune.web.api.caching import answer
from tribune.web.api.params import (
    NOT_MODIFIED,
    Cursor,
    Key,
    Limit,
    Since,
    Text,
    Until,
    day_after,
    day_start,
    problems,
    site,
)
from tribune.web.api.schemas import Item, ItemList, Kind, Status
from tribune.web.errors import problem

router = APIRouter(tags=["items"])


class Gone(Exception):
    """A withdrawn item: readers get 410 with its correction note."""

    def __init__(self, title: str, correction: str) -> None:
        super().__init__(title)
        self.title = title
        self.correction = correction


def story_id(conn: Connection, key: str) -> int:
    """The row id of the accepted story with this slug or public id (-1: none, so nothing
    matches)."""
    found = conn.execute(
        sa.select(stories.c.id).where(
            sa.or_(stories.c.slug == key, stories.c.public_id == key),
            stories.c.accepted.is_(True),
        )
    ).scalar()
    return int(found) if found is not None else -1


@router.get(
    "/items",
    response_model=ItemList,
    responses={**NOT_MODIFIED, **problems(400)},
    summary="Items, newest first",
)
def list_items(
    request: Request,
    who: CallerDep,
    org: Text = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    person: Text = None,
    event: Text = None,
    story: Annotated[str | None, Query(max_length=200, description="public id or slug")] = None,
    kind: Kind | None = None,
    language: Annotated[str | None, Query(max_length=10)] = None,
    since: Since = None,
    until: Until = None,
    q: Annotated[str | None, Query(max_length=500, description="full-text search")] = None,
    status: Annotated[
        Status | Literal["all"] | None,
        Query(description="newsroom clients only, except `published` (the default)"),
    ] = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Response:
    """Items newest first, published ones unless a newsroom client asks for a `status`.

    Filters combine with AND: `org` published by or mentioning the organisation, `country`
    its publisher's country or a mentioned one, `person`, `event`, `story`, `kind`,
    `language`, `since` and `until` (whole days), `q` words of the text (only published
    items are searchable). Newsroom clients get each item's `suggestions`."""
    statuses: tuple[str, ...] = query.PUBLISHED
    if status is not None and status != "published":
        newsroom_only(who, "Items of other statuses")
        statuses = STATUSES if status == "all" else (status,)
    base = site(request)

    def build(conn: Connection) -> ItemList:
        filters = Filters(
            org=org or None,
            country=country.upper() if country else None,
            person=person or None,
            event=event or None,
            story_id=story_id(conn, story) if story else None,
            kind=kind,
            language=language.lower() if language else None,
            since=day_start(since),
            until=day_after(until),
        )
        among = None
        if q and q.strip():
            try:
                among = matched(conn, q)
            except SearchQueryError as exc:
                raise HTTPException(400, f"q: {exc}.") from None
        return query.page(
            conn,
            base,
            filters,
            statuses=statuses,
            among=among,
            newsroom=who.newsroom,
            limit=limit,
            cursor=cursor,
        )

    return answer(request, build, private=who.newsroom)


@router.get(
    "/items/{item_id}",
    response_model=Item,
    responses={**NOT_MODIFIED, **problems(404, 410)},
    summary="One item",
)
def get_item(request: Request, who: CallerDep, item_id: Key) -> Response:
    """A published item; 410 with its `correction` for a withdrawn one. Newsroom clients get
    an item of any status, with its suggestions."""
    base = site(request)

    def build(conn: Connection) -> Item:
        row = query.row_of(conn, item_id)
        if row is None or (not who.newsroom and row.status not in ("published", "withdrawn")):
            raise HTTPException(404, f"No published item {item_id!r}.")
        if not who.newsroom and row.status == "withdrawn":
            raise Gone(row.title, row.correction)
        return query.models(conn, base, [row], newsroom=who.newsroom)[0]

    try:
        return answer(request, build, private=who.newsroom)
    except Gone as gone:
        return problem(
            410,
            "This item was withdrawn.",
            item_title=gone.title,
            correction=gone.correction,
        )

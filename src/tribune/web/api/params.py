"""What the API's routes share: paging parameters, date filters, documented problems, URLs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import HTTPException, Path, Query, Request

from tribune.web.api.schemas import Problem
from tribune.web.public.feeds import base_url

PREFIX = "/api/v1"

Limit = Annotated[int, Query(ge=1, le=100, description="entries per page (at most 100)")]
Cursor = Annotated[
    str | None,
    Query(max_length=400, description="the `next_cursor` of the previous page"),
]
Since = Annotated[date | None, Query(description="on or after this day (YYYY-MM-DD, UTC)")]
Until = Annotated[date | None, Query(description="on or before this day (YYYY-MM-DD, UTC)")]
Text = Annotated[str | None, Query(max_length=200)]
Key = Annotated[str, Path(min_length=1, max_length=200)]


def day_start(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, UTC) if day else None


def day_after(day: date | None) -> datetime | None:
    """The start of the day after *day*: ``until`` takes in the whole of its day."""
    if day is None:
        return None
    try:
        return datetime.combine(day, time.min, UTC) + timedelta(days=1)
    except OverflowError:
        return None


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for these problem statuses (served as ``application/problem+json``)."""
    return {code: {"model": Problem, "description": HTTPStatus(code).phrase} for code in codes}


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the `ETag` sent in `If-None-Match` is current"}
}


def site(request: Request) -> str:
    """The site's base URL, for the links answers carry."""
    return base_url(request)


def storable_text(request: Request) -> None:
    """A router dependency: NUL characters in the path or the query are refused (422), as no
    database stores them."""
    if "\x00" in request.scope["path"] or any(
        "\x00" in v for _, v in request.query_params.multi_items()
    ):
        raise HTTPException(422, "NUL characters are not allowed in the path or the query.")

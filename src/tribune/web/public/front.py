"""The front page: the featured block, then the latest published items, paginated."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.reading.listing import CursorError, featured, latest
from tribune.web.render import Built, cached_response, render

router = APIRouter()
PER_PAGE = 20


@router.get("/", response_class=Response)
def front_page(request: Request, after: str | None = None) -> Response:
    def build(conn: Connection) -> Built:
        try:
            page = latest(conn, limit=PER_PAGE, cursor=after)
        except CursorError as exc:
            raise HTTPException(400, str(exc)) from None
        pinned = [] if after else featured(conn)
        return Built(
            render(request, "front.html", featured=pinned, page=page, feeds="/index", after=after)
        )

    return cached_response(request, build)

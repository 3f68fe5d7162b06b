"""``GET /api/v1/search?q=``: published items matching words, best first, each with a snippet.

The query language is the site's (:mod:`tribune.db.search`): all words, ``"a phrase"``,
``a or b``, ``-word``. The snippet is HTML made as the search page makes it: the index marks
the matches with private-use characters, the text is escaped, then the marks become ``<mark>``
and ``</mark>`` (:func:`tribune.web.filters.highlight`), so no stored text can put markup in a
snippet. A query with nothing to search for is a 400 problem.
"""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.search import SearchQueryError, ranked, snippets
from tribune.db.tables import items
from tribune.reading.listing import Filters
from tribune.web.api import cursors, query
from tribune.web.api.auth import CallerDep
from tribune.web.api.caching import answer
from tribune.web.api.params import (
    NOT_MODIFIED,
    Cursor,
    Limit,
    Since,
    Text,
    Until,
    day_after,
    day_start,
    problems,
    site,
)
from tribune.web.api.schemas import Kind, SearchHit, SearchResults
from tribune.web.filters import highlight

router = APIRouter(tags=["search"])


@router.get(
    "/search",
    response_model=SearchResults,
    responses={**NOT_MODIFIED, **problems(400)},
    summary="Full-text search",
)
def search(
    request: Request,
    who: CallerDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="the words to find")],
    org: Text = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    language: Annotated[str | None, Query(max_length=10)] = None,
    kind: Kind | None = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Response:
    """Published items matching `q`, best first, with `total` and a highlighted `snippet`."""
    base = site(request)
    filters = Filters(
        org=org or None,
        country=country.upper() if country else None,
        language=language.lower() if language else None,
        kind=kind,
        since=day_start(since),
        until=day_after(until),
    )

    def build(conn: Connection) -> SearchResults:
        try:
            hits = ranked(conn, q)
        except SearchQueryError as exc:
            raise HTTPException(400, f"q: {exc}.") from None
        start = cursors.offset(cursor, "search")
        found = (
            query.filtered(query.item_select(), filters)
            .where(items.c.status == "published")
            .join(hits, hits.c.item_id == items.c.id)
        )
        total = conn.execute(sa.select(sa.func.count()).select_from(found.subquery())).scalar_one()
        rows = list(
            conn.execute(
                found.order_by(hits.c.rank, items.c.published_at.desc(), items.c.id.desc())
                .limit(limit)
                .offset(start)
            )
        )
        shown = query.models(conn, base, rows, newsroom=who.newsroom)
        marked = snippets(conn, q, [r.id for r in rows])
        following = cursors.encode("search", start + limit) if start + limit < total else None
        return SearchResults(
            items=[
                SearchHit(item=item, snippet=str(highlight(marked.get(r.id, ""))))
                for item, r in zip(shown, rows, strict=True)
            ],
            next_cursor=following,
            total=int(total),
        )

    return answer(request, build, private=who.newsroom)

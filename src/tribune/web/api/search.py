"""``GET /api/v1/search?q=``: published items matching words, best first, each with a snippet.

The query language is the site's (:mod:`tribune.db.search`): all words, ``"a phrase"``,
``a or b``, ``-word``. The snippet is HTML made as the search page makes it: the index marks
the matches with private-use characters, the text is escaped, then the marks become ``<mark>``
and ``</mark>`` (:func:`tribune.web.filters.highlight`), so no stored text can put markup in a
snippet. A query with nothing to search for is a 400 problem.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.search import SearchQueryError, snippets
from tribune.reading.listing import Filters
from tribune.reading.search import search as search_published
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
        start = cursors.offset(cursor, "search")
        try:
            found = search_published(conn, q, filters, limit=limit, offset=start)
        except SearchQueryError as exc:
            raise HTTPException(400, f"q: {exc}.") from None
        by_id = query.by_ids(conn, base, found.ids, newsroom=who.newsroom)
        marked = snippets(conn, q, found.ids)
        more = start + limit < found.total
        return SearchResults(
            items=[
                SearchHit(item=by_id[i], snippet=str(highlight(marked.get(i, ""))))
                for i in found.ids
                if i in by_id
            ],
            next_cursor=cursors.encode("search", start + limit) if more else None,
            total=found.total,
        )

    return answer(request, build, private=who.newsroom)

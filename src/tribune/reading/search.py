"""Searching the published items: the matches of a query, narrowed by listing filters, a page
at a time, with the total.

Every statement starts from the search index, never from ``items``. Started from ``items`` (as
a join of every published item to the index lets the planner do), a search probes the index
once per published item and takes seconds on 100,000 items, whatever the query. So:

- the total is a count of the index's matches alone when no filter is set, and otherwise a
  count of the items that pass the filters among ``id IN (the matches)``;
- best first, the matches are ranked in the index (:func:`tribune.db.search.ranked`, a
  materialised expression) and, with filters, each looked up in ``items`` by key;
- newest first (for feeds), the newest published items are walked by the listing index and
  kept when they are among the matches.

Ties of rank go to the item gathered last (the larger id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.search import matched, ranked
from tribune.db.tables import items, sources
from tribune.reading.listing import Filters, narrowed

PUBLISHED = "published"


@dataclass(frozen=True)
class Found:
    """One page of a search: the items' ids in order, and how many match in all."""

    ids: list[int]
    total: int


def _filtered(filters: Filters, column: sa.ColumnElement[Any]) -> sa.Select[Any]:
    query = (
        sa.select(column)
        .select_from(items.outerjoin(sources, sources.c.id == items.c.source_id))
        .where(items.c.status == PUBLISHED)
    )
    return narrowed(query, filters)


def search(
    conn: Connection,
    text: str,
    filters: Filters | None = None,
    *,
    limit: int,
    offset: int = 0,
    newest_first: bool = False,
) -> Found:
    """The published items that match *text* and pass *filters*: one page, best first (or
    newest first), and the total. Raises :class:`tribune.db.search.SearchQueryError` for a
    query with nothing to search for."""
    filters = filters or Filters()
    unfiltered = filters == Filters()
    matches = matched(conn, text)
    if unfiltered:
        count = sa.select(sa.func.count()).select_from(matches.subquery())
    else:
        count = _filtered(filters, sa.func.count()).where(items.c.id.in_(matches))
    total = int(conn.execute(count).scalar_one())
    if total == 0 or offset >= total:
        return Found([], total)
    if newest_first:
        page = (
            _filtered(filters, items.c.id)
            .where(items.c.id.in_(matches))
            .order_by(items.c.published_at.desc(), items.c.id.desc())
        )
    else:
        hits = ranked(conn, text, materialized=not unfiltered)
        if unfiltered:
            page = sa.select(hits.c.item_id).order_by(hits.c.rank, hits.c.item_id.desc())
        else:
            page = (
                _filtered(filters, items.c.id)
                .join(hits, hits.c.item_id == items.c.id)
                .order_by(hits.c.rank, items.c.id.desc())
            )
    ids = [int(i) for i in conn.execute(page.limit(limit).offset(offset)).scalars()]
    return Found(ids, total)

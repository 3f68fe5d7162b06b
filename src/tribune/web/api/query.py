"""Items as the API shows them, read in a few queries per page.

Clients outside the newsroom see published items only; newsroom clients may ask for any status,
and get each item's mentions as ``suggestions`` (the linker's output as stored). Filters and
``org_ids`` mean what they mean on the reader site (:class:`tribune.reading.listing.Filters`,
links with editors' decisions applied, :mod:`tribune.reading.links`). Lists are newest first by
the statement's date (the time it was gathered, for an item without one) and id, paged by that
key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import item_revisions, items, mentions, sources
from tribune.newsroom.kinds import suggested_kinds
from tribune.reading.links import effective_links
from tribune.reading.listing import Filters, narrowed
from tribune.reading.marks import with_new_signatures
from tribune.web.api import cursors
from tribune.web.api.schemas import Item, ItemList, KindSuggestion, Mention
from tribune.web.filters import item_url

PUBLISHED = ("published",)
_SEEN_BY_READERS = ("published", "withdrawn")
_original = items.alias("original")


def item_select() -> sa.Select[Any]:
    revisions = (
        sa.select(sa.func.count())
        .where(item_revisions.c.item_id == items.c.id)
        .correlate(items)
        .scalar_subquery()
    )
    return sa.select(
        items.c.id,
        items.c.public_id,
        items.c.slug,
        items.c.url,
        items.c.canonical_url,
        items.c.title,
        items.c.lead,
        items.c.body_html,
        items.c.language,
        items.c.published_at,
        items.c.fetched_at,
        items.c.updated_at,
        items.c.kind,
        items.c.status,
        items.c.featured,
        items.c.correction,
        sources.c.org_id,
        sources.c.rights,
        _original.c.public_id.label("duplicate_public_id"),
        revisions.label("revision_count"),
    ).select_from(
        items.outerjoin(sources, sources.c.id == items.c.source_id).outerjoin(
            _original, _original.c.id == items.c.duplicate_of
        )
    )


def _sort_key(statuses: Sequence[str]) -> sa.ColumnElement[Any]:
    # published items always have a date (publishing gives one); others may not
    if all(s in _SEEN_BY_READERS for s in statuses):
        return items.c.published_at
    return sa.func.coalesce(items.c.published_at, items.c.fetched_at)


def page(
    conn: Connection,
    base: str,
    filters: Filters,
    *,
    statuses: Sequence[str] = PUBLISHED,
    among: sa.Select[Any] | None = None,
    newsroom: bool = False,
    limit: int = 20,
    cursor: str | None = None,
) -> ItemList:
    """One page of items of *statuses* passing *filters* (and whose ids are *among* those
    selected, such as a search's matches), newest first."""
    key = _sort_key(statuses)
    query = narrowed(item_select(), filters).where(items.c.status.in_(list(statuses)))
    if among is not None:
        query = query.where(items.c.id.in_(among))
    after = cursors.after_time(cursor, "items")
    if after is not None:
        when, ident = after
        query = query.where(sa.or_(key < when, sa.and_(key == when, items.c.id < ident)))
    query = query.add_columns(key.label("sort_key"))
    rows = list(conn.execute(query.order_by(key.desc(), items.c.id.desc()).limit(limit + 1)))
    shown = rows[:limit]
    following = None
    if len(rows) > limit and shown:
        last = shown[-1]
        following = cursors.encode("items", last.sort_key.isoformat(), last.id)
    return ItemList(items=models(conn, base, shown, newsroom=newsroom), next_cursor=following)


def by_ids(conn: Connection, base: str, ids: Sequence[int], *, newsroom: bool) -> dict[int, Item]:
    """Items by their row ids (any status: the caller decides who sees what)."""
    if not ids:
        return {}
    rows = list(conn.execute(item_select().where(items.c.id.in_(list(ids)))))
    return dict(zip([r.id for r in rows], models(conn, base, rows, newsroom=newsroom), strict=True))


def row_of(conn: Connection, public_id: str) -> Any:
    """The row of an item by public id, or None."""
    return conn.execute(item_select().where(items.c.public_id == public_id)).first()


def models(conn: Connection, base: str, rows: Sequence[Any], *, newsroom: bool) -> list[Item]:
    """Rows of :func:`item_select` as API items."""
    ids = [r.id for r in rows]
    orgs = _mentioned_orgs(conn, ids)
    grown = with_new_signatures(conn, [r.id for r in rows if r.kind == "joint-statement"])
    found = _mentions(conn, ids) if newsroom else {}
    proposed = suggested_kinds(conn, ids) if newsroom else {}
    out = []
    for r in rows:
        org_ids = [r.org_id] if r.org_id else []
        org_ids += [o for o in orgs.get(r.id, []) if o not in org_ids]
        fields: dict[str, Any] = {
            "id": r.public_id,
            "url": base + item_url(r) if r.status in _SEEN_BY_READERS else None,
            "source_url": r.url,
            "canonical_url": r.canonical_url,
            "title": r.title,
            "lead": r.lead,
            "language": r.language,
            "published_at": r.published_at,
            "updated_at": r.updated_at,
            "kind": r.kind,
            "status": r.status,
            "featured": bool(r.featured),
            "org_ids": org_ids,
            "duplicate_of": r.duplicate_public_id,
            "revision_count": int(r.revision_count or 0),
            "new_signatures": r.id in grown,
        }
        if newsroom or r.rights != "excerpt":
            fields["body_html"] = r.body_html
        if newsroom:
            fields["suggestions"] = found.get(r.id, [])
            guess = proposed.get(r.id)
            fields["kind_suggestion"] = (
                KindSuggestion(
                    kind=guess.kind, confidence=guess.confidence, evidence=guess.evidence
                )
                if guess
                else None
            )
        out.append(Item(**fields))
    return out


def _mentioned_orgs(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    """The organisations each item is linked to (editors' decisions applied), in order."""
    return {
        item_id: [entity for kind, entity in links if kind == "org"]
        for item_id, links in effective_links(conn, ids).items()
    }


def _mentions(conn: Connection, ids: list[int]) -> dict[int, list[Mention]]:
    if not ids:
        return {}
    out: dict[int, list[Mention]] = {}
    for m in conn.execute(
        sa.select(mentions)
        .where(mentions.c.item_id.in_(ids))
        .order_by(mentions.c.item_id, mentions.c.field.desc(), mentions.c.start, mentions.c.id)
    ):
        out.setdefault(m.item_id, []).append(
            Mention(
                type=m.type,
                id=m.entity_id,
                surface=m.surface,
                field=m.field,
                start=m.start,
                end=m.end,
                confidence=float(m.confidence),
                candidates=[str(c) for c in m.candidates] if m.candidates else None,
            )
        )
    return out

"""Atom, RSS 2.0 and JSON Feed versions of listings: the listing's path plus ``.atom``,
``.rss`` or ``.json`` (``/index.atom`` for the front page). Withdrawn and unpublished items are
never in a feed: feeds are built from the same published-only listing as the pages."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Connection

from tribune.reading.listing import Card, Filters, latest
from tribune.reading.org_profiles import org_redirect
from tribune.reading.orgs import org_labels
from tribune.web.feeds import MEDIA_TYPES, FeedEntry, FeedInfo
from tribune.web.feeds import render as render_feed
from tribune.web.filters import item_url
from tribune.web.render import Built, cached_response

router = APIRouter()
FEED_ITEMS = 50


def base_url(request: Request) -> str:
    configured: str = request.app.state.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")


def entry_of(base: str, card: Card) -> FeedEntry:
    return FeedEntry(
        id=card.public_id,
        url=base + item_url(card),
        title=card.title,
        summary=card.lead,
        content_html=card.body_html,
        published=card.published_at,
        updated=max(card.updated_at, card.published_at),
        authors=tuple(o.name for o in card.orgs),
        categories=tuple(o.short for o in card.orgs),
        language=card.language,
        source_url=card.url,
    )


def feed_response(
    request: Request, fmt: str, title: str, html_path: str, filters: Filters
) -> Response:
    """The feed of a listing, in *fmt* (atom, rss, json), cached like its page."""
    if fmt not in MEDIA_TYPES:
        raise HTTPException(404, f"No feed format {fmt!r}: use atom, rss or json.")
    base = base_url(request)

    def build(conn: Connection) -> Built:
        cards = latest(conn, filters, limit=FEED_ITEMS).cards
        info = FeedInfo(
            title=title,
            site_url=base + html_path,
            feed_url=f"{base}{'/index' if html_path == '/' else html_path}.{fmt}",
            feed_id=base + html_path,
            description=f"{title}: statements gathered and published by Tribune",
        )
        body, media = render_feed(fmt, info, [entry_of(base, c) for c in cards])
        return Built(body, media)

    return cached_response(request, build)


@router.get("/index.{fmt}", response_class=Response)
def front_feed(request: Request, fmt: str) -> Response:
    return feed_response(request, fmt, "Tribune", "/", Filters())


@router.get("/orgs/{org_id}.{fmt}", response_class=Response)
def org_feed(request: Request, org_id: str, fmt: str) -> Response:
    """The organisation's own statements, as on its page."""
    with request.app.state.db.read() as conn:
        label = org_labels(conn, [org_id]).get(org_id)
        moved = None if label else org_redirect(conn, org_id)
    if moved:
        return RedirectResponse(f"/orgs/{moved}.{fmt}", status_code=301)
    if label is None:
        raise HTTPException(404, f"No organisation {org_id!r}.")
    return feed_response(request, fmt, label.name, f"/orgs/{org_id}", Filters(publisher=org_id))

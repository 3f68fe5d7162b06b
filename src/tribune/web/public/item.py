"""An item's page: headline, lead, dateline, body, what it concerns, its stories and editions."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.engine import Connection

from tribune.reading.item import ItemGone, ItemView, find_item
from tribune.web.filters import item_url
from tribune.web.public.feeds import base_url
from tribune.web.render import Built, cached_response, render

router = APIRouter()


@router.get("/items/{public_id}", response_class=Response)
def item_without_slug(request: Request, public_id: str) -> Response:
    return item_page(request, public_id, "")


@router.get("/items/{public_id}/{slug}", response_class=Response)
def item_page(request: Request, public_id: str, slug: str) -> Response:
    def build(conn: Connection) -> Built:
        try:
            view = find_item(conn, public_id)
        except ItemGone as gone:
            body = render(request, "gone.html", title=gone.title, correction=gone.correction)
            return Built(body, status=410)
        if view is None:
            raise HTTPException(404, "There is no published item at this address.")
        if slug != view.card.slug:
            return Built(b"", status=301, location=f"/items/{public_id}/{view.card.slug}")
        canonical = base_url(request) + item_url(view.card)
        return Built(
            render(
                request,
                "item.html",
                view=view,
                card=view.card,
                canonical=canonical,
                json_ld=Markup(news_article(view, canonical)),
            )
        )

    return cached_response(request, build)


def news_article(view: ItemView, url: str) -> str:
    """schema.org NewsArticle as JSON-LD, safe inside a ``<script>`` data block."""
    card = view.card
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": card.title[:110],
        "description": card.lead,
        "datePublished": card.published_at.isoformat(),
        "dateModified": (view.revised_at or card.updated_at).isoformat(),
        "inLanguage": card.language or None,
        "url": url,
        "mainEntityOfPage": url,
        "isBasedOn": view.source_url,
        "author": [{"@type": "Organization", "name": o.name} for o in card.orgs[:1]],
        "about": [link.label for links in view.concerns.values() for link in links],
    }
    text = json.dumps({k: v for k, v in data.items() if v not in (None, [], "")})
    # "</script>" or "<!--" in a headline must not end the data block
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

"""What crawlers read: ``/robots.txt`` and ``/sitemap.xml`` (sitemaps.org protocol 0.9).

The sitemap lists the front page, every published item (with its last change as ``lastmod``)
and the page of every organisation with published statements. A sitemap holds at most
:data:`MAX_URLS` addresses; past that ``/sitemap.xml`` becomes a sitemap index of
``/sitemap-{n}.xml`` parts, newest items first. URLs are absolute, from the configured public
URL (or the request's), so the cache key includes that base.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from xml.sax.saxutils import escape

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.tables import items
from tribune.reading.org_profiles import orgs_with_items
from tribune.web.filters import entity_url
from tribune.web.public.feeds import base_url
from tribune.web.render import Built, cached_response

router = APIRouter()
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML = "application/xml; charset=utf-8"
MAX_URLS = 50_000  # the protocol's limit per sitemap file

Entry = tuple[str, datetime | None]  # path, last modified


def _lastmod(moment: datetime | None) -> str:
    if moment is None:
        return ""
    utc = moment.astimezone(UTC).replace(microsecond=0)
    return f"<lastmod>{utc.strftime('%Y-%m-%dT%H:%M:%SZ')}</lastmod>"


def _urlset(base: str, entries: Iterable[Entry]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<urlset xmlns="{SITEMAP_NS}">\n']
    for path, modified in entries:
        out.append(f"<url><loc>{escape(base + path)}</loc>{_lastmod(modified)}</url>\n")
    out.append("</urlset>\n")
    return "".join(out).encode()


def _index(base: str, parts: int, modified: datetime | None) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    for n in range(1, parts + 1):
        loc = escape(f"{base}/sitemap-{n}.xml")
        out.append(f"<sitemap><loc>{loc}</loc>{_lastmod(modified)}</sitemap>\n")
    out.append("</sitemapindex>\n")
    return "".join(out).encode()


def _entries(conn: Connection) -> list[Entry]:
    """Every address of the sitemap: pages of organisations, then items, newest first."""
    rows = conn.execute(
        sa.select(items.c.public_id, items.c.slug, items.c.published_at, items.c.updated_at)
        .where(items.c.status == "published")
        .order_by(items.c.published_at.desc(), items.c.id.desc())
    ).all()
    orgs = orgs_with_items(conn)
    newest = max((r.updated_at for r in rows), default=None)
    found: list[Entry] = [("/", newest)]
    found += [(entity_url("org", org_id), when) for org_id, when in orgs.items()]
    found += [
        (
            f"/items/{r.public_id}/{r.slug or 'item'}",
            max(r.updated_at, r.published_at) if r.published_at else r.updated_at,
        )
        for r in rows
    ]
    return found


def _key(request: Request) -> str:
    return base_url(request) + request.url.path


@router.get("/sitemap.xml", response_class=Response)
def sitemap(request: Request) -> Response:
    base = base_url(request)

    def build(conn: Connection) -> Built:
        entries = _entries(conn)
        if len(entries) <= MAX_URLS:
            return Built(_urlset(base, entries), XML)
        parts = -(-len(entries) // MAX_URLS)
        return Built(_index(base, parts, entries[0][1]), XML)

    return cached_response(request, build, key=_key(request))


@router.get("/sitemap-{part}.xml", response_class=Response)
def sitemap_part(request: Request, part: str) -> Response:
    base = base_url(request)

    def build(conn: Connection) -> Built:
        entries = _entries(conn)
        n = int(part) if part.isdigit() else 0
        if len(entries) <= MAX_URLS or not 1 <= n <= -(-len(entries) // MAX_URLS):
            raise HTTPException(404, "There is no such part of the sitemap.")
        return Built(_urlset(base, entries[(n - 1) * MAX_URLS : n * MAX_URLS]), XML)

    return cached_response(request, build, key=_key(request))


@router.get("/robots.txt", response_class=Response)
def robots(request: Request) -> Response:
    base = base_url(request)

    def build(conn: Connection) -> Built:
        text = (
            "User-agent: *\n"
            "Allow: /\n"
            "Disallow: /editor\n"
            "Disallow: /api/\n"
            "\n"
            f"Sitemap: {base}/sitemap.xml\n"
        )
        return Built(text.encode(), "text/plain; charset=utf-8")

    return cached_response(request, build, key=_key(request))

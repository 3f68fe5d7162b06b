"""A dry run for one URL: what polling it would ingest, and why; nothing is stored.

The URL is read by the same adapter a source of that kind would use (``auto`` by default: the URL
as a feed, else a feed the page announces or one at a common path, else the page as a listing,
first poll, so with the backfill). Each entry says whether the feed carries the full text or the
page would be fetched and extracted.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from tribune.config import Settings, get_settings
from tribune.ingest.adapters import adapter_for
from tribune.ingest.canonical import canonical_url
from tribune.ingest.errors import FetchError
from tribune.ingest.feeds import FeedError
from tribune.ingest.fetch import Fetcher
from tribune.ingest.pagelist import RecipeError


@dataclass
class Probe:
    url: str
    kind: str = ""  # feed, page or error
    detail: str = ""
    entries: list[dict[str, str | None]] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


def probe(
    url: str,
    settings: Settings | None = None,
    *,
    kind: str = "auto",
    recipe: dict[str, Any] | None = None,
) -> Probe:
    return asyncio.run(_probe(url, settings or get_settings(), kind, recipe))


async def _probe(url: str, settings: Settings, kind: str, recipe: dict[str, Any] | None) -> Probe:
    report = Probe(url)
    source = {"url": url, "etag": None, "last_modified": None, "recipe": recipe}
    async with Fetcher(settings) as fetcher:
        try:
            reading = await adapter_for(kind, fetcher, settings).read(source, first_poll=True)
        except (FetchError, FeedError, RecipeError) as exc:
            report.kind, report.detail = "error", str(exc)
            return report
    found = reading.recipe or {}
    if found.get("feed"):
        report.feeds = [found["feed"]]
    listing = kind == "page" or found.get("listing")
    report.kind = "page" if listing else "feed"
    report.detail = "; ".join(reading.notes)
    for entry in reading.entries:
        report.entries.append(
            {
                "title": entry.title,
                "url": entry.url,
                "canonical_url": canonical_url(entry.url) if entry.url else None,
                "published_at": entry.published.at.isoformat() if entry.published else None,
                "why": "full text in the feed"
                if entry.content_html
                else "the page would be fetched and extracted"
                if entry.url
                else "skipped: no link",
            }
        )
    return report

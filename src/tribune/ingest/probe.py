"""A dry run for one URL: what polling it would ingest, and why; nothing is stored.

A feed lists its entries, each with whether the feed carries the full text (else the page
would be fetched and extracted). An HTML page lists the feeds it announces with
``<link rel="alternate">``, which ``auto`` sources use.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from tribune.config import Settings
from tribune.ingest.canonical import canonical_url
from tribune.ingest.errors import FetchError
from tribune.ingest.feeds import FeedError, parse_feed
from tribune.ingest.fetch import Fetcher

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass
class Probe:
    url: str
    kind: str = ""  # feed, page or error
    detail: str = ""
    entries: list[dict[str, str | None]] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)


class _Alternates(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        kind = (a.get("type") or "").lower()
        if tag == "link" and "alternate" in rel and kind in FEED_TYPES and a.get("href"):
            self.found.append(urljoin(self.base, a["href"] or ""))


def probe(url: str, settings: Settings | None = None) -> Probe:
    return asyncio.run(_probe(url, settings))


async def _probe(url: str, settings: Settings | None) -> Probe:
    report = Probe(url)
    async with Fetcher(settings) as fetcher:
        try:
            result = await fetcher.fetch(url)
        except FetchError as exc:
            report.kind, report.detail = "error", str(exc)
            return report
    try:
        feed = parse_feed(result.body)
    except FeedError as exc:
        parser = _Alternates(result.url)
        parser.feed(result.text)
        report.kind = "page"
        report.feeds = parser.found
        report.detail = (
            f"not a feed ({exc}); it announces {len(parser.found)} feed(s)"
            if parser.found
            else f"not a feed ({exc}) and it announces none: listing pages are not read yet"
        )
        return report
    report.kind = "feed"
    report.detail = f"{feed.kind} feed with {len(feed.entries)} entries"
    for entry in feed.entries:
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

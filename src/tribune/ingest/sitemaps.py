"""Sitemaps: news sitemaps (``news:`` titles, dates and languages) and sitemap indexes.

A party site without a feed often has a sitemap; its ``<url>`` entries become entries like a
feed's (their pages are fetched and extracted). An index points to child sitemaps; the newest
ones (by ``lastmod``) are read, as news sites list recent items in their latest files. Python's
expat refuses entity-expansion bombs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from tribune.ingest.feeds import FeedEntry, FeedError, parse_date

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
MAX_CHILDREN = 3


@dataclass
class Sitemap:
    entries: list[FeedEntry] = field(default_factory=list)
    children: list[str] = field(default_factory=list)  # child sitemaps, newest first
    language: str = ""


def parse_sitemap(data: bytes) -> Sitemap:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FeedError(f"not a sitemap: {exc}") from None
    out = Sitemap()
    if root.tag == f"{SM}sitemapindex":
        found = []
        for node in root.iter(f"{SM}sitemap"):
            loc = (node.findtext(f"{SM}loc") or "").strip()
            stamp = parse_date(node.findtext(f"{SM}lastmod"))
            if loc:
                found.append((stamp.at.isoformat() if stamp else "", loc))
        out.children = [loc for _, loc in sorted(found, reverse=True)[:MAX_CHILDREN]]
        return out
    if root.tag != f"{SM}urlset":
        raise FeedError(f"not a sitemap: the root element is {root.tag!r}")
    for node in root.iter(f"{SM}url"):
        loc = (node.findtext(f"{SM}loc") or "").strip()
        if not loc:
            continue
        news = node.find(f"{NEWS}news")
        title = (news.findtext(f"{NEWS}title") or "").strip() if news is not None else ""
        when = news.findtext(f"{NEWS}publication_date") if news is not None else None
        language = news.findtext(f"{NEWS}publication/{NEWS}language") if news is not None else None
        if language and not out.language:
            out.language = language.strip()[:2]
        out.entries.append(
            FeedEntry(
                url=loc,
                guid=None,
                title=title,
                published=parse_date(when or node.findtext(f"{SM}lastmod")),
            )
        )
    return out

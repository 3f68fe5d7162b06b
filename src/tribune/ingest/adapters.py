"""Kinds of source, one adapter class each, in a small registry.

An adapter turns a source row into entries: it fetches what the source's URL points at (with
the conditional GET that makes an unchanged source cost no parsing) and reads it. The polling
round then treats every entry alike: a known URL is skipped, a new one is extracted and stored.

- ``feed``: RSS 0.9x/1.0/2.0, Atom or JSON Feed.
- ``sitemap``: a news sitemap, or a sitemap index whose newest child sitemaps are read.
- ``page``: an HTML listing page, read by its recipe or by its repeated link patterns
  (:mod:`tribune.ingest.pagelist`); the first poll backfills up to ``page_backfill_pages``
  pages through the pager, later polls read the first page only.
- ``auto``: the URL itself if it is a feed; else a feed the page announces with
  ``<link rel="alternate">``, else one at a common path; else the page as a listing. What was
  found is remembered in the source's recipe (``{"feed": URL}`` or ``{"listing": true}``), so
  discovery runs once.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import urljoin

from tribune.config import Settings
from tribune.ingest.errors import FetchError
from tribune.ingest.feeds import FeedEntry, FeedError, ParsedFeed, parse_feed
from tribune.ingest.fetch import Fetcher, FetchResult
from tribune.ingest.pagelist import announced_feeds, read_listing
from tribune.ingest.sitemaps import parse_sitemap

COMMON_FEED_PATHS = ("/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/rss/")


@dataclass
class Reading:
    """What reading a source gave. ``not_modified``: the source answered 304, nothing to do."""

    entries: list[FeedEntry] = field(default_factory=list)
    language: str = ""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    recipe: dict[str, Any] | None = None  # a new recipe to remember, if it changed
    notes: list[str] = field(default_factory=list)  # what was found, for `sources test`
    problem: str = ""  # a defect that did not stop the reading; recorded on the source


class Adapter(ABC):
    """Reads one kind of source."""

    kind: ClassVar[str]

    def __init__(self, fetcher: Fetcher, settings: Settings) -> None:
        self.fetcher = fetcher
        self.settings = settings

    @abstractmethod
    async def read(self, source: Mapping[str, Any], *, first_poll: bool) -> Reading:
        """The entries of a source row (``url``, ``etag``, ``last_modified``, ``recipe``)."""

    async def _get(self, source: Mapping[str, Any], url: str | None = None) -> FetchResult:
        """The source's document (or ``url``, what it stands for), with a conditional GET."""
        return await self.fetcher.fetch(
            url or source["url"], etag=source.get("etag"), last_modified=source.get("last_modified")
        )


ADAPTERS: dict[str, type[Adapter]] = {}


def register(cls: type[Adapter]) -> type[Adapter]:
    ADAPTERS[cls.kind] = cls
    return cls


def adapter_for(kind: str, fetcher: Fetcher, settings: Settings) -> Adapter:
    try:
        return ADAPTERS[kind](fetcher, settings)
    except KeyError:
        raise FeedError(f"unknown kind of source {kind!r}") from None


def _from_feed(
    result: FetchResult, feed: ParsedFeed, *, recipe: dict[str, Any] | None = None, how: str = ""
) -> Reading:
    notes = [how] if how else []
    notes.append(f"{feed.kind} feed with {len(feed.entries)} entries")
    return Reading(
        entries=feed.entries,
        language=feed.language,
        etag=result.etag,
        last_modified=result.last_modified,
        recipe=recipe,
        notes=notes + ([feed.problem] if feed.problem else []),
        problem=feed.problem,
    )


@register
class FeedAdapter(Adapter):
    kind = "feed"

    async def read(self, source: Mapping[str, Any], *, first_poll: bool) -> Reading:
        result = await self._get(source)
        if result.not_modified:
            return Reading(not_modified=True)
        return _from_feed(result, parse_feed(result.body))


@register
class SitemapAdapter(Adapter):
    kind = "sitemap"

    async def read(self, source: Mapping[str, Any], *, first_poll: bool) -> Reading:
        result = await self._get(source)
        if result.not_modified:
            return Reading(not_modified=True)
        sitemap = parse_sitemap(result.body)
        entries = list(sitemap.entries)
        for child in sitemap.children:
            entries += parse_sitemap((await self.fetcher.fetch(child)).body).entries
        feed = ParsedFeed(kind="sitemap", language=sitemap.language, entries=entries)
        return _from_feed(result, feed)


@register
class PageAdapter(Adapter):
    kind = "page"

    async def read(self, source: Mapping[str, Any], *, first_poll: bool) -> Reading:
        result = await self._get(source)
        if result.not_modified:
            return Reading(not_modified=True)
        return await self.listing(source, result, first_poll=first_poll)

    async def listing(
        self, source: Mapping[str, Any], first: FetchResult, *, first_poll: bool
    ) -> Reading:
        """The entries of a listing page, and of the pages after it on a first poll."""
        recipe = source.get("recipe") or None
        recipe = recipe if recipe and recipe.get("links") else None
        pages = self.settings.page_backfill_pages if first_poll else 1
        reading = Reading(etag=first.etag, last_modified=first.last_modified)
        seen_pages = {first.url}
        seen_entries: set[str] = set()
        result: FetchResult | None = first
        for number in range(1, pages + 1):
            assert result is not None
            listing = read_listing(result.text, result.url, recipe)
            new = [e for e in listing.entries if e.url and e.url not in seen_entries]
            seen_entries.update(e.url for e in new if e.url)
            reading.entries += new
            reading.notes.append(
                f"page {number} ({result.url}): {len(new)} links"
                + (f" shaped {listing.pattern}" if listing.pattern else "")
            )
            if not listing.next_url or listing.next_url in seen_pages or number == pages:
                break
            seen_pages.add(listing.next_url)
            try:
                result = await self.fetcher.fetch(listing.next_url)
            except FetchError as exc:
                reading.notes.append(f"stopped paging at {listing.next_url}: {exc}")
                break
        if not reading.entries:
            raise FeedError(
                "the page lists no article links: no repeated link pattern was found "
                "(give the source a recipe)"
                if recipe is None
                else "the recipe's selectors match no links on the page"
            )
        return reading


@register
class AutoAdapter(Adapter):
    kind = "auto"

    async def read(self, source: Mapping[str, Any], *, first_poll: bool) -> Reading:
        recipe = source.get("recipe") or {}
        if recipe.get("feed"):
            result = await self._get(source, recipe["feed"])
            if result.not_modified:
                return Reading(not_modified=True)
            return _from_feed(result, parse_feed(result.body))
        if recipe.get("links") or recipe.get("listing"):
            page = PageAdapter(self.fetcher, self.settings)
            return await page.read(source, first_poll=first_poll)
        return await self.discover(source, first_poll=first_poll)

    async def discover(self, source: Mapping[str, Any], *, first_poll: bool) -> Reading:
        """Find what the source's URL offers: a feed, a feed it announces, or a listing."""
        url = source["url"]
        result = await self.fetcher.fetch(url)
        with contextlib.suppress(FeedError):
            feed = parse_feed(result.body)
            return _from_feed(result, feed, recipe={"feed": url}, how="the URL is a feed")
        announced = announced_feeds(result.text, result.url)
        candidates = announced or [urljoin(result.url, p) for p in COMMON_FEED_PATHS]
        for candidate in candidates:
            try:
                found = await self.fetcher.fetch(candidate)
                feed = parse_feed(found.body)
            except (FetchError, FeedError):
                continue
            how = "announced by the page" if announced else "found at a common path"
            return _from_feed(found, feed, recipe={"feed": candidate}, how=f"{candidate}: {how}")
        page = PageAdapter(self.fetcher, self.settings)
        reading = await page.listing({**source, "recipe": None}, result, first_poll=first_poll)
        reading.recipe = {"listing": True}
        reading.notes.insert(0, "no feed: read as a listing page")
        return reading

"""Syndication feeds of a listing of news items: Atom 1.0, RSS 2.0 and JSON Feed 1.1.

The same items render in three formats, each after its own specification:

* Atom 1.0, RFC 4287 (``application/atom+xml``). Entry ids are ``urn:uuid:...`` (the item's
  public id), dates RFC 3339, summaries ``type="text"`` and bodies ``type="html"``; the feed gets
  an ``<author>`` (its own title) whenever an entry has none, as section 4.1.1 requires, and a
  ``rel="next"`` link when there is a next page (RFC 5005's paged feeds).
* RSS 2.0 (the RSS Advisory Board's specification, ``application/rss+xml``), with
  ``atom:link rel="self"`` and ``dc:creator``; dates RFC 822 as RSS wants them. The
  ``description`` of an item is HTML: the body when there is one, else the plain lead, escaped.
* JSON Feed 1.1 (https://jsonfeed.org/version/1.1, ``application/feed+json``).

Everything is written here without a library, so the output is the same bytes for the same
input. Text is escaped for XML and stripped of the characters XML 1.0 cannot carry (most C0
controls, lone surrogates, U+FFFE and U+FFFF), in all three formats so they say the same thing;
a language tag that is not one (``xml:lang``, ``<language>``) is left out rather than written.
Dates must be aware: a naive datetime is refused, as :mod:`tribune.db.types` refuses it.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

__all__ = [
    "MEDIA_TYPES",
    "FeedEntry",
    "FeedInfo",
    "render",
    "render_atom",
    "render_json_feed",
    "render_rss",
]

MEDIA_TYPES = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}

ATOM_NS = "http://www.w3.org/2005/Atom"
DC_NS = "http://purl.org/dc/elements/1.1/"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
GENERATOR = "Tribune"
# The date of a feed with no entries and no date of its own: fixed, so the bytes are too.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# What XML 1.0 cannot carry at all (section 2.2, Char): C0 controls other than tab, newline and
# carriage return, the surrogates (a Python str may hold lone ones) and U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# RFC 4287's atomLanguageTag (and near enough BCP 47 for RSS and JSON Feed).
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True)
class FeedEntry:
    """One news item as the feeds show it."""

    id: str  # stable public id of the item (a UUID string)
    url: str  # absolute URL of the item's page on this site
    title: str
    summary: str  # plain text lead
    content_html: str  # sanitised HTML body, may be "" (then the content is left out)
    published: datetime  # aware
    updated: datetime  # aware
    authors: tuple[str, ...] = ()  # organisation names
    categories: tuple[str, ...] = ()  # org acronyms, tags
    language: str = ""  # ISO 639-1
    source_url: str = ""  # the original statement's URL (elsewhere), may be ""


@dataclass(frozen=True)
class FeedInfo:
    """The feed itself: what it is called, where it lives and where its HTML page is."""

    title: str
    site_url: str  # absolute URL of the HTML listing page
    feed_url: str  # absolute URL of this feed document (one per format)
    feed_id: str  # a stable URI for the feed
    description: str = ""
    language: str = ""
    updated: datetime | None = None  # default: the newest entry's updated, or EPOCH when empty
    next_url: str = ""  # the next page, if any


def render(fmt: str, info: FeedInfo, entries: Sequence[FeedEntry]) -> tuple[bytes, str]:
    """The feed in ``fmt`` ("atom", "rss" or "json") and its media type."""
    renderers = {"atom": render_atom, "rss": render_rss, "json": render_json_feed}
    if fmt not in renderers:
        raise ValueError(f"unknown feed format {fmt!r}: expected one of {sorted(renderers)}")
    return renderers[fmt](info, entries), MEDIA_TYPES[fmt]


# -- Atom 1.0 (RFC 4287) -------------------------------------------------------------------------


def render_atom(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """An Atom 1.0 feed document (RFC 4287)."""
    feed = _Element("feed", {"xmlns": ATOM_NS, **_xml_lang(info.language)})
    feed.add("id", info.feed_id)
    feed.add("title", info.title, {"type": "text"})
    if info.description:
        feed.add("subtitle", info.description, {"type": "text"})
    feed.add("updated", _rfc3339(_feed_updated(info, entries)))
    feed.add(
        "link", attrs={"rel": "self", "type": _bare(MEDIA_TYPES["atom"]), "href": info.feed_url}
    )
    feed.add("link", attrs={"rel": "alternate", "type": "text/html", "href": info.site_url})
    if info.next_url:
        feed.add(
            "link", attrs={"rel": "next", "type": _bare(MEDIA_TYPES["atom"]), "href": info.next_url}
        )
    if any(not e.authors for e in entries):
        feed.add("author").add("name", info.title)
    feed.add("generator", GENERATOR)
    for e in entries:
        entry = feed.add("entry", attrs=_xml_lang(e.language))
        entry.add("id", _entry_id(e))
        entry.add("title", e.title, {"type": "text"})
        entry.add("link", attrs={"rel": "alternate", "type": "text/html", "href": e.url})
        if e.source_url:
            entry.add("link", attrs={"rel": "via", "href": e.source_url})
        entry.add("published", _rfc3339(e.published))
        entry.add("updated", _rfc3339(e.updated))
        for name in e.authors:
            entry.add("author").add("name", name)
        for term in e.categories:
            entry.add("category", attrs={"term": term})
        entry.add("summary", e.summary, {"type": "text"})
        if e.content_html:
            entry.add("content", e.content_html, {"type": "html"})
    return _document(feed)


# -- RSS 2.0 -------------------------------------------------------------------------------------


def render_rss(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """An RSS 2.0 feed document."""
    rss = _Element("rss", {"version": "2.0", "xmlns:atom": ATOM_NS, "xmlns:dc": DC_NS})
    channel = rss.add("channel")
    channel.add("title", info.title)
    channel.add("link", info.site_url)
    channel.add("description", info.description or info.title)
    if language := _language(info.language):
        channel.add("language", language)
    channel.add("lastBuildDate", _rfc822(_feed_updated(info, entries)))
    channel.add("generator", GENERATOR)
    channel.add(
        "atom:link", attrs={"href": info.feed_url, "rel": "self", "type": _bare(MEDIA_TYPES["rss"])}
    )
    if info.next_url:
        channel.add(
            "atom:link",
            attrs={"href": info.next_url, "rel": "next", "type": _bare(MEDIA_TYPES["rss"])},
        )
    for e in entries:
        item = channel.add("item")
        item.add("title", e.title)
        item.add("link", e.url)
        guid = _entry_id(e)
        item.add("guid", guid, {"isPermaLink": "false" if guid != e.url else "true"})
        item.add("pubDate", _rfc822(e.published))
        # RSS descriptions are HTML: a plain-text lead is escaped so that it stays text.
        item.add("description", e.content_html or html.escape(e.summary, quote=False))
        for name in e.authors:
            item.add("dc:creator", name)
        for term in e.categories:
            item.add("category", term)
        if e.source_url:
            item.add("atom:link", attrs={"href": e.source_url, "rel": "via"})
    return _document(rss)


# -- JSON Feed 1.1 -------------------------------------------------------------------------------


def render_json_feed(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """A JSON Feed 1.1 document."""
    doc: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": _clean(info.title),
        "home_page_url": _clean(info.site_url),
        "feed_url": _clean(info.feed_url),
    }
    if info.description:
        doc["description"] = _clean(info.description)
    if info.next_url:
        doc["next_url"] = _clean(info.next_url)
    if language := _language(info.language):
        doc["language"] = language
    if any(not e.authors for e in entries):
        doc["authors"] = [{"name": _clean(info.title)}]
    items: list[dict[str, Any]] = []
    for e in entries:
        item: dict[str, Any] = {"id": _clean(_entry_id(e)), "url": _clean(e.url)}
        if e.source_url:
            item["external_url"] = _clean(e.source_url)
        item["title"] = _clean(e.title)
        if e.summary:
            item["summary"] = _clean(e.summary)
        if e.content_html:
            item["content_html"] = _clean(e.content_html)
        else:  # an item must have content_html or content_text
            item["content_text"] = _clean(e.summary)
        item["date_published"] = _rfc3339(e.published)
        item["date_modified"] = _rfc3339(e.updated)
        if e.authors:
            item["authors"] = [{"name": _clean(name)} for name in e.authors]
        if e.categories:
            item["tags"] = [_clean(term) for term in e.categories]
        if language := _language(e.language):
            item["language"] = language
        items.append(item)
    doc["items"] = items
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- shared --------------------------------------------------------------------------------------


def _entry_id(entry: FeedEntry) -> str:
    """``urn:uuid:...`` for a UUID id (RFC 4122 section 3), else the item's URL."""
    try:
        return uuid.UUID(entry.id).urn
    except ValueError:
        return entry.url


def _feed_updated(info: FeedInfo, entries: Sequence[FeedEntry]) -> datetime:
    if info.updated is not None:
        return info.updated
    return max((_utc(e.updated) for e in entries), default=EPOCH)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: feeds need aware datetimes")
    return moment.astimezone(UTC).replace(microsecond=0)


def _rfc3339(moment: datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rfc822(moment: datetime) -> str:
    return format_datetime(_utc(moment), usegmt=True)


def _language(tag: str) -> str:
    """The language tag if it is one, else ""."""
    tag = tag.strip()
    return tag if _LANGUAGE_TAG.fullmatch(tag) else ""


def _xml_lang(tag: str) -> dict[str, str]:
    """An ``xml:lang`` attribute for the tag, or none."""
    return {"xml:lang": language} if (language := _language(tag)) else {}


def _bare(media_type: str) -> str:
    """The media type without its parameters."""
    return media_type.split(";")[0]


def _clean(text: str) -> str:
    """The text without the characters XML 1.0 does not allow."""
    return _NOT_XML.sub("", text)


def _escape_text(text: str) -> str:
    # \r as a reference, else XML's end-of-line handling would turn it into \n
    text = _clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def _escape_attr(text: str) -> str:
    # whitespace as references, else attribute-value normalisation would turn it into spaces
    text = _escape_text(text).replace('"', "&quot;")
    return text.replace("\t", "&#9;").replace("\n", "&#10;")


@dataclass
class _Element:
    """An XML element for the tiny writer: attributes in order, text or children, not both."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str = ""
    children: list[_Element] = field(default_factory=list)

    def add(self, tag: str, text: str = "", attrs: dict[str, str] | None = None) -> _Element:
        child = _Element(tag, attrs or {}, text)
        self.children.append(child)
        return child

    def write(self, out: list[str], depth: int) -> None:
        indent = "  " * depth
        attrs = "".join(f' {k}="{_escape_attr(v)}"' for k, v in self.attrs.items())
        if self.children:
            out.append(f"{indent}<{self.tag}{attrs}>\n")
            for child in self.children:
                child.write(out, depth + 1)
            out.append(f"{indent}</{self.tag}>\n")
        elif self.text:
            out.append(f"{indent}<{self.tag}{attrs}>{_escape_text(self.text)}</{self.tag}>\n")
        else:
            out.append(f"{indent}<{self.tag}{attrs}/>\n")


def _document(root: _Element) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    root.write(out, 0)
    return "".join(out).encode("utf-8")

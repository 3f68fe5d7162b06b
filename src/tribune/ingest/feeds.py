"""Feed entries from RSS 0.9x/1.0/2.0 and Atom (feedparser) and JSON Feed 1.0/1.1.

Dates keep their original offset and their precision: feedparser's parsed dates are UTC
tuples that have lost the offset, so the date string itself is parsed again (RFC 822, then ISO
8601). Where a feed carries the full text (``content:encoded``, Atom ``content``, JSON Feed
``content_html``), it is kept so the page need not be fetched. A document that is not a feed
(an HTML page served as one, say) is refused with :class:`FeedError`, and so is one whose DTD
builds entities out of other entities (an entity-expansion bomb); a feed with small defects that
still yields entries is accepted, as readers do.

The bytes are decoded by :func:`tribune.ingest.encoding.decode` (BOM, XML declaration tried
strictly, then detection) and handed to feedparser as UTF-8: left to itself, feedparser falls
back to windows-1252 when the declaration lies (windows-1251 Russian under ``encoding="utf-8"``),
which makes mojibake of every non-Latin feed a server mislabels.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser

from tribune.ingest.encoding import decode

# An entity declaration of the DTD, and a reference to an entity (not a character) in its value.
_ENTITY_DECLARATION = re.compile(r"""<!ENTITY\s+(?:%\s+)?[^\s"'>]+\s+("[^"]*"|'[^']*')""")
_ENTITY_REFERENCE = re.compile(r"[&%][A-Za-z_][\w.:-]*;")
_ELEMENT = re.compile(r"<[A-Za-z_]")


class FeedError(ValueError):
    """The document is not a feed that can be read."""


@dataclass(frozen=True)
class Published:
    at: datetime  # UTC
    offset: int  # minutes east of UTC, as the source wrote it
    precision: str  # "second", "minute" or "day"


@dataclass(frozen=True)
class FeedEntry:
    url: str | None
    guid: str | None
    title: str
    summary_html: str = ""
    content_html: str = ""
    published: Published | None = None
    author: str = ""


@dataclass
class ParsedFeed:
    kind: str  # rss, atom or json
    title: str = ""
    link: str = ""
    language: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str = ""  # what is wrong with a feed that was read in part (malformed XML, say)


def parse_date(text: str | None) -> Published | None:
    """An RFC 822 or ISO 8601 date, with its offset and precision; None if unreadable."""
    if not text or not text.strip():
        return None
    text = text.strip()
    value: datetime | None = None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    if value is None:
        return None
    precision = "second" if value.second else "minute"
    if len(text) <= 10 and "T" not in text and ":" not in text:
        precision = "day"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    return Published(value.astimezone(UTC), minutes, precision)


def parse_feed(data: bytes | str) -> ParsedFeed:
    """The entries of a feed document."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    head = raw.lstrip()[:1]
    if head in (b"{", b"["):
        return _parse_json_feed(raw)
    text, _ = decode(raw, None)
    if _nests_entities(text):
        raise FeedError(
            "not a feed: its DTD declares entities made of other entities (an entity-expansion "
            "bomb)"
        )
    # decoded here; the header makes feedparser read UTF-8 whatever the XML declaration says
    parsed = feedparser.parse(
        text.encode("utf-8"), response_headers={"content-type": "application/xml; charset=utf-8"}
    )
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        problem = parsed.get("bozo_exception")
        looks_html = b"<html" in raw[:2048].lower()
        why = "it looks like an HTML page" if looks_html else f"{problem or 'no feed found'}"
        raise FeedError(f"not a feed: {why}")
    meta = parsed.feed
    feed = ParsedFeed(
        kind="atom" if version.startswith("atom") else "rss",
        title=str(meta.get("title", "")),
        link=str(meta.get("link", "")),
        language=str(meta.get("language", "") or ""),
        problem=_problem(parsed),
    )
    for entry in parsed.entries:
        content = entry.get("content") or []
        full = next((c.get("value", "") for c in content if "html" in c.get("type", "")), "")
        feed.entries.append(
            FeedEntry(
                url=entry.get("link") or None,
                guid=entry.get("id") or None,
                title=str(entry.get("title", "")).strip(),
                summary_html=str(entry.get("summary", "")),
                content_html=str(full or (content[0].get("value", "") if content else "")),
                published=parse_date(entry.get("published") or entry.get("updated")),
                author=str(entry.get("author", "")),
            )
        )
    return feed


def _problem(parsed: Any) -> str:
    """What made feedparser stop early, if anything did: the feed is read up to there."""
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    harmless = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
    if exc is None or isinstance(exc, harmless):
        return ""
    n = len(parsed.entries)
    return f"the feed is malformed ({exc}): {n} entr{'y' if n == 1 else 'ies'} read before it"


def _nests_entities(text: str) -> bool:
    """Whether the DTD before the root element declares an entity in terms of other entities.

    That is how a billion-laughs document grows (each entity ten of the one before): feedparser
    does not expand it, but no real feed is written so, and the source should say what it got.
    """
    root = _ELEMENT.search(text)
    prolog = text[: root.start()] if root else text
    return any(_ENTITY_REFERENCE.search(m.group(1)) for m in _ENTITY_DECLARATION.finditer(prolog))


def _parse_json_feed(raw: bytes) -> ParsedFeed:
    try:
        doc: Any = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"not a feed: malformed JSON ({exc})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedError("not a feed: JSON without a JSON Feed version")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("not a feed: a JSON Feed needs an items list")
    feed = ParsedFeed(
        kind="json",
        title=str(doc.get("title", "")),
        link=str(doc.get("home_page_url", "")),
        language=str(doc.get("language", "")),
    )
    for item in items:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        author = ", ".join(str(a.get("name", "")) for a in authors if isinstance(a, dict))
        feed.entries.append(
            FeedEntry(
                url=item.get("url") or item.get("external_url") or None,
                guid=str(item["id"]) if item.get("id") is not None else None,
                title=str(item.get("title", "")).strip(),
                summary_html=str(item.get("summary", "")),
                content_html=str(item.get("content_html") or item.get("content_text") or ""),
                published=parse_date(item.get("date_published") or item.get("date_modified")),
                author=author,
            )
        )
    return feed

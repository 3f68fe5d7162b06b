"""Atom, RSS and JSON Feed output: read back by feedparser, checked against the specifications.

Atom is validated with the RELAX NG schema of RFC 4287 (``fixtures/atom.rng``, the appendix's
compact schema written in the XML syntax lxml reads) plus the appendix's Schematron rules as
XPath; JSON Feed with a checker written here from the 1.1 specification. Both checkers are shown
to refuse broken documents, so a pass means something.
"""

from __future__ import annotations

import calendar
import copy
import json
import re
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
from lxml import etree

from tribune.ingest.feeds import parse_feed
from tribune.web.feeds import (
    MEDIA_TYPES,
    FeedEntry,
    FeedInfo,
    render,
    render_atom,
    render_json_feed,
    render_rss,
)

FIXTURES = Path(__file__).parent / "fixtures"
A = "http://www.w3.org/2005/Atom"
NS = {"a": A, "atom": A, "dc": "http://purl.org/dc/elements/1.1/"}
FORMATS = ["atom", "rss", "json"]

UUID_1 = "0b5c3a4e-2a1f-4c7e-9d3b-5f6a7b8c9d0e"
UUID_2 = "6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8"
INFO = FeedInfo(
    title="Tribune: Latest",
    site_url="https://tribune.example/news?lang=en&page=1",
    feed_url="https://tribune.example/news.atom",
    feed_id="https://tribune.example/news",
    description="Statements of the network, as they come",
    language="en",
    next_url="https://tribune.example/news.atom?page=2",
)
FULL = FeedEntry(
    id=UUID_1,
    url="https://tribune.example/n/1",
    title="Strike called for Friday",
    summary="The union calls a general strike.",
    content_html="<p>The union calls a <b>general</b> strike &amp; a march.</p>",
    published=datetime(2024, 3, 1, 9, 30, 15, tzinfo=UTC),
    updated=datetime(2024, 3, 2, 10, 0, 0, tzinfo=UTC),
    authors=("Workers' Union", "Party of Labour"),
    categories=("WU", "PL"),
    language="fr",
    source_url="https://union.example/statements/42?ref=a&b=c",
)
BARE = FeedEntry(
    id=UUID_2,
    url="https://tribune.example/n/2",
    title="Second statement",
    summary="A plain lead with <angle> & ampersand.",
    content_html="",
    # not UTC: the feeds write it in UTC
    published=datetime(2024, 2, 28, 23, 0, 0, tzinfo=timezone(timedelta(hours=2))),
    updated=datetime(2024, 2, 28, 21, 0, 0, tzinfo=UTC),
)
ENTRIES = [FULL, BARE]
# site_url, feed_url and feed_id of a feed with nothing more
_URLS = (
    "https://tribune.example/",
    "https://tribune.example/feed.json",
    "https://tribune.example/",
)

NASTY = '<script>alert(1)</script> & "q"\x0b]]>'
NASTY_TEXT = '<script>alert(1)</script> & "q"]]>'  # what XML can carry of it


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _parsed_epoch(parsed: time.struct_time) -> int:
    return calendar.timegm(parsed)


def _feedparse(data: bytes) -> Any:
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


# -- Atom: RELAX NG of RFC 4287, Appendix B, and its Schematron rules -------------------------


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(FIXTURES / "atom.rng")))


def _schematron(doc: Any) -> list[str]:
    """The Schematron rules of RFC 4287, Appendix B (which RELAX NG cannot say), as XPath."""
    problems = []
    for feed in doc.xpath("/a:feed", namespaces=NS):
        if not feed.xpath("a:author or not(a:entry[not(a:author)])", namespaces=NS):
            problems.append("an atom:feed must have an atom:author unless all its entries do")
    for entry in doc.xpath("//a:entry", namespaces=NS):
        if not entry.xpath(
            "a:link[@rel='alternate'] or a:link[not(@rel)] or a:content", namespaces=NS
        ):
            problems.append("an atom:entry must have an alternate link or a content")
        if not entry.xpath("a:author or ../a:author or a:source/a:author", namespaces=NS):
            problems.append("an atom:entry must have an atom:author if its feed does not")
    return problems


def _assert_valid_atom(schema: etree.RelaxNG, data: bytes) -> Any:
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log
    assert _schematron(doc) == []
    return doc


def test_atom_round_trips_through_feedparser() -> None:
    parsed = _feedparse(render_atom(INFO, ENTRIES))
    assert parsed.version == "atom10"
    feed = parsed.feed
    assert feed.title == INFO.title
    assert feed.id == INFO.feed_id
    assert feed.link == INFO.site_url
    assert feed.subtitle == INFO.description
    assert feed.generator == "Tribune"
    links = {link.rel: link for link in feed.links}
    assert links["self"].href == INFO.feed_url
    assert links["self"].type == "application/atom+xml"
    assert links["next"].href == INFO.next_url
    # the newest entry's updated, since INFO gives none
    assert _parsed_epoch(feed.updated_parsed) == _epoch(FULL.updated)
    # BARE has no author, so the feed has one: its own title
    assert feed.author == INFO.title

    assert len(parsed.entries) == 2
    full, bare = parsed.entries
    assert full.id == f"urn:uuid:{UUID_1}"
    assert full.title == FULL.title
    assert full.link == FULL.url
    assert _parsed_epoch(full.published_parsed) == _epoch(FULL.published)
    assert _parsed_epoch(full.updated_parsed) == _epoch(FULL.updated)
    assert full.summary == FULL.summary
    assert full.summary_detail.type == "text/plain"
    assert full.content[0].type == "text/html"
    assert full.content[0].value == FULL.content_html
    assert [a.name for a in full.authors] == list(FULL.authors)
    assert [t.term for t in full.tags] == list(FULL.categories)
    assert full.title_detail.language == "fr"
    via = [link.href for link in full.links if link.rel == "via"]
    assert via == [FULL.source_url]

    assert bare.id == f"urn:uuid:{UUID_2}"
    assert bare.title == BARE.title
    assert bare.link == BARE.url
    assert _parsed_epoch(bare.published_parsed) == _epoch(BARE.published)
    assert bare.summary == BARE.summary
    assert "content" not in bare
    assert bare.title_detail.language == "en"  # the feed's


def test_atom_is_valid_per_rfc4287(atom_schema: etree.RelaxNG) -> None:
    doc = _assert_valid_atom(atom_schema, render_atom(INFO, ENTRIES))
    assert doc.tag == f"{{{A}}}feed"
    assert doc.nsmap == {None: A}
    assert doc.xpath("a:updated/text()", namespaces=NS) == ["2024-03-02T10:00:00Z"]
    # BARE was written at 23:00 in UTC+2
    assert doc.xpath("a:entry[2]/a:published/text()", namespaces=NS) == ["2024-02-28T21:00:00Z"]
    assert doc.xpath("a:entry[1]/a:content/@type", namespaces=NS) == ["html"]
    assert doc.xpath("a:entry[1]/@xml:lang", namespaces=NS) == ["fr"]


def test_the_feed_has_an_author_only_when_an_entry_lacks_one(atom_schema: etree.RelaxNG) -> None:
    doc = _assert_valid_atom(atom_schema, render_atom(INFO, [FULL]))
    assert doc.xpath("a:author", namespaces=NS) == []
    doc = _assert_valid_atom(atom_schema, render_atom(INFO, [FULL, BARE]))
    assert doc.xpath("a:author/a:name/text()", namespaces=NS) == [INFO.title]


def test_the_schema_accepts_the_rfc_example_and_extensions(atom_schema: etree.RelaxNG) -> None:
    """Not too strict: RFC 4287's own example (section 1.1) and foreign elements pass."""
    example = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:ex="urn:example:ext">
  <title type="text">dive into mark</title>
  <subtitle type="html">A &lt;em&gt;lot&lt;/em&gt; of effort went into making this effortless
  </subtitle>
  <updated>2005-07-31T12:29:29Z</updated>
  <id>tag:example.org,2003:3</id>
  <link rel="alternate" type="text/html" hreflang="en" href="http://example.org/"/>
  <link rel="self" type="application/atom+xml" href="http://example.org/feed.atom"/>
  <rights>Copyright (c) 2003, Mark Pilgrim</rights>
  <generator uri="http://www.example.com/" version="1.0">Example Toolkit</generator>
  <ex:simple>a simple extension</ex:simple>
  <ex:structured kind="x"><ex:part>structured</ex:part></ex:structured>
  <entry>
    <title>Atom draft-07 snapshot</title>
    <link rel="alternate" type="text/html" href="http://example.org/2005/04/02/atom"/>
    <link rel="enclosure" type="audio/mpeg" length="1337"
     href="http://example.org/audio/ph34r_my_podcast.mp3"/>
    <id>tag:example.org,2003:3.2397</id>
    <updated>2005-07-31T12:29:29Z</updated>
    <published>2003-12-13T08:29:29-04:00</published>
    <author>
      <name>Mark Pilgrim</name>
      <uri>http://example.org/</uri>
      <email>f8dy@example.com</email>
    </author>
    <contributor><name>Sam Ruby</name></contributor>
    <contributor><name>Joe Gregorio</name></contributor>
    <content type="xhtml" xml:lang="en" xml:base="http://diveintomark.org/">
      <div xmlns="http://www.w3.org/1999/xhtml">
        <p><i>[Update: The Atom draft is finished.]</i></p>
      </div>
    </content>
  </entry>
</feed>"""
    _assert_valid_atom(atom_schema, example)


def _drop(xpath: str) -> Any:
    def mutate(doc: Any) -> None:
        for node in doc.xpath(xpath, namespaces=NS):
            node.getparent().remove(node)

    return mutate


def _drop_attribute(xpath: str, attr: str) -> Any:
    def mutate(doc: Any) -> None:
        for node in doc.xpath(xpath, namespaces=NS):
            del node.attrib[attr]

    return mutate


def _set(xpath: str, attr: str | None, value: str) -> Any:
    def mutate(doc: Any) -> None:
        for node in doc.xpath(xpath, namespaces=NS):
            if attr is None:
                node.text = value
            else:
                node.set(attr, value)

    return mutate


def _add_atom_element(doc: Any) -> None:
    etree.SubElement(doc, f"{{{A}}}bogus").text = "not an Atom element"


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(_drop("a:entry[1]/a:id"), id="entry-without-id"),
        pytest.param(_drop("a:updated"), id="feed-without-updated"),
        pytest.param(_drop("a:title"), id="feed-without-title"),
        pytest.param(_drop("a:entry[2]/a:title"), id="entry-without-title"),
        pytest.param(_set("a:entry[1]/a:published", None, "1 March 2024"), id="bad-date"),
        pytest.param(_set("a:updated", None, "2024-03-02"), id="date-without-time"),
        pytest.param(_set("a:entry[1]/a:summary", "type", "markdown"), id="bad-text-type"),
        pytest.param(_set("a:link[1]", "type", "atom"), id="bad-media-type"),
        pytest.param(_set(".", "{http://www.w3.org/XML/1998/namespace}lang", "en_GB"), id="lang"),
        pytest.param(_set("a:author/a:name", "href", "x"), id="unknown-attribute-on-name"),
        pytest.param(_drop_attribute("a:link[1]", "href"), id="link-without-href"),
        pytest.param(_drop_attribute("a:entry[1]/a:category", "term"), id="category-without-term"),
        pytest.param(_add_atom_element, id="unknown-atom-element"),
    ],
)
def test_the_schema_refuses_broken_atom(atom_schema: etree.RelaxNG, mutate: Any) -> None:
    doc = etree.fromstring(render_atom(INFO, ENTRIES))
    assert atom_schema.validate(doc), "the document must be valid before it is broken"
    broken = copy.deepcopy(doc)
    mutate(broken)
    assert etree.tostring(broken) != etree.tostring(doc), "the mutation changed nothing"
    assert not atom_schema.validate(broken)


def test_the_schematron_rules_refuse_what_relax_ng_lets_through() -> None:
    doc = etree.fromstring(render_atom(INFO, ENTRIES))
    assert _schematron(doc) == []
    _drop("a:author")(doc)  # BARE has none of its own
    _drop("a:entry[2]/a:link")(doc)
    assert _schematron(doc) == [
        "an atom:feed must have an atom:author unless all its entries do",
        "an atom:entry must have an alternate link or a content",
        "an atom:entry must have an atom:author if its feed does not",
    ]


def test_atom_ids_are_uuid_urns_or_else_the_url() -> None:
    upper = FeedEntry(**{**FULL.__dict__, "id": UUID_1.upper()})
    other = FeedEntry(**{**BARE.__dict__, "id": "item-2"})
    entries = _feedparse(render_atom(INFO, [upper, other])).entries
    assert [e.id for e in entries] == [f"urn:uuid:{UUID_1}", other.url]


# -- RSS 2.0 -----------------------------------------------------------------------------------


def test_rss_round_trips_through_feedparser() -> None:
    rss_info = FeedInfo(**{**INFO.__dict__, "feed_url": "https://tribune.example/news.rss"})
    data = render_rss(rss_info, ENTRIES)
    parsed = _feedparse(data)
    assert parsed.version == "rss20"
    feed = parsed.feed
    assert feed.title == INFO.title
    assert feed.link == INFO.site_url
    assert feed.subtitle == INFO.description
    assert feed.language == "en"
    assert feed.generator == "Tribune"
    assert _parsed_epoch(feed.updated_parsed) == _epoch(FULL.updated)
    links = {link.rel: link.href for link in feed.links}
    assert links["self"] == rss_info.feed_url
    assert links["next"] == INFO.next_url

    assert len(parsed.entries) == 2
    full, bare = parsed.entries
    assert full.title == FULL.title
    assert full.link == FULL.url
    assert full.id == f"urn:uuid:{UUID_1}"
    assert full.guidislink is False
    assert _parsed_epoch(full.published_parsed) == _epoch(FULL.published)
    assert full.summary == FULL.content_html  # the body, when there is one
    assert [t.term for t in full.tags] == list(FULL.categories)
    assert [a.name for a in full.authors] == list(FULL.authors)

    assert bare.title == BARE.title
    assert bare.link == BARE.url
    assert bare.id == f"urn:uuid:{UUID_2}"
    assert _parsed_epoch(bare.published_parsed) == _epoch(BARE.published)
    # else the plain lead, escaped as the HTML an RSS description is
    assert bare.summary == "A plain lead with &lt;angle&gt; &amp; ampersand."


def test_rss_is_well_formed_with_its_namespaces_declared() -> None:
    doc = etree.fromstring(render_rss(INFO, ENTRIES))
    assert doc.tag == "rss"
    assert doc.get("version") == "2.0"
    assert doc.nsmap == {"atom": A, "dc": NS["dc"]}
    channel = doc.find("channel")
    assert [child.tag for child in channel][:3] == ["title", "link", "description"]
    assert channel.xpath("atom:link[@rel='self']/@type", namespaces=NS) == ["application/rss+xml"]
    assert channel.findtext("lastBuildDate") == "Sat, 02 Mar 2024 10:00:00 GMT"
    items = channel.findall("item")
    assert items[1].findtext("pubDate") == "Wed, 28 Feb 2024 21:00:00 GMT"
    assert items[0].find("guid").get("isPermaLink") == "false"
    assert items[0].xpath("dc:creator/text()", namespaces=NS) == list(FULL.authors)


def test_rss_description_is_never_empty_and_bad_languages_are_left_out() -> None:
    info = FeedInfo(
        title="Only a title",
        site_url="https://tribune.example/",
        feed_url="https://tribune.example/feed.rss",
        feed_id="https://tribune.example/",
        language="not a language!",
    )
    channel = etree.fromstring(render_rss(info, [])).find("channel")
    assert channel.findtext("description") == "Only a title"
    assert channel.find("language") is None
    atom = etree.fromstring(render_atom(info, []))
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") is None
    assert "language" not in json.loads(render_json_feed(info, []))


# -- JSON Feed 1.1 -----------------------------------------------------------------------------

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_TOP_KEYS = {
    "version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url",
    "icon", "favicon", "authors", "author", "language", "expired", "hubs", "items",
}  # fmt: skip
_ITEM_KEYS = {
    "id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
    "banner_image", "date_published", "date_modified", "authors", "author", "tags", "language",
    "attachments",
}  # fmt: skip
_URL_KEYS = {"home_page_url", "feed_url", "next_url", "icon", "favicon", "url", "external_url"}


def _absolute(url: object) -> bool:
    parts = urlsplit(url) if isinstance(url, str) else None
    return parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)


def _json_feed_problems(doc: object) -> list[str]:
    """What breaks the rules of JSON Feed 1.1 (https://jsonfeed.org/version/1.1) in ``doc``.

    Keys a publisher invents must begin with an underscore (section "Extensions"), so any other
    key the specification does not name is reported: it is a misspelling.
    """
    if not isinstance(doc, dict):
        return ["the feed is not an object"]
    problems = []

    def strings(where: str, obj: dict[str, Any], keys: set[str]) -> None:
        for key in sorted(obj.keys() - keys):
            if not key.startswith("_"):
                problems.append(f"{where}: unknown key {key!r}")
        for key in sorted(obj.keys() & keys & _URL_KEYS):
            if not _absolute(obj[key]):
                problems.append(f"{where}: {key} is not an absolute URL")

    def authors(where: str, value: object) -> None:
        if not isinstance(value, list):
            problems.append(f"{where}: authors is not an array")
            return
        for author in value:
            named = isinstance(author, dict) and any(
                isinstance(author.get(k), str) for k in ("name", "url", "avatar")
            )
            if not named:
                problems.append(f"{where}: an author needs a name, url or avatar")

    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("version is not https://jsonfeed.org/version/1.1")
    if not isinstance(doc.get("title"), str):
        problems.append("title is required and a string")
    for key in ("description", "user_comment", "language"):
        if key in doc and not isinstance(doc[key], str):
            problems.append(f"{key} is not a string")
    if "expired" in doc and not isinstance(doc["expired"], bool):
        problems.append("expired is not a boolean")
    if "authors" in doc:
        authors("feed", doc["authors"])
    strings("feed", doc, _TOP_KEYS)
    items = doc.get("items")
    if not isinstance(items, list):
        return [*problems, "items is required and an array"]
    ids: set[str] = set()
    for n, item in enumerate(items):
        where = f"item {n}"
        if not isinstance(item, dict):
            problems.append(f"{where} is not an object")
            continue
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{where}: id is required and a string")
        elif item["id"] in ids:
            problems.append(f"{where}: id {item['id']!r} is not unique")
        else:
            ids.add(item["id"])
        if not any(isinstance(item.get(k), str) for k in ("content_html", "content_text")):
            problems.append(f"{where}: content_html or content_text is required")
        for key in ("title", "summary", "content_html", "content_text", "language"):
            if key in item and not isinstance(item[key], str):
                problems.append(f"{where}: {key} is not a string")
        for key in ("date_published", "date_modified"):
            if key not in item:
                continue
            value = item[key]
            try:
                ok = bool(_RFC3339.fullmatch(value)) and (
                    datetime.fromisoformat(value).tzinfo is not None
                )
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append(f"{where}: {key} is not an RFC 3339 date")
        if "tags" in item and not (
            isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])
        ):
            problems.append(f"{where}: tags is not an array of strings")
        if "authors" in item:
            authors(where, item["authors"])
        strings(where, item, _ITEM_KEYS)
    return problems


def test_json_feed_follows_the_spec() -> None:
    raw = render_json_feed(INFO, ENTRIES)
    doc = json.loads(raw.decode("utf-8"))
    assert _json_feed_problems(doc) == []
    assert doc["title"] == INFO.title
    assert doc["home_page_url"] == INFO.site_url
    assert doc["feed_url"] == INFO.feed_url
    assert doc["description"] == INFO.description
    assert doc["next_url"] == INFO.next_url
    assert doc["language"] == "en"
    assert doc["authors"] == [{"name": INFO.title}]  # BARE has no author of its own
    assert len(doc["items"]) == 2
    full, bare = doc["items"]
    assert full["id"] == f"urn:uuid:{UUID_1}"
    assert full["url"] == FULL.url
    assert full["external_url"] == FULL.source_url
    assert full["title"] == FULL.title
    assert full["summary"] == FULL.summary
    assert full["content_html"] == FULL.content_html
    assert "content_text" not in full
    assert datetime.fromisoformat(full["date_published"]) == FULL.published
    assert datetime.fromisoformat(full["date_modified"]) == FULL.updated
    assert full["authors"] == [{"name": name} for name in FULL.authors]
    assert full["tags"] == list(FULL.categories)
    assert full["language"] == "fr"
    assert bare["content_text"] == BARE.summary
    assert "content_html" not in bare
    assert "external_url" not in bare
    assert datetime.fromisoformat(bare["date_published"]) == BARE.published
    assert "next_url" not in json.loads(render_json_feed(FeedInfo("T", *_URLS), []))


def test_json_feed_reads_back_through_the_ingest_reader() -> None:
    feed = parse_feed(render_json_feed(INFO, ENTRIES))
    assert (feed.kind, feed.title, feed.link, feed.language) == (
        "json",
        INFO.title,
        INFO.site_url,
        "en",
    )
    assert [(e.guid, e.url, e.title) for e in feed.entries] == [
        (f"urn:uuid:{UUID_1}", FULL.url, FULL.title),
        (f"urn:uuid:{UUID_2}", BARE.url, BARE.title),
    ]
    assert [e.published.at if e.published else None for e in feed.entries] == [
        FULL.published,
        BARE.published,
    ]
    assert feed.entries[0].author == ", ".join(FULL.authors)


def _item(**changes: Any) -> dict[str, Any]:
    doc = json.loads(render_json_feed(INFO, ENTRIES))
    item = {**doc["items"][1], **changes}
    return {**doc, "items": [item]}


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param({**_item(), "version": "https://jsonfeed.org/version/1"}, id="version"),
        pytest.param({k: v for k, v in _item().items() if k != "title"}, id="no-title"),
        pytest.param({k: v for k, v in _item().items() if k != "items"}, id="no-items"),
        pytest.param(_item(id=2), id="numeric-id"),
        pytest.param(_item(content_text=None), id="no-content"),
        pytest.param(_item(date_published="28 Feb 2024"), id="bad-date"),
        pytest.param(_item(date_modified="2024-02-28T21:00:00"), id="date-without-offset"),
        pytest.param(_item(url="/n/2"), id="relative-url"),
        pytest.param(_item(tags="PL"), id="tags-not-an-array"),
        pytest.param(_item(authors=[{"nom": "x"}]), id="nameless-author"),
        pytest.param(_item(date_updated="2024-02-28T21:00:00Z"), id="unknown-key"),
        pytest.param({**_item(), "feed_url": "feed.json"}, id="relative-feed-url"),
    ],
)
def test_the_json_feed_checker_refuses_broken_feeds(doc: dict[str, Any]) -> None:
    assert _json_feed_problems(_item()) == []
    assert _json_feed_problems(doc) != []


# -- all three formats -------------------------------------------------------------------------


def _nasty_entry() -> FeedEntry:
    return FeedEntry(
        id=UUID_1,
        url='https://tribune.example/n/1?a=1&b="2"',
        title=NASTY,
        summary=NASTY,
        content_html="<p>a ]]> b\r\nc \x00&lt;\ud800</p>",
        published=FULL.published,
        updated=FULL.updated,
        authors=('Org <&> "A"\x1f',),
        categories=('t"<&>\x0c',),
    )


def _read_back(fmt: str, data: bytes) -> tuple[str, str, list[str], list[str]]:
    """Title, link, authors and tags of the single entry, as a reader sees them."""
    if fmt == "json":
        item = json.loads(data)["items"][0]
        return item["title"], item["url"], [a["name"] for a in item["authors"]], item["tags"]
    entry = _feedparse(data).entries[0]
    return entry.title, entry.link, [a.name for a in entry.authors], [t.term for t in entry.tags]


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_is_escaped_and_cleaned(fmt: str) -> None:
    data, _ = render(fmt, INFO, [_nasty_entry()])
    title, link, authors, tags = _read_back(fmt, data)
    assert title == NASTY_TEXT
    assert link == 'https://tribune.example/n/1?a=1&b="2"'
    assert authors == ['Org <&> "A"']
    assert tags == ['t"<&>']
    if fmt != "json":
        etree.fromstring(data)  # well-formed, or lxml raises
        assert b"<script>" not in data
        assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data)
    else:
        assert json.loads(data)["items"][0]["summary"] == NASTY_TEXT
        assert parse_feed(data).entries[0].title == NASTY_TEXT


def test_xml_text_survives_exactly() -> None:
    """A carriage return, ``]]>`` and quotes in attributes come back as they were written."""
    entry = _nasty_entry()
    atom = etree.fromstring(render_atom(INFO, [entry]))
    body = "<p>a ]]> b\r\nc &lt;</p>"
    assert atom.xpath("a:entry/a:content/text()", namespaces=NS) == [body]
    assert atom.xpath("a:entry/a:category/@term", namespaces=NS) == ['t"<&>']
    assert atom.xpath("a:entry/a:link/@href", namespaces=NS) == [entry.url]
    rss = etree.fromstring(render_rss(INFO, [entry]))
    assert rss.findtext("channel/item/description") == body
    assert rss.findtext("channel/item/title") == NASTY_TEXT


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_feed_is_valid(fmt: str, atom_schema: etree.RelaxNG) -> None:
    info = FeedInfo(INFO.title, *_URLS)
    data, media_type = render(fmt, info, [])
    assert media_type == MEDIA_TYPES[fmt]
    if fmt == "json":
        doc = json.loads(data)
        assert _json_feed_problems(doc) == []
        assert doc["items"] == []
        assert "authors" not in doc
        return
    if fmt == "atom":
        _assert_valid_atom(atom_schema, data)
    parsed = _feedparse(data)
    assert parsed.entries == []
    assert parsed.feed.title == INFO.title
    assert _parsed_epoch(parsed.feed.updated_parsed) == 0  # no entries, no date: the epoch


def test_the_feed_date_can_be_given() -> None:
    info = FeedInfo(INFO.title, *_URLS, updated=datetime(2030, 1, 1, tzinfo=UTC))
    assert _feedparse(render_atom(info, ENTRIES)).feed.updated == "2030-01-01T00:00:00Z"
    assert _feedparse(render_rss(info, ENTRIES)).feed.updated == "Tue, 01 Jan 2030 00:00:00 GMT"


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_is_deterministic(fmt: str) -> None:
    first, _ = render(fmt, INFO, ENTRIES)
    again, _ = render(fmt, FeedInfo(**INFO.__dict__), [FeedEntry(**e.__dict__) for e in ENTRIES])
    assert first == again
    assert first.decode("utf-8")  # UTF-8


@pytest.mark.parametrize("fmt", FORMATS)
def test_naive_datetimes_are_refused(fmt: str) -> None:
    naive = FeedEntry(**{**BARE.__dict__, "published": datetime(2024, 1, 1)})
    with pytest.raises(ValueError, match="naive"):
        render(fmt, INFO, [naive])


def test_render_names_the_media_type_and_refuses_unknown_formats() -> None:
    assert render("atom", INFO, [])[1] == "application/atom+xml; charset=utf-8"
    assert render("rss", INFO, [])[1] == "application/rss+xml; charset=utf-8"
    assert render("json", INFO, [])[1] == "application/feed+json; charset=utf-8"
    with pytest.raises(ValueError, match="unknown feed format"):
        render("rdf", INFO, [])

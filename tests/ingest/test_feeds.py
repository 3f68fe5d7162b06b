from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tribune.ingest.feeds import FeedError, parse_date, parse_feed

RSS2 = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>KKE</title><link>https://kke.example/</link><language>el</language>
<item><title>Statement of the CC</title><link>https://kke.example/s/1</link>
<guid isPermaLink="false">kke-1</guid><pubDate>Mon, 18 Nov 2019 09:30:00 +0200</pubDate>
<description>The lead.</description>
<content:encoded><![CDATA[<p>The whole text.</p>]]></content:encoded></item>
<item><title>Second</title><link>https://kke.example/s/2</link></item>
</channel></rss>"""

RSS091 = """<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>
<link>http://old.example/</link><description>d</description>
<item><title>One</title><link>http://old.example/1</link><description>x</description></item>
</channel></rss>"""

RSS1 = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://r1.example/"><title>R1</title><link>http://r1.example/</link>
<description>d</description></channel>
<item rdf:about="http://r1.example/a"><title>A</title><link>http://r1.example/a</link>
<dc:date>2024-05-01</dc:date></item></rdf:RDF>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>TKP</title>
<link href="https://tkp.example/"/><id>urn:tkp</id><updated>2024-05-01T10:00:00+03:00</updated>
<entry><title>Açıklama</title><link href="https://tkp.example/a/1"/><id>urn:tkp:1</id>
<published>2024-05-01T10:00:00+03:00</published><updated>2024-05-01T10:00:00+03:00</updated>
<author><name>MK</name></author>
<content type="html">&lt;p&gt;Tam metin&lt;/p&gt;</content></entry></feed>"""


def test_rss2_with_full_text() -> None:
    feed = parse_feed(RSS2)
    assert (feed.kind, feed.title, feed.language) == ("rss", "KKE", "el")
    first, second = feed.entries
    assert first.url == "https://kke.example/s/1"
    assert first.guid == "kke-1"
    assert first.content_html == "<p>The whole text.</p>"
    assert first.summary_html == "The lead."
    assert first.published is not None
    assert first.published.at == datetime(2019, 11, 18, 7, 30, tzinfo=UTC)
    assert first.published.offset == 120
    assert first.published.precision == "minute"
    assert second.published is None
    assert second.content_html == ""


def test_old_rss_versions() -> None:
    assert [e.url for e in parse_feed(RSS091).entries] == ["http://old.example/1"]
    (entry,) = parse_feed(RSS1).entries
    assert entry.url == "http://r1.example/a"
    assert entry.published is not None
    assert entry.published.precision == "day"


def test_atom() -> None:
    feed = parse_feed(ATOM.encode("utf-8"))
    assert feed.kind == "atom"
    (entry,) = feed.entries
    assert entry.title == "Açıklama"
    assert entry.content_html == "<p>Tam metin</p>"
    assert entry.author == "MK"
    assert entry.published is not None
    assert entry.published.offset == 180


def test_json_feed() -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "PCP",
        "language": "pt",
        "items": [
            {
                "id": 7,
                "url": "https://pcp.example/7",
                "title": "Nota",
                "content_html": "<p>Texto</p>",
                "date_published": "2024-05-01T10:00:00Z",
                "authors": [{"name": "Gabinete de Imprensa"}],
            }
        ],
    }
    feed = parse_feed(json.dumps(doc))
    assert (feed.kind, feed.language) == ("json", "pt")
    (entry,) = feed.entries
    assert (entry.guid, entry.url, entry.content_html) == (
        "7",
        "https://pcp.example/7",
        "<p>Texto</p>",
    )
    assert entry.author == "Gabinete de Imprensa"
    with pytest.raises(FeedError, match="JSON Feed version"):
        parse_feed(json.dumps({"items": []}))
    with pytest.raises(FeedError, match="malformed JSON"):
        parse_feed("{not json")


def test_html_served_as_a_feed_is_refused() -> None:
    with pytest.raises(FeedError, match="looks like an HTML page"):
        parse_feed(
            "<!doctype html><html><head><title>x</title></head><body><p>hi</p></body></html>"
        )


def test_a_slightly_broken_feed_still_gives_its_entries() -> None:
    broken = RSS2.replace("</channel></rss>", "")  # cut short
    feed = parse_feed(broken)
    assert [e.title for e in feed.entries] == ["Statement of the CC", "Second"]
    assert feed.problem.startswith("the feed is malformed (")
    assert feed.problem.endswith("2 entries read before it")
    assert parse_feed(RSS2).problem == ""


def test_a_feed_whose_declaration_lies_about_its_encoding_is_read_right() -> None:
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>КПРФ</title>'
        "<item><title>Заявление Президиума ЦК КПРФ</title><link>http://r.example/1</link>"
        "</item></channel></rss>"
    )
    feed = parse_feed(rss.encode("windows-1251"))
    assert feed.title == "КПРФ"
    assert feed.entries[0].title == "Заявление Президиума ЦК КПРФ"


def test_an_entity_bomb_does_not_expand() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel>'
        "<title>&i;</title><item><title>&i;</title><link>http://b.example/1</link></item>"
        "</channel></rss>"
    )
    with pytest.raises(FeedError, match="entity-expansion bomb"):
        parse_feed(bomb)
    # a DTD of plain entities (RSS 0.91's, say) is no bomb
    plain = bomb.replace(entities, '<!ENTITY nbsp "&#160;">').replace("&i;", "x&nbsp;y")
    assert parse_feed(plain).entries[0].title == "x\xa0y"


@pytest.mark.parametrize(
    ("text", "precision", "offset"),
    [
        ("Mon, 18 Nov 2019 09:30:00 +0200", "minute", 120),
        ("Mon, 18 Nov 2019 09:30:15 GMT", "second", 0),
        ("2019-11-18T09:30:00-05:00", "minute", -300),
        ("2019-11-18", "day", 0),
    ],
)
def test_dates_keep_offset_and_precision(text: str, precision: str, offset: int) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.precision, parsed.offset) == (precision, offset)
    assert parsed.at.tzinfo == UTC


def test_unreadable_dates() -> None:
    assert parse_date("") is None
    assert parse_date("next Tuesday") is None

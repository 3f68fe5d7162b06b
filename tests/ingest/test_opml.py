from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tribune.db.engine import Database
from tribune.ingest.opml import NS, export_opml, import_opml
from tribune.ingest.sources import NewSource, SourceError, add_source, list_sources

# The shape Miniflux and FreshRSS export: categories holding rss outlines.
READER_OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Miniflux</title><dateCreated>Sat, 28 Nov 2026 10:00:00 UTC</dateCreated></head>
  <body>
    <outline text="Parties">
      <outline title="KKE" text="KKE" xmlUrl="https://kke.example/feed.xml"
               htmlUrl="https://kke.example/" type="rss"></outline>
      <outline title="TKP" text="TKP" xmlUrl="https://tkp.example/rss" htmlUrl="https://tkp.example/"
               type="rss"></outline>
    </outline>
  </body>
</opml>
"""


def test_a_readers_opml_imports_with_the_organisation_given(db: Database) -> None:
    report = import_opml(db, READER_OPML, default_org="gr-kke")
    assert report.added == ["https://kke.example/feed.xml", "https://tkp.example/rss"]
    assert report.problems == []
    again = import_opml(db, READER_OPML, default_org="gr-kke")
    assert again.added == []
    assert again.existing == report.added
    assert {s["kind"] for s in list_sources(db)} == {"feed"}


def test_without_an_organisation_each_feed_is_refused_and_named(db: Database) -> None:
    report = import_opml(db, READER_OPML)
    assert report.added == []
    assert report.problems == [
        "https://kke.example/feed.xml: no organisation (give --org, or a tribune:org)",
        "https://tkp.example/rss: no organisation (give --org, or a tribune:org)",
    ]


def test_export_then_import_round_trips(db: Database, empty_db: Database) -> None:
    add_source(db, NewSource(url="https://kke.example/feed.xml", org_id="gr-kke", kind="feed"))
    add_source(
        db,
        NewSource(
            url="https://tkp.example/haberler",
            org_id="tr-tkp",
            kind="page",
            language="tr",
            rights="excerpt",
        ),
    )
    text = export_opml(db)
    root = ET.fromstring(text)
    assert root.get("version") == "2.0"
    feeds = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert {o.get(f"{{{NS}}}org") for o in feeds} == {"gr-kke", "tr-tkp"}
    assert all(o.get("type") == "rss" for o in feeds)
    # a fresh database with the KB: the same sources come back
    from tribune.kb.load import load_kb

    load_kb(empty_db)
    report = import_opml(empty_db, text)
    assert report.problems == []

    def key(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
        return sorted((r["url"], r["kind"], r["org_id"]) for r in rows)

    assert key(list_sources(empty_db)) == key(list_sources(db))
    page = next(s for s in list_sources(empty_db) if s["kind"] == "page")
    assert page["url"] == "https://tkp.example/haberler"


@pytest.mark.parametrize("text", ["", "<html><body></body></html>", "<opml version='2.0'"])
def test_bad_files_are_refused(db: Database, text: str) -> None:
    with pytest.raises(SourceError, match="not an OPML file"):
        import_opml(db, text)


def test_entity_bombs_are_refused(db: Database) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + ']><opml version="2.0"><body><outline text="&i;" xmlUrl="http://x.example/"/></body></opml>'
    )
    with pytest.raises(SourceError, match="not an OPML file"):
        import_opml(db, bomb, default_org="gr-kke")
    assert list_sources(db) == []

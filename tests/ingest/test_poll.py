"""A polling round over real HTTP on loopback (the replay server), on both databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import item_revisions, items, mentions, sources
from tribune.ingest.poll import poll
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer

BODY = (
    "The Communist Party of Greece condemns the decision of the government to send frigates "
    "to the Red Sea. This decision drags the country deeper into the imperialist war and puts "
    "the lives of the sailors and of the people at risk. The KKE calls on the workers and the "
    "youth to take part in the rallies against the war on Saturday, and to demand that the "
    "frigates return home and that the country leaves the plans of NATO and the EU."
)
ARTICLE = """<!doctype html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1><p>{body}</p></article><footer>KKE</footer></body></html>"""
RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>KKE</title>
<link>{{site}}/</link>
<item><title>No frigates to the Red Sea</title><link>{{site}}/a/1.html</link>
<guid>kke-1</guid><pubDate>Mon, 15 Jan 2024 10:00:00 +0200</pubDate>
<description>The KKE condemns the decision.</description></item>
<item><title>Rallies on Saturday</title><link>{{site}}/a/2.html</link>
<guid>kke-2</guid><pubDate>Tue, 16 Jan 2024 10:00:00 +0200</pubDate></item>
</channel></rss>"""


def _site(root: Path) -> None:
    kke = root / "kke"
    (kke / "a").mkdir(parents=True)
    (kke / "feed.xml").write_text(RSS, encoding="utf-8")
    (kke / "a" / "1.html").write_text(
        ARTICLE.format(title="No frigates to the Red Sea", body=BODY), encoding="utf-8"
    )
    second = (
        "Rallies will take place in Athens, Thessaloniki and Patras on Saturday at noon. "
        "The trade unions of the ports and of the shipyards have called their members to "
        "stop work for four hours. Students will march from the universities to the centre "
        "of each city, and pensioners' unions will join them with their own banners."
    )
    (kke / "a" / "2.html").write_text(
        ARTICLE.format(title="Rallies on Saturday", body=second), encoding="utf-8"
    )
    (kke / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", encoding="utf-8")
    portal = root / "portal"
    portal.mkdir()
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Portal",
        "items": [
            {
                "id": "p-9",
                "url": "{{site}}/news/kke-frigates",
                "title": "KKE: No frigates to the Red Sea",
                "content_html": f"<p>Republished. {BODY}</p>",
                "date_published": "2024-01-15T12:00:00+03:00",
            }
        ],
    }
    (portal / "feed.json").write_text(json.dumps(feed), encoding="utf-8")
    broken = root / "broken"
    broken.mkdir()
    (broken / "feed.xml").write_text(RSS, encoding="utf-8")
    (broken / "_replay.json").write_text(
        json.dumps({"paths": {"/feed.xml": {"status": 500}}}), encoding="utf-8"
    )


@pytest.fixture
def replay(tmp_path: Path) -> Iterator[ReplayServer]:
    _site(tmp_path)
    with ReplayServer(tmp_path) as server:
        yield server


LOOPBACK = Settings(allow_private_networks=True)


def _count(db: Database, table: sa.Table) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def test_a_round_stores_items_once_and_records_failures(db: Database, replay: ReplayServer) -> None:
    add_source(db, NewSource(url=replay.url("kke", "/feed.xml"), org_id="gr-kke", kind="feed"))
    add_source(db, NewSource(url=replay.url("portal", "/feed.json"), org_id="tr-icp", kind="feed"))
    add_source(db, NewSource(url=replay.url("broken", "/feed.xml"), org_id="tr-tkp", kind="feed"))

    first = {r.url: r for r in poll(db, which="all", settings=LOOPBACK)}
    kke = first[replay.url("kke", "/feed.xml")]
    portal = first[replay.url("portal", "/feed.json")]
    broken = first[replay.url("broken", "/feed.xml")]
    assert (kke.outcome, kke.counts) == ("ok", {"new": 2})
    # the round polls sources concurrently: the portal's copy may be stored first, then yield
    assert portal.outcome == "ok"
    assert sum(portal.counts.values()) == 1
    assert broken.outcome == "error"
    assert "500" in broken.error

    with db.read() as conn:
        rows = conn.execute(sa.select(items)).mappings().all()
        stored = {r["url"]: r for r in rows}
        own = stored[replay.url("kke", "/a/1.html")]
        copy = stored[replay.url("portal", "/news/kke-frigates")]
        # the party's own site holds the original, the portal's copy points at it
        assert (own["status"], copy["status"]) == ("inbox", "duplicate")
        assert copy["duplicate_of"] == own["id"]
        assert stored[replay.url("kke", "/a/2.html")]["status"] == "inbox"
        assert own["title"] == "No frigates to the Red Sea"
        assert "imperialist war" in own["body_text"]
        assert "Home" not in own["body_text"]
        assert own["published_offset"] == 120
        assert own["language"] == "en"
        linked = set(conn.execute(sa.select(mentions.c.entity_id)).scalars())
        assert "gr-kke" in linked
        health = conn.execute(sa.select(sources).order_by(sources.c.id)).mappings().all()
        assert health[0]["etag"]
        assert health[0]["last_success_at"] is not None
        assert health[2]["error_count"] == 1
        assert "500" in health[2]["last_error"]
        assert health[2]["next_check_at"] > health[2]["last_error_at"]

    # the same round again: 304s, nothing stored twice, and the sources' health moves on
    again = poll(db, which="all", settings=LOOPBACK)
    assert sorted(r.outcome for r in again) == ["error", "not-modified", "not-modified"]
    with db.read() as conn:
        later = conn.execute(sa.select(sources).order_by(sources.c.id)).mappings().all()
    assert later[0]["last_success_at"] > health[0]["last_success_at"]
    assert later[0]["next_check_at"] > health[0]["next_check_at"]
    assert later[0]["etag"] == health[0]["etag"]
    assert _count(db, items) == 3
    assert _count(db, item_revisions) == 3


def test_an_edited_statement_gets_a_revision(db: Database, replay: ReplayServer) -> None:
    add_source(db, NewSource(url=replay.url("portal", "/feed.json"), org_id="tr-icp", kind="feed"))
    poll(db, which="all", settings=LOOPBACK)
    edited = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "id": "p-9",
                "url": replay.url("portal", "/news/kke-frigates"),
                "title": "KKE: No frigates to the Red Sea",
                "content_html": f"<p>Republished. {BODY} Signed also by the KNE.</p>",
            }
        ],
    }
    replay.replace("portal", "/feed.json", json.dumps(edited))
    (report,) = poll(db, which="all", settings=LOOPBACK)
    assert report.counts == {"revised": 1}
    assert _count(db, items) == 1
    assert _count(db, item_revisions) == 2
    with db.read() as conn:
        assert "Signed also by the KNE" in conn.execute(sa.select(items.c.body_text)).scalar_one()

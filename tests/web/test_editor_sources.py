"""The sources dashboard through a real server: failing sources first, adding one (with its
errors), pausing (then no polling round reads it) and resuming, and the dry run of a URL on a
loopback replay site."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from seed import Seeded, seed_site
from websupport import LiveServer, login

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import audit_log, sources
from tribune.ingest.poll import due_sources
from tribune.replay import ReplayServer
from tribune.web.app import create_app

Site = tuple[str, Database, Seeded]
FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "KKE",
    "items": [
        {
            "id": "1",
            "url": "{{site}}/s/1",
            "title": "The KKE on the general strike",
            "content_html": "<p>The Communist Party of Greece salutes the general strike.</p>",
            "date_published": "2026-11-19T10:00:00+02:00",
        },
        {"id": "2", "url": "{{site}}/s/2", "title": "Rallies against the war on Saturday"},
    ],
}


def _source_ids(html: str) -> list[str]:
    return re.findall(r'<tr data-source="([^"]+)"', html)


def _by_url(db: Database, url: str) -> sa.Row[tuple[object, ...]] | None:
    with db.read() as conn:
        return conn.execute(sa.select(sources).where(sources.c.url == url)).first()


def _count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sources)).scalar() or 0)


def test_the_dashboard_lists_failing_sources_first(client: httpx.Client, site: Site) -> None:
    _url, db, _seeded = site
    login(client, db, "viewer")  # reading the dashboard is reading the newsroom
    page = client.get("/editor/sources")
    assert page.status_code == 200
    kke, tkp = (_by_url(db, u) for u in ("http://kke.example/feed", "http://tkp.example/feed"))
    assert kke is not None
    assert tkp is not None
    assert _source_ids(page.text) == [kke.public_id, tkp.public_id]
    failed_at = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    with db.write() as conn:
        conn.execute(
            sources.update()
            .where(sources.c.id == tkp.id)
            .values(error_count=3, last_error="HTTP 503 from tkp.example", last_error_at=failed_at)
        )
    page = client.get("/editor/sources")
    assert _source_ids(page.text) == [tkp.public_id, kke.public_id]
    row = re.search(rf'<tr data-source="{tkp.public_id}"[^>]*>(.*?)</tr>', page.text, re.S)
    assert row
    assert "HTTP 503 from tkp.example" in row.group(1)
    assert "2026-11-20 08:30" in row.group(1)
    assert "<td>3</td>" in row.group(1)
    assert "Communist Party of Turkey" in row.group(1)
    assert "2 sources · 1 failing · 0 paused" in page.text


def test_adding_a_source_and_its_errors(client: httpx.Client, site: Site) -> None:
    _url, db, _seeded = site
    csrf = login(client, db, "editor")
    before = _count(db)
    for url, org, message in (
        ("not a url", "gr-kke", "is not an http or https URL"),
        ("ftp://kke.example/feed", "gr-kke", "is not an http or https URL"),
        (
            "https://pcp.example/feed",
            "no-such-party",
            "no organisation with id &#39;no-such-party&#39;",
        ),
        ("https://pcp.example/feed", "", "give the id of the organisation"),
        ("http://kke.example/feed", "gr-kke", "exists already"),
    ):
        response = client.post(
            "/editor/sources",
            data={"csrf_token": csrf, "url": url, "org_id": org, "source_kind": "feed"},
        )
        assert response.status_code == 422, url
        assert message in response.text
        assert 'role="alert"' in response.text
        assert f'value="{org}"' in response.text  # the form keeps what was typed
    assert _count(db) == before

    response = client.post(
        "/editor/sources",
        data={
            "csrf_token": csrf,
            "url": "https://pcp.example/feed.xml",
            "org_id": "pt-pcp",
            "source_kind": "auto",
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/editor/sources?done=added"
    added = _by_url(db, "https://pcp.example/feed.xml")
    assert added is not None
    assert (added.org_id, added.kind, added.state) == ("pt-pcp", "auto", "active")
    assert added.public_id in _source_ids(client.get("/editor/sources").text)
    with db.read() as conn:
        entry = conn.execute(sa.select(audit_log).where(audit_log.c.action == "source.add")).one()
    assert (entry.actor, entry.row_id) == ("editor-user", added.public_id)


def test_a_paused_source_is_not_polled_until_resumed(client: httpx.Client, site: Site) -> None:
    _url, db, _seeded = site
    csrf = login(client, db, "editor")
    kke = _by_url(db, "http://kke.example/feed")
    assert kke is not None
    assert {s["public_id"] for s in due_sources(db, which="all")} >= {kke.public_id}
    response = client.post(
        "/editor/sources/state",
        data={"csrf_token": csrf, "source": kke.public_id, "state": "paused"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/editor/sources?done=paused"
    assert (_by_url(db, kke.url) or kke).state == "paused"
    assert kke.public_id not in {s["public_id"] for s in due_sources(db, which="all")}
    page = client.get("/editor/sources?done=paused")
    assert "Done: paused." in page.text
    assert ">Resume<" in page.text
    response = client.post(
        "/editor/sources/state",
        data={"csrf_token": csrf, "source": kke.public_id, "state": "active"},
    )
    assert response.status_code == 303
    assert kke.public_id in {s["public_id"] for s in due_sources(db, which="all")}
    with db.read() as conn:
        actions = conn.execute(
            sa.select(audit_log.c.action)
            .where(audit_log.c.table_name == "sources")
            .order_by(audit_log.c.id)
        ).scalars()
        assert list(actions) == ["source.pause", "source.resume"]
    missing = client.post(
        "/editor/sources/state", data={"csrf_token": csrf, "source": "nope", "state": "paused"}
    )
    assert missing.status_code == 404


@pytest.fixture
def replay(tmp_path: Path) -> Iterator[ReplayServer]:
    (tmp_path / "kke").mkdir()
    (tmp_path / "kke" / "feed.json").write_text(json.dumps(FEED), encoding="utf-8")
    with ReplayServer(tmp_path) as server:
        yield server


@pytest.fixture
def loopback_site(db: Database) -> Iterator[tuple[str, Database]]:
    """The site, allowed to fetch from private networks (the replay server is on loopback)."""
    seed_site(db)
    app = create_app(db, Settings(database_url=db.url, allow_private_networks=True))
    with LiveServer(app) as server:
        yield server.url, db


def test_the_dry_run_shows_what_a_loopback_feed_would_give(
    loopback_site: tuple[str, Database], replay: ReplayServer
) -> None:
    url, db = loopback_site
    feed = replay.url("kke", "/feed.json")
    before = _count(db)
    with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as client:
        csrf = login(client, db, "viewer")
        assert client.get("/editor/sources/test").status_code == 200  # the form
        refused = client.get("/editor/sources/test", params={"url": feed})
        assert refused.status_code == 403
        assert replay.requests("kke") == []
        client.post("/editor/logout", data={"csrf_token": csrf})
        login(client, db, "editor")
        page = client.get("/editor/sources/test", params={"url": feed, "source_kind": "auto"})
        assert page.status_code == 200, page.text
        assert "Read as: <strong>feed</strong>" in page.text
        assert "The KKE on the general strike" in page.text
        assert "full text in the feed" in page.text
        assert "Rallies against the war on Saturday" in page.text
        assert "the page would be fetched and extracted" in page.text
        assert "2026-11-19T08:00:00+00:00" in page.text
        bad = client.get("/editor/sources/test", params={"url": "file:///etc/passwd"})
        assert bad.status_code == 422
        assert "is not an http or https URL" in bad.text
        gone = client.get(
            "/editor/sources/test", params={"url": replay.url("kke", "/missing.json")}
        )
        assert gone.status_code == 200
        assert "The URL cannot be read" in gone.text
    assert _count(db) == before  # nothing stored


def test_viewers_and_forged_forms_change_nothing(client: httpx.Client, site: Site) -> None:
    _url, db, _seeded = site
    kke = _by_url(db, "http://kke.example/feed")
    assert kke is not None
    posts = [
        ("/editor/sources", {"url": "https://x.example/feed", "org_id": "gr-kke"}),
        ("/editor/sources/state", {"source": kke.public_id, "state": "paused"}),
    ]
    for path, data in posts:
        assert client.post(path, data=data).status_code == 403  # anonymous
    csrf = login(client, db, "viewer")
    for path, data in posts:
        refused = client.post(path, data={**data, "csrf_token": csrf})
        assert refused.status_code == 403
        assert "viewer-user may not manage sources" in refused.text
    client.post("/editor/logout", data={"csrf_token": csrf})
    csrf = login(client, db, "editor")
    for path, data in posts:
        for token in ("", csrf[:-1]):
            refused = client.post(path, data={**data, "csrf_token": token})
            assert refused.status_code == 403
            assert "security token" in refused.text
    assert _count(db) == 2
    assert (_by_url(db, kke.url) or kke).state == "active"
    with db.read() as conn:
        logged = conn.execute(
            sa.select(sa.func.count()).where(audit_log.c.table_name == "sources")
        ).scalar()
    assert logged == 0

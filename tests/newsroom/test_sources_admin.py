"""The newsroom's sources: health failing first, adding, pausing (a paused source is not
polled), resuming, and the dry run of a URL on a loopback site; every change audited."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import audit_log, items, sources
from tribune.ingest.poll import due_sources, poll
from tribune.ingest.sources import NewSource, SourceError, add_source
from tribune.newsroom import sources_admin
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.replay import ReplayServer

EDITOR = Actor(name="ed", role="editor")
VIEWER = Actor(name="vi", role="viewer")
LOOPBACK = Settings(allow_private_networks=True)
FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "KKE",
    "items": [
        {
            "id": "1",
            "url": "{{site}}/s/1",
            "title": "The KKE on the general strike",
            "content_html": "<p>The Communist Party of Greece salutes the general strike of the "
            "workers in the ports and the shipyards, and calls on every union to join it.</p>",
            "date_published": "2026-11-19T10:00:00+02:00",
        },
        {
            "id": "2",
            "url": "{{site}}/s/2",
            "title": "Rallies against the war on Saturday",
        },
    ],
}


@pytest.fixture
def replay(tmp_path: Path) -> Iterator[ReplayServer]:
    (tmp_path / "kke").mkdir()
    (tmp_path / "kke" / "feed.json").write_text(json.dumps(FEED), encoding="utf-8")
    with ReplayServer(tmp_path) as server:
        yield server


def _set_health(db: Database, public_id: str, errors: int, failed_at: datetime | None) -> None:
    with db.write() as conn:
        conn.execute(
            sources.update()
            .where(sources.c.public_id == public_id)
            .values(
                error_count=errors,
                last_error="HTTP 500" if errors else None,
                last_error_at=failed_at,
            )
        )


def _audit(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.row_id, audit_log.c.actor).order_by(
                audit_log.c.id
            )
        )
        return [tuple(r) for r in rows]


def test_health_lists_failing_sources_first(db: Database) -> None:
    ids = [
        add_source(db, NewSource(url=f"https://party{n}.example/feed", org_id="gr-kke"))
        for n in range(4)
    ]
    now = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    _set_health(db, ids[1], 2, now - timedelta(hours=5))
    _set_health(db, ids[2], 2, now - timedelta(hours=1))
    _set_health(db, ids[3], 5, now - timedelta(days=2))
    found = sources_admin.health(db)
    assert [s.id for s in found] == [ids[3], ids[2], ids[1], ids[0]]
    assert [s.failing for s in found] == [True, True, True, False]
    first = found[0]
    assert (first.org_id, first.org_name) == ("gr-kke", "Communist Party of Greece")
    assert first.last_error == "HTTP 500"
    assert first.last_error_at == now - timedelta(days=2)
    assert found[-1].next_check_at is not None
    assert found[-1].items_30d == 0


def test_add_stores_and_audits(db: Database) -> None:
    public_id = sources_admin.add(db, EDITOR, " https://kke.example/rss ", "gr-kke", "feed")
    with db.read() as conn:
        row = conn.execute(sa.select(sources).where(sources.c.public_id == public_id)).one()
    assert (row.url, row.org_id, row.kind, row.state) == (
        "https://kke.example/rss",
        "gr-kke",
        "feed",
        "active",
    )
    assert _audit(db) == [("source.add", public_id, "ed")]


@pytest.mark.parametrize(
    ("url", "org", "kind", "message"),
    [
        ("ftp://kke.example/feed", "gr-kke", "feed", "not an http or https URL"),
        ("kke.example/feed", "gr-kke", "auto", "not an http or https URL"),
        ("https://kke.example/feed", "no-such-party", "auto", "no organisation with id"),
        ("https://kke.example/feed", "", "auto", "give the id of the organisation"),
        ("https://kke.example/feed", "gr-kke", "podcast", "unknown kind 'podcast'"),
    ],
)
def test_add_refuses_bad_sources(db: Database, url: str, org: str, kind: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        sources_admin.add(db, EDITOR, url, org, kind)
    assert sources_admin.health(db) == []
    assert _audit(db) == []


def test_only_those_who_manage_sources_may(db: Database) -> None:
    public_id = add_source(db, NewSource(url="https://kke.example/feed", org_id="gr-kke"))
    with pytest.raises(NotAllowed):
        sources_admin.add(db, VIEWER, "https://tkp.example/feed", "tr-tkp")
    with pytest.raises(NotAllowed):
        sources_admin.set_state(db, VIEWER, public_id, "paused")
    with pytest.raises(NotAllowed):
        sources_admin.dry_run(VIEWER, "https://kke.example/feed")
    with pytest.raises(sources_admin.SourceNotFound):
        sources_admin.set_state(db, EDITOR, "no-such-source", "paused")
    with pytest.raises(SourceError, match="unknown state"):
        sources_admin.set_state(db, EDITOR, public_id, "asleep")


def test_a_paused_source_is_not_polled(db: Database, replay: ReplayServer) -> None:
    url = replay.url("kke", "/feed.json")
    public_id = add_source(db, NewSource(url=url, org_id="gr-kke", kind="feed"))
    assert sources_admin.set_state(db, EDITOR, public_id, "paused") is True
    assert sources_admin.set_state(db, EDITOR, url, "paused") is False  # by URL too; no change
    assert [s.state for s in sources_admin.health(db)] == ["paused"]
    assert due_sources(db) == []
    assert due_sources(db, which="all") == []
    assert poll(db, which="all", settings=LOOPBACK, refetch=None) == []
    assert poll(db, settings=LOOPBACK, refetch=None) == []
    assert replay.requests("kke") == []
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(items)).scalar() == 0

    assert sources_admin.set_state(db, EDITOR, public_id, "active") is True
    reports = poll(db, which="all", settings=LOOPBACK, refetch=None)
    assert [(r.source_id, r.outcome) for r in reports] == [(public_id, "ok")]
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(items)).scalar() == 1
    assert _audit(db) == [
        ("source.pause", public_id, "ed"),
        ("source.resume", public_id, "ed"),
    ]


def test_dry_run_reads_a_loopback_feed_and_stores_nothing(
    db: Database, replay: ReplayServer
) -> None:
    url = replay.url("kke", "/feed.json")
    report = sources_admin.dry_run(EDITOR, url, kind="auto", settings=LOOPBACK)
    assert report.kind == "feed"
    assert [e["title"] for e in report.entries] == [
        "The KKE on the general strike",
        "Rallies against the war on Saturday",
    ]
    assert [e["why"] for e in report.entries] == [
        "full text in the feed",
        "the page would be fetched and extracted",
    ]
    assert sources_admin.health(db) == []
    # the guard refuses loopback addresses unless the operator allows private networks
    refused = sources_admin.dry_run(EDITOR, url, kind="feed", settings=Settings())
    assert refused.kind == "error"
    with pytest.raises(SourceError, match="unknown kind"):
        sources_admin.dry_run(EDITOR, url, kind="podcast", settings=LOOPBACK)
    with pytest.raises(SourceError, match="not an http"):
        sources_admin.dry_run(EDITOR, "file:///etc/passwd", settings=LOOPBACK)

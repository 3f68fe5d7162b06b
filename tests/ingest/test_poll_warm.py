"""A round trains the kinds model on a thread while it fetches, once it has an item to
classify, and never when nothing is new (real HTTP on loopback, both databases)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import items
from tribune.ingest.poll import poll
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer
from tribune.understand import kind_model

LOOPBACK = Settings(allow_private_networks=True)


def _feed(url: str) -> str:
    item = {
        "id": url,
        "url": url,
        "title": "Statement of the Central Committee on the general strike",
        "content_html": "<p>The Central Committee salutes the workers on strike today.</p>",
        "date_published": "2026-11-20T10:00:00+00:00",
    }
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [item]})


def test_the_kinds_model_is_warmed_on_a_thread_only_for_new_items(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = kind_model.warm

    def recording() -> None:
        threads.append(threading.current_thread().name)
        real()

    monkeypatch.setattr(kind_model, "warm", recording)
    (tmp_path / "party").mkdir()
    (tmp_path / "party" / "feed.json").write_text("{}", encoding="utf-8")
    with ReplayServer(tmp_path) as server:
        server.replace("party", "/feed.json", _feed(server.url("party", "/statement")))
        add_source(db, NewSource(url=server.url("party", "/feed.json"), org_id="gr-kke"))
        poll(db, which="all", settings=LOOPBACK, refetch=None)
        assert threads == ["kinds-warm"]
        with db.read() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(items)).scalar_one() == 1
        poll(db, which="all", settings=LOOPBACK, refetch=None)  # nothing new: no training
    assert threads == ["kinds-warm"]

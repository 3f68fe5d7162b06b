"""``tribune serve`` as a real process: it serves the site, polls a loopback site, and stops
cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.lease import holder_of
from tribune.db.tables import items
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer

FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "items": [
        {
            "id": "1",
            "url": "{{site}}/s/1",
            "title": "The KKE on the general strike",
            "content_html": "<p>The Communist Party of Greece salutes the general strike.</p>",
        }
    ],
}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[ReplayServer]:
    (tmp_path / "kke").mkdir()
    (tmp_path / "kke" / "feed.json").write_text(json.dumps(FEED), encoding="utf-8")
    with ReplayServer(tmp_path) as server:
        yield server


def _stored(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(items)).scalar() or 0)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_polls_and_stops_on_sigterm(db: Database, site: ReplayServer) -> None:
    port = _free_port()
    add_source(db, NewSource(url=site.url("kke", "/feed.json"), org_id="gr-kke", kind="feed"))
    env = os.environ | {"TRIBUNE_DATABASE_URL": db.url, "TRIBUNE_ALLOW_PRIVATE_NETWORKS": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tribune.cli", "serve", "--tick", "0.2", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while _stored(db) == 0:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "serve stored nothing"
            time.sleep(0.05)
        assert holder_of(db, "scheduler") is not None
        front = None
        while front is None:
            assert time.monotonic() < deadline, "serve did not answer on its port"
            try:
                front = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
            except httpx.TransportError:
                time.sleep(0.05)
        assert front.status_code == 200
        assert "Nothing is published yet." in front.text  # gathered items wait in the inbox
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{port}/, polling every 0.2s" in out
    assert "holding the scheduler lease" in out
    assert "polled 1 source in" in out
    assert "1 new, 0 failed" in out
    assert out.rstrip().endswith("stopped; the scheduler lease is released")
    assert holder_of(db, "scheduler") is None
    assert site.count("kke", "/feed.json") == 1  # polled once, then not due again

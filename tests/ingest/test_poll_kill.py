"""A polling round killed with SIGKILL at random moments loses nothing and stores nothing twice.

For each database, a clean round is run first and timed. Then, 20 times: a fresh database gets
the same sources, a round is started as a real ``tribune poll`` process and killed at a moment
drawn uniformly from the clean round's duration, then a round is run again to the end; the
items must equal the clean run's, with no duplicate and no orphan row.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import item_bands, item_revisions, item_signatures, items, mentions
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer

KILLS = 20
SITES = {"kke": "gr-kke", "tkp": "tr-tkp", "pcp": "pt-pcp"}
ARTICLES = 8
SENTENCES = (
    "The party calls on the workers to organise in their workplaces.",
    "The government passed a law that cuts wages and pensions again.",
    "Thousands marched in the capital against the war and the bases.",
    "The strike closed the ports, the railways and the schools.",
    "The youth organisation held its congress with delegates from every city.",
    "Prices of food and energy rose for the third month in a row.",
)


def _build(root: Path) -> None:
    rng = random.Random(7)
    for site in SITES:
        base = root / site
        (base / "a").mkdir(parents=True)
        entries = []
        for n in range(ARTICLES):
            body = " ".join(rng.choice(SENTENCES) for _ in range(12))
            title = f"{site.upper()} statement number {n} on the situation"
            page = (
                f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a>"
                f"</nav><article><h1>{title}</h1><p>{site.upper()} {n}: {body}</p>"
                f"<p>Statement {n} of the {site.upper()} press office, with thanks.</p>"
                "</article></body></html>"
            )
            (base / "a" / f"{n}.html").write_text(page, encoding="utf-8")
            entries.append({"id": f"{site}-{n}", "url": f"{{{{site}}}}/a/{n}.html", "title": title})
        feed = {"version": "https://jsonfeed.org/version/1.1", "items": entries}
        (base / "feed.json").write_text(json.dumps(feed), encoding="utf-8")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplayServer]:
    root = tmp_path_factory.mktemp("kill-sites")
    _build(root)
    with ReplayServer(root) as server:
        yield server


def _add_sources(db: Database, server: ReplayServer) -> None:
    for site, org in SITES.items():
        add_source(db, NewSource(url=server.url(site, "/feed.json"), org_id=org, kind="feed"))


def _poll(db: Database) -> subprocess.Popen[bytes]:
    env = os.environ | {"TRIBUNE_DATABASE_URL": db.url, "TRIBUNE_ALLOW_PRIVATE_NETWORKS": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "tribune.cli", "poll", "--all"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _state(db: Database) -> dict[str, Any]:
    """What a round leaves behind, in a form two databases can be compared by."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(items.c.id, items.c.canonical_url, items.c.status, items.c.content_hash)
        ).all()
        by_id = {r.id: r.canonical_url for r in rows}

        def orphans(table: sa.Table) -> int:
            ids = set(conn.execute(sa.select(table.c.item_id)).scalars())
            return len(ids - set(by_id))

        missing = {
            name: len(set(by_id) - set(conn.execute(sa.select(table.c.item_id)).scalars()))
            for name, table in (("revisions", item_revisions), ("signatures", item_signatures))
        }
        return {
            "items": sorted((r.canonical_url, r.status, r.content_hash) for r in rows),
            "duplicates": len(rows) - len(set(by_id.values())),
            "orphans": sum(
                orphans(t) for t in (item_revisions, item_signatures, item_bands, mentions)
            ),
            "missing": missing,
        }


def test_killed_rounds_lose_nothing_and_store_nothing_twice(
    templates: Any, backend: str, sites: ReplayServer
) -> None:
    clean = templates.clone(backend, "kb")
    _add_sources(clean, sites)
    started = time.monotonic()
    assert _poll(clean).wait(timeout=300) == 0
    duration = time.monotonic() - started
    expected = _state(clean)
    assert len(expected["items"]) == len(SITES) * ARTICLES
    assert expected["duplicates"] == 0
    clean.dispose()

    rng = random.Random(20241128)
    killed_mid_round = 0
    for _ in range(KILLS):
        db = templates.clone(backend, "kb")
        _add_sources(db, sites)
        process = _poll(db)
        time.sleep(rng.uniform(0, duration))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed_mid_round += 1
        process.wait(timeout=60)
        assert _poll(db).wait(timeout=300) == 0
        got = _state(db)
        assert got == expected
        db.dispose()
    assert killed_mid_round >= KILLS // 2  # most kills landed inside a round

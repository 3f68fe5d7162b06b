"""The web app served by a real uvicorn on 127.0.0.1, over a test database of each backend."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from playwright.sync_api import Browser, sync_playwright
from seed import Seeded, seed_site
from websupport import CHROMIUM, CHROMIUM_ARGS, LiveServer

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.web.app import create_app


@pytest.fixture
def site(db: Database) -> Iterator[tuple[str, Database, Seeded]]:
    """A running site on a KB database with a few gathered items, some of them published."""
    seeded = seed_site(db)
    app = create_app(db, Settings(database_url=db.url))
    with LiveServer(app) as server:
        yield server.url, db, seeded


@pytest.fixture
def client(site: tuple[str, Database, Seeded]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site[0], follow_redirects=False, timeout=20) as c:
        yield c


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium driven by Playwright; a missing browser fails the tests, never skips."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

"""The web app served by a real uvicorn on 127.0.0.1, over a test database of each backend."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright
from seed import Seeded, seed_site

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.newsroom.policy import Actor
from tribune.newsroom.users import add_user
from tribune.web.app import create_app

CHROMIUM = "/usr/bin/chromium"  # Debian's; a browser is never downloaded
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery"
CLI = Actor(name="tests", role="admin", via="cli")


class LiveServer:
    """uvicorn in a thread, on a free loopback port."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


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


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the form has no CSRF token"
    return found.group(1)


def login(client: httpx.Client, db: Database, role: str = "editor", name: str = "") -> str:
    """Add a user of *role* and log the client in; returns the session's CSRF token."""
    name = name or f"{role}-user"
    add_user(db, name, PASSWORD, role, CLI)
    form = client.get("/editor/login")
    response = client.post(
        "/editor/login",
        data={"name": name, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/editor/inbox").text)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium driven by Playwright; a missing browser fails the tests, never skips."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()

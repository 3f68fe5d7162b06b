"""Helpers for the web tests: a live server on loopback, logins, the browser's settings."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import httpx2 as httpx
import uvicorn

from tribune.db.engine import Database
from tribune.newsroom.policy import Actor
from tribune.newsroom.users import add_user

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

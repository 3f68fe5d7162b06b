"""Every newsroom route, found in the app itself, refuses anonymous visitors, refuses changes by
viewers and changes without the session's CSRF token; logins are throttled, and the throttle and
the sessions hold across worker processes."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from fastapi import routing
from fastapi.routing import APIRoute
from seed import Seeded, add_item, publish_directly
from websupport import PASSWORD, csrf_of, login

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import api_tokens, audit_log, items, rate_limits, sessions, site_state, users
from tribune.newsroom.items import set_featured
from tribune.newsroom.policy import Actor
from tribune.newsroom.users import add_user
from tribune.understand import kind_stage
from tribune.web.app import create_app
from tribune.web.editor import auth
from tribune.web.editor.auth import COOKIE, LOGIN_LIMIT, LOGIN_WINDOW_S
from tribune.web.editor.inbox import ACTIONS

Site = tuple[str, Database, Seeded]
CLI = Actor(name="tests", role="admin", via="cli")

# The routes under /editor today: the enumeration must find at least these.
KNOWN_ROUTES = {
    ("GET", "/editor"),
    ("GET", "/editor/inbox"),
    ("GET", "/editor/items/{public_id}"),
    ("POST", "/editor/items/{public_id}"),
    ("POST", "/editor/items/{public_id}/{action}"),
    ("GET", "/editor/audit"),
    ("POST", "/editor/logout"),
}
OPEN_ROUTES = {"/editor/login"}  # the one page an anonymous visitor may use
EVERY_USER_MAY = {("POST", "/editor/logout")}  # a viewer may log out
# Values for the form fields of the routes, so that a request is refused for who sends it and
# not for what it holds; a field not named here gets "1".
FORM_VALUES = {
    "title": "A headline nobody should be able to set",
    "lead": "A lead nobody should be able to set.",
    "body_html": "<p>A body nobody should be able to set.</p>",
    "kind": "news",
    "correction": "A correction nobody should be able to set.",
    "back": "/editor/inbox",
}
# The state an item needs for each action to succeed (so that a refusal is a real refusal).
STATE_FOR_ACTION = {
    "publish": "inbox",
    "reject": "inbox",
    "unpublish": "published",
    "withdraw": "published",
    "feature": "published",
    "unfeature": "featured",
    "accept-kind": "guessed",  # an inbox item the kinds stage has guessed
    "reject-kind": "guessed",
}


@dataclass(frozen=True)
class Endpoint:
    path: str  # the path template, with any router prefix
    methods: frozenset[str]
    fields: frozenset[str]  # the form fields it reads


def editor_routes(db: Database) -> list[Endpoint]:
    """Every route of the app under /editor, except the login page."""
    app = create_app(db, Settings(database_url=db.url))
    # FastAPI includes routers lazily: walk the included routers down to their routes
    contexts: Iterable[Any] = (
        routing.iter_route_contexts(app.routes)
        if hasattr(routing, "iter_route_contexts")
        else app.routes
    )
    out = []
    for route in contexts:
        original = getattr(route, "original_route", route)
        path = route.path
        if not isinstance(original, APIRoute) or path in OPEN_ROUTES:
            continue
        if path == "/editor" or path.startswith("/editor/"):
            fields = frozenset(f.alias for f in route.dependant.body_params)
            out.append(Endpoint(path, frozenset(route.methods), fields))
    return out


@dataclass(frozen=True)
class Call:
    """One request to make: a method on a route, with its path parameters filled in."""

    method: str
    route: str  # the path template
    url: str
    form: dict[str, str]  # every form field of the route, csrf_token left out

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


def _fresh_item(db: Database, state: str, n: int) -> str:
    title = f"Target item {n} in state {state}"
    if state == "guessed":
        title = f"Joint statement {n} of communist parties"
    public_id = add_item(
        db,
        None,
        title,
        f"Item {n} exists so that a request can try to change it. It stays as it is.",
    )
    if state == "guessed":
        kind_stage.run(db, pending=True)
    if state in ("published", "featured"):
        publish_directly(db, public_id)
    if state == "featured":
        set_featured(db, CLI, public_id, True)
    return public_id


def calls(db: Database, *, fresh_items: bool = False) -> list[Call]:
    """Every (method, route) under /editor, path parameters filled: ``{public_id}`` with an item
    (by default one of each state, shared; with *fresh_items*, a new one per call), ``{action}``
    with each action. Mutating calls come last, logout the very last."""
    shared: dict[str, str] = {}
    counter = iter(range(1_000_000))

    def item(state: str) -> str:
        if fresh_items:
            return _fresh_item(db, state, next(counter))
        if state not in shared:
            shared[state] = _fresh_item(db, state, next(counter))
        return shared[state]

    out: list[Call] = []
    for route in editor_routes(db):
        params = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        unknown = set(params) - {"public_id", "action"}
        assert not unknown, f"{route.path}: give the test a value for {unknown}"
        form = {f: FORM_VALUES.get(f, "1") for f in sorted(route.fields) if f != "csrf_token"}
        for method in sorted(route.methods):
            for action in sorted(ACTIONS) if "action" in params else [""]:
                state = STATE_FOR_ACTION.get(action, "published")
                url = route.path.replace("{action}", action)
                if "public_id" in params:
                    url = url.replace("{public_id}", item(state))
                out.append(Call(method, route.path, url, form))
    out.sort(key=lambda c: (c.method != "GET", c.route == "/editor/logout"))
    return out


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """What a refused request must not change."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.read() as conn:
        for table in (items, audit_log, sessions, users, api_tokens, site_state):
            query = sa.select(table).order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in conn.execute(query)]
        out["item_search"] = [
            tuple(conn.execute(sa.text("SELECT count(*) FROM item_search")).one())
        ]
    return out


def _send(client: httpx.Client, call: Call, data: dict[str, str] | None) -> httpx.Response:
    if call.method == "GET":
        return client.get(call.url)
    return client.request(call.method, call.url, data=data)


def test_the_enumeration_finds_every_known_route(site: Site) -> None:
    found = {(m, r.path) for r in editor_routes(site[1]) for m in r.methods}
    assert found >= KNOWN_ROUTES, KNOWN_ROUTES - found
    assert {c.url.rsplit("/", 1)[1] for c in calls(site[1]) if "{action}" in c.route} == set(
        ACTIONS
    )
    assert set(ACTIONS) <= set(STATE_FOR_ACTION), "say which state a new action starts from"
    # every mutating route takes the session's CSRF token
    for route in editor_routes(site[1]):
        if route.methods - {"GET", "HEAD"}:
            assert "csrf_token" in route.fields, f"{route.path} takes no csrf_token"


def test_anonymous_visitors_are_sent_to_log_in_or_refused(client: httpx.Client, site: Site) -> None:
    db = site[1]
    todo = calls(db)
    assert len(todo) >= len(KNOWN_ROUTES) + len(ACTIONS) - 1
    before = snapshot(db)
    for call in todo:
        if call.method == "GET":
            response = _send(client, call, None)
            assert response.status_code == 303, call
            location = urlsplit(response.headers["location"])
            assert location.path == "/editor/login", call
            assert parse_qs(location.query)["next"] == [call.url], call
        else:
            for data in ({}, {**call.form, "csrf_token": "guess"}):
                response = _send(client, call, data)
                assert response.status_code == 403, (str(call), data, response.text[:300])
                assert "Log in first." in response.text
    assert snapshot(db) == before


def test_a_viewer_may_read_but_not_change_anything(client: httpx.Client, site: Site) -> None:
    db = site[1]
    todo = calls(db)
    csrf = login(client, db, "viewer")
    before = snapshot(db)
    for call in todo:
        if call.method == "GET":
            response = _send(client, call, None)
            assert response.status_code not in (401, 403), (str(call), response.text[:300])
            assert response.status_code < 500, call
            if (call.method, call.route) in KNOWN_ROUTES:
                assert response.status_code in (200, 303), call
            if response.status_code == 303:
                assert response.headers["location"].startswith("/editor/"), call
                assert not response.headers["location"].startswith("/editor/login"), call
            continue
        if (call.method, call.route) in EVERY_USER_MAY:
            continue
        for data in ({**call.form, "csrf_token": csrf}, {}):
            response = _send(client, call, data)
            assert response.status_code == 403, (str(call), data, response.text[:300])
            assert "viewer-user may not" in response.text
    assert snapshot(db) == before
    # ... and may log out
    response = client.post("/editor/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert client.get("/editor/inbox").status_code == 303


def test_changes_without_the_sessions_csrf_token_are_refused(
    client: httpx.Client, site: Site
) -> None:
    db = site[1]
    todo = [c for c in calls(db, fresh_items=True) if c.method != "GET"]
    assert {(c.method, c.route) for c in todo} >= {k for k in KNOWN_ROUTES if k[0] != "GET"}
    csrf = login(client, db, "admin")
    with httpx.Client(base_url=site[0], follow_redirects=False, timeout=20) as other:
        other_csrf = login(other, db, "admin", "another-admin")
    assert other_csrf != csrf
    for call in todo:
        before = snapshot(db)
        for token in (None, "", "x" * len(csrf), csrf[:-1], csrf + "x", other_csrf):
            data = dict(call.form) | ({} if token is None else {"csrf_token": token})
            response = _send(client, call, data)
            assert response.status_code == 403, (str(call), token, response.text[:300])
            assert "security token" in response.text
        assert snapshot(db) == before, f"{call} changed the database without a CSRF token"
        if (call.method, call.route) not in KNOWN_ROUTES:
            continue  # a newer route: its valid form is not known here
        # the same request with the right token goes through: the refusals were real
        response = _send(client, call, {**call.form, "csrf_token": csrf})
        assert response.status_code == 303, (str(call), response.text[:300])
        assert snapshot(db) != before, f"{call} with the token changed nothing"


def _login_form(client: httpx.Client) -> str:
    form = client.get("/editor/login")
    assert form.status_code == 200
    return csrf_of(form.text)


def _try_login(client: httpx.Client, name: str, password: str) -> httpx.Response:
    return client.post(
        "/editor/login",
        data={"name": name, "password": password, "csrf_token": _login_form(client)},
    )


def _count_sessions(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sessions)).scalar() or 0)


def test_the_login_form_needs_its_csrf_token(client: httpx.Client, site: Site) -> None:
    db = site[1]
    add_user(db, "ana", PASSWORD, "admin", CLI)
    token = _login_form(client)  # the login cookie is set now
    for data in (
        {"name": "ana", "password": PASSWORD},
        {"name": "ana", "password": PASSWORD, "csrf_token": ""},
        {"name": "ana", "password": PASSWORD, "csrf_token": token + "x"},
        {"name": "ana", "password": PASSWORD, "csrf_token": "x" * len(token)},
    ):
        response = client.post("/editor/login", data=data)
        assert response.status_code == 403, data
        assert COOKIE not in client.cookies
    # the form's token without the cookie it is paired with
    with httpx.Client(base_url=site[0], follow_redirects=False, timeout=20) as fresh:
        response = fresh.post(
            "/editor/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 403
    assert _count_sessions(db) == 0
    assert _try_login(client, "ana", PASSWORD).status_code == 303  # the control


def test_logins_are_throttled_per_name(client: httpx.Client, site: Site) -> None:
    db = site[1]
    add_user(db, "ana", PASSWORD, "admin", CLI)
    add_user(db, "bea", PASSWORD, "editor", CLI)
    for _ in range(LOGIN_LIMIT):
        assert _try_login(client, "ana", "wrong password").status_code == 401
    blocked = _try_login(client, "ana", PASSWORD)  # even the right password
    assert blocked.status_code == 429
    wait = int(blocked.headers["retry-after"])
    assert 0 < wait <= LOGIN_WINDOW_S
    assert "Too many attempts" in blocked.text
    assert COOKIE not in client.cookies
    assert _try_login(client, " ANA ", PASSWORD).status_code == 429  # the same name
    assert _count_sessions(db) == 0
    # another name is not blocked, and a success clears that name's failures
    for _ in range(LOGIN_LIMIT - 1):
        assert _try_login(client, "bea", "wrong password").status_code == 401
    assert _try_login(client, "bea", PASSWORD).status_code == 303
    for _ in range(LOGIN_LIMIT):
        assert _try_login(client, "bea", "wrong password").status_code == 401
    assert _try_login(client, "bea", "wrong password").status_code == 429


def test_logins_are_throttled_per_address(
    client: httpx.Client, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert LOGIN_LIMIT < auth.LOGIN_IP_LIMIT <= 100
    # the server runs in this process: a small limit saves dozens of password hashes
    monkeypatch.setattr(auth, "LOGIN_IP_LIMIT", 4)
    add_user(site[1], "ana", PASSWORD, "admin", CLI)
    for n in range(4):
        assert _try_login(client, f"guess-{n}", "wrong password").status_code == 401
    blocked = _try_login(client, "ana", PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0


# -- two worker processes on one database ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def worker(database_url: str, log: Path) -> Iterator[str]:
    """``uvicorn --factory tribune.web.app:app_from_environment`` in a process of its own;
    yields its base URL once it answers, and stops it at the end."""
    env = os.environ | {"TRIBUNE_DATABASE_URL": database_url}
    for _attempt in range(3):
        port = _free_port()
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory",
                 "tribune.web.app:app_from_environment", "--host", "127.0.0.1",
                 "--port", str(port), "--log-level", "warning"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        try:
            ready, deadline = False, time.monotonic() + 30
            while not ready and process.poll() is None and time.monotonic() < deadline:
                try:
                    answer = httpx.get(f"{url}/editor/login", timeout=2)
                    ready = answer.status_code == 200 and "Newsroom login" in answer.text
                except httpx.TransportError:
                    time.sleep(0.1)
            if not ready or process.poll() is not None:
                if process.poll() is not None and "in use" in log.read_text():
                    continue  # another process took the port: try another
                pytest.fail(f"the worker did not start:\n{log.read_text()}")
            yield url
            return
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
    pytest.fail("no free port for the worker")


@pytest.mark.slow
def test_the_throttle_and_the_sessions_hold_across_worker_processes(
    db: Database, tmp_path: Path
) -> None:
    add_user(db, "ana", PASSWORD, "admin", CLI)
    add_user(db, "bea", PASSWORD, "editor", CLI)
    with (
        worker(db.url, tmp_path / "a.log") as url_a,
        worker(db.url, tmp_path / "b.log") as url_b,
        httpx.Client(base_url=url_a, follow_redirects=False, timeout=20) as a,
        httpx.Client(base_url=url_b, follow_redirects=False, timeout=20) as b,
    ):
        # wrong passwords, alternating between the workers: the limit holds in total
        for n in range(LOGIN_LIMIT):
            assert _try_login((a, b)[n % 2], "ana", "wrong password").status_code == 401
        with db.read() as conn:
            count = conn.execute(
                sa.select(rate_limits.c.count).where(rate_limits.c.key == "login:ana")
            ).scalar()
        assert count == LOGIN_LIMIT
        for client in (b, a):
            blocked = _try_login(client, "ana", PASSWORD)
            assert blocked.status_code == 429, client.base_url
            assert int(blocked.headers["retry-after"]) > 0
        # a session started through one worker is known to the other
        assert _try_login(a, "bea", PASSWORD).status_code == 303
        token = a.cookies[COOKIE]
        with httpx.Client(
            base_url=url_b, cookies={COOKIE: token}, follow_redirects=False, timeout=20
        ) as b_session:
            inbox = b_session.get("/editor/inbox")
            assert inbox.status_code == 200
            assert "Log out bea" in inbox.text
            # ... and logging out through that one ends it for both
            assert (
                b_session.post(
                    "/editor/logout", data={"csrf_token": csrf_of(inbox.text)}
                ).status_code
                == 303
            )
        assert a.get("/editor/inbox").status_code == 303
        assert _count_sessions(db) == 0

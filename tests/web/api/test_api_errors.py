"""Errors of the JSON API are RFC 9457 problems with CORS, never HTML or a stack trace: unknown
routes and methods, invalid parameters and bodies, stale cursors, the rate limit."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest
from apikit import Api, assert_problem, prepare
from seed import Seeded

from tribune.db.engine import Database
from tribune.web.api.cors import ApiCors

LIMIT = 4


@pytest.fixture
def api(site: tuple[str, Database, Seeded]) -> Api:
    return prepare(site)


def test_unknown_routes_and_methods(api: Api) -> None:
    with api.client() as client:
        for path in ("/api/v1/nothing", "/api/v2/items", "/api/", "/api/v1/items/x/y/z"):
            assert_problem(client.get(path), 404)
        not_allowed = assert_problem(client.delete("/api/v1/items"), 405)
        assert "Method Not Allowed" in not_allowed["title"]
        assert_problem(client.put(f"/api/v1/items/{api.ids['tkp-izmir']}", json={}), 405)
        # the reader site keeps its HTML error pages
        page = client.get("/no-such-page")
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")


def test_invalid_parameters(api: Api) -> None:
    with api.client() as client:
        for path, params in [
            ("/api/v1/items", {"limit": "1000"}),
            ("/api/v1/items", {"limit": "0"}),
            ("/api/v1/items", {"limit": "many"}),
            ("/api/v1/items", {"since": "yesterday"}),
            ("/api/v1/items", {"until": "2026-02-30"}),
            ("/api/v1/items", {"kind": "poem"}),
            ("/api/v1/items", {"status": "lost"}),
            ("/api/v1/items", {"org": "a\x00b"}),
            ("/api/v1/organizations", {"network_member": "maybe"}),
            ("/api/v1/search", {}),
        ]:
            problem = assert_problem(client.get(path, params=params), 422)
            assert problem.get("errors") or "NUL" in problem["detail"], (path, params)
        for path in ("/api/v1/items", "/api/v1/organizations", "/api/v1/stories", "/api/v1/events"):
            for cursor in ("not-a-cursor", "eyJ4IjoxfQ", "WyJpdGVtcyIsIngiLDFd", "☃"):
                problem = assert_problem(client.get(path, params={"cursor": cursor}), 400)
                assert problem["detail"].startswith("cursor:")
        # a cursor of one list is not one of another
        first = client.get("/api/v1/items", params={"limit": 1}).json()["next_cursor"]
        assert_problem(client.get("/api/v1/stories", params={"cursor": first}), 400)
        assert_problem(client.get("/api/v1/organizations", params={"cursor": first}), 400)


@pytest.fixture
def tight(backend: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Api:
    """A site (on *backend*) whose API lets a client make LIMIT requests a minute: the setting,
    read by the ``Settings`` the site fixture makes, set before the site is."""
    monkeypatch.setenv("TRIBUNE_API_RATE_LIMIT_PER_MINUTE", str(LIMIT))
    return prepare(request.getfixturevalue("site"))


def test_rate_limit_answers_429_with_retry_after(tight: Api) -> None:
    with tight.client() as anonymous:
        for _ in range(LIMIT):
            assert anonymous.get("/api/v1/items", params={"limit": 1}).status_code == 200
        refused = anonymous.get("/api/v1/items")
        problem = assert_problem(refused, 429)
        assert f"{LIMIT} requests a minute" in problem["detail"]
        wait = int(refused.headers["retry-after"])
        assert 0 < wait <= 60
        assert_problem(anonymous.post("/api/v1/items", json={}), 429)  # writes count too
        # the reader site is not counted
        assert anonymous.get("/").status_code == 200
    # a token holder is counted apart from the anonymous clients of its address
    with tight.client(tight.tokens["read"]) as holder:
        for _ in range(LIMIT):
            assert holder.get("/api/v1/stories").status_code == 200
        assert_problem(holder.get("/api/v1/stories"), 429)
    with tight.client(tight.tokens["all"]) as other:
        assert other.get("/api/v1/stories").status_code == 200


def test_an_unexpected_error_is_a_problem_with_cors(caplog: pytest.LogCaptureFixture) -> None:
    """What no handler caught is answered as a 500 problem by the CORS middleware itself."""

    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("boom")

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {"type": "http", "method": "GET", "path": "/api/v1/items", "headers": []}
    with caplog.at_level(logging.ERROR, logger="tribune.web"):
        asyncio.run(ApiCors(broken)(scope, receive, send))
    start, body = sent[0], sent[1]
    assert start["status"] == 500
    headers = dict(start["headers"])
    assert headers[b"access-control-allow-origin"] == b"*"
    assert headers[b"content-type"] == b"application/problem+json"
    problem = json.loads(body["body"])
    assert problem["status"] == 500
    assert "boom" not in body["body"].decode()
    assert "unhandled error" in caplog.text

"""robots.txt: honoured, cached per origin, lenient on 4xx, strict on 5xx."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from httpserver import Reply, TestServer

from tribune.config import Settings
from tribune.ingest.errors import DisallowedByRobots
from tribune.ingest.fetch import Fetcher
from tribune.ingest.robots import RobotsCache

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def _settings(**kw: Any) -> Settings:
    return Settings(**{"allow_private_networks": True, "user_agent": "Tribune/0.1 (test)", **kw})


def _fetch_all(fetcher: Fetcher, *urls: str) -> list[str]:
    async def go() -> list[str]:
        out = []
        async with fetcher:
            for url in urls:
                try:
                    out.append((await fetcher.fetch(url)).text)
                except DisallowedByRobots:
                    out.append("disallowed")
        return out

    return asyncio.run(go())


def test_disallow_is_respected_and_robots_is_fetched_once(server: TestServer) -> None:
    server.route("/robots.txt", Reply(body=ROBOTS, headers={"Content-Type": "text/plain"}))
    server.route("/news/1", Reply(body=b"one"))
    server.route("/news/2", Reply(body=b"two"))
    got = _fetch_all(
        Fetcher(_settings()),
        server.url("/news/1"),
        server.url("/news/2"),
        server.url("/private/x"),
    )
    assert got == ["one", "two", "disallowed"]
    assert server.paths() == ["/robots.txt", "/news/1", "/news/2"]


def test_a_missing_robots_txt_allows_everything(server: TestServer) -> None:
    server.route("/private/x", Reply(body=b"fine"))
    assert _fetch_all(Fetcher(_settings()), server.url("/private/x")) == ["fine"]


def test_a_failing_robots_txt_disallows_for_now(server: TestServer) -> None:
    server.route("/robots.txt", Reply(503))
    server.route("/news/1", Reply(body=b"one"))
    assert _fetch_all(Fetcher(_settings()), server.url("/news/1")) == ["disallowed"]
    assert server.paths() == ["/robots.txt"]


def test_the_cache_expires_after_a_day(server: TestServer) -> None:
    now = [1000.0]
    cache = RobotsCache("Tribune/1", clock=lambda: now[0])
    asked: list[str] = []

    async def get(url: str) -> tuple[int, str]:
        asked.append(url)
        return 200, "User-agent: *\nDisallow: /x\n"

    async def go() -> list[bool]:
        url = server.url("/x")
        first = await cache.allowed(url, get)
        now[0] += 3600
        second = await cache.allowed(server.url("/y"), get)
        now[0] += 86_400
        third = await cache.allowed(url, get)
        return [first, second, third]

    assert asyncio.run(go()) == [False, True, False]
    assert len(asked) == 2


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (500, False)])
def test_status_rules(status: int, allowed: bool) -> None:
    async def get(url: str) -> tuple[int, str]:
        return status, ""

    cache = RobotsCache("Tribune/1")
    assert asyncio.run(cache.allowed("http://example.org/a", get)) is allowed


def test_our_own_group_replaces_the_star_group() -> None:
    text = "User-agent: *\nDisallow: /\n\nUser-agent: Tribune\nDisallow: /drafts/\n"

    async def get(url: str) -> tuple[int, str]:
        return 200, text

    async def go() -> tuple[bool, bool]:
        cache = RobotsCache("Tribune/0.1 (newswire)")
        return (
            await cache.allowed("http://example.org/news", get),
            await cache.allowed("http://example.org/drafts/1", get),
        )

    assert asyncio.run(go()) == (True, False)

"""Fetching over real loopback HTTP: conditional GET, statuses, limits, redirects, politeness."""

from __future__ import annotations

import asyncio
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from httpserver import Reply, Seen, TestServer

from tribune.config import Settings
from tribune.ingest.errors import (
    FetchTimeout,
    HTTPStatusError,
    TooLarge,
    TooManyRedirects,
)
from tribune.ingest.fetch import Fetcher, FetchResult, fetch, parse_retry_after


def _settings(**kw: Any) -> Settings:
    return Settings(**{"allow_private_networks": True, **kw})


def _get(url: str, settings: Settings | None = None, **kw: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings or _settings(), respect_robots=False) as f:
            return await f.fetch(url, **kw)

    return asyncio.run(go())


def test_a_page_is_fetched_with_our_user_agent(server: TestServer) -> None:
    server.route("/", Reply(body=b"<p>hi</p>", headers={"Content-Type": "text/html"}))
    result = _get(server.url("/"), _settings(user_agent="TribuneTest/1"))
    assert (result.status, result.text, result.not_modified) == (200, "<p>hi</p>", False)
    assert server.requests[0].headers["user-agent"] == "TribuneTest/1"
    assert result.elapsed > 0


def test_conditional_get_answers_not_modified(server: TestServer) -> None:
    def route(seen: Seen) -> Reply:
        if seen.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(body=b"full", headers={"ETag": '"v1"'})

    server.route("/", route)
    first = _get(server.url("/"))
    assert (first.etag, first.body) == ('"v1"', b"full")
    again = _get(server.url("/"), etag='"v1"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT")
    assert again.not_modified
    assert again.status == 304
    assert again.body == b""
    assert again.text == ""
    assert again.etag == '"v1"'
    assert again.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert server.requests[1].headers["if-modified-since"] == "Wed, 01 Jan 2025 00:00:00 GMT"


def test_retry_after_in_seconds_and_as_a_date(server: TestServer) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    server.route("/busy", Reply(429, headers={"Retry-After": "30"}))
    server.route("/down", Reply(503, headers={"Retry-After": later}))
    with pytest.raises(HTTPStatusError) as busy:
        _get(server.url("/busy"))
    assert busy.value.status == 429
    assert busy.value.retry_after == 30.0
    with pytest.raises(HTTPStatusError) as down:
        _get(server.url("/down"))
    assert down.value.status == 503
    assert down.value.retry_after is not None
    assert 100 < down.value.retry_after <= 120


def test_parse_retry_after_edge_cases() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 00:01:00 GMT", now) == 60.0
    assert parse_retry_after("Tue, 31 Dec 2024 00:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None) is None


def test_a_server_error_is_a_typed_error_naming_the_url(server: TestServer) -> None:
    server.route("/", Reply(500, body=b"oops"))
    with pytest.raises(HTTPStatusError, match=r"127\.0\.0\.1.*HTTP 500") as err:
        _get(server.url("/"))
    assert err.value.retry_after is None


def _repeat(chunk: bytes, total: int) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        for _ in range(total // len(chunk)):
            yield chunk

    return chunks


def test_a_huge_body_stops_at_the_limit(server: TestServer) -> None:
    server.route("/big", Reply(chunks=_repeat(b"x" * 65536, 50_000_000)))
    with pytest.raises(TooLarge, match="limit"):
        _get(server.url("/big"), _settings(fetch_max_bytes=1_000_000))


def test_a_declared_huge_body_is_refused_before_reading(server: TestServer) -> None:
    server.route("/big", Reply(body=b"x" * 2_000_000))
    with pytest.raises(TooLarge, match="Content-Length"):
        _get(server.url("/big"), _settings(fetch_max_bytes=1_000_000))


def _gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1_000_000)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    return b"".join([*parts, packer.flush()])


def test_a_gzip_bomb_is_stopped_early_with_bounded_memory(server: TestServer) -> None:
    bomb = _gzip_bomb(50_000_000)
    assert len(bomb) < 100_000
    server.route("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="decompressed"):
            _get(server.url("/bomb"), _settings(fetch_max_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, peak  # the bomb inflates to 50 MB


def test_gzip_and_deflate_bodies_are_inflated(server: TestServer) -> None:
    text = b"<p>" + b"statement " * 1000 + b"</p>"
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    server.route("/gz", Reply(body=_gzip(text), headers={"Content-Encoding": "gzip"}))
    server.route("/zl", Reply(body=zlib.compress(text), headers={"Content-Encoding": "deflate"}))
    server.route(
        "/raw",
        Reply(
            body=raw_deflate.compress(text) + raw_deflate.flush(),
            headers={"Content-Encoding": "deflate"},
        ),
    )
    for path in ("/gz", "/zl", "/raw"):
        assert _get(server.url(path)).body == text, path


def _gzip(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


def test_redirects_are_followed_and_counted(server: TestServer) -> None:
    server.route("/a", Reply(301, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": server.url("/c")}))
    server.route("/c", Reply(body=b"end"))
    result = _get(server.url("/a"))
    assert result.url == server.url("/c")
    assert result.text == "end"
    with pytest.raises(TooManyRedirects, match="more than 1 redirects"):
        _get(server.url("/a"), _settings(fetch_max_redirects=1))


def test_a_redirect_loop_is_too_many_redirects(server: TestServer) -> None:
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(302, headers={"Location": "/a"}))
    with pytest.raises(TooManyRedirects, match="loop"):
        _get(server.url("/a"))


def test_a_slow_response_times_out(server: TestServer) -> None:
    server.route("/slow", Reply(body=b"late", delay=2.0))
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match="slow"):
        _get(server.url("/slow"), _settings(fetch_timeout_s=0.3))
    assert time.monotonic() - started < 1.5


def test_the_module_function_uses_a_given_fetcher(server: TestServer) -> None:
    server.route("/", Reply(body=b"ok"))

    async def go() -> FetchResult:
        async with Fetcher(_settings(), respect_robots=False) as f:
            return await fetch(server.url("/"), client=f)

    assert asyncio.run(go()).text == "ok"


def test_per_host_limit_serialises_one_host_and_not_two(
    make_server: Callable[[], TestServer],
) -> None:
    one, two = make_server(), make_server()
    overall = {"active": 0, "max": 0}
    lock = threading.Lock()

    def enter() -> None:
        with lock:
            overall["active"] += 1
            overall["max"] = max(overall["max"], overall["active"])

    def leave() -> None:
        with lock:
            overall["active"] -= 1

    for srv in (one, two):
        srv.route("/", Reply(body=b"ok", delay=0.15))
        srv.on_enter, srv.on_exit = enter, leave

    async def go() -> None:
        async with Fetcher(_settings(fetch_per_host=1), respect_robots=False) as f:
            urls = [one.url("/")] * 3 + [two.url("/")] * 3
            await asyncio.gather(*(f.fetch(url) for url in urls))

    asyncio.run(go())
    assert len(one.requests) == len(two.requests) == 3
    assert one.max_active == 1
    assert two.max_active == 1
    assert overall["max"] == 2  # the two ports ran in parallel


def test_waiting_for_a_turn_does_not_count_against_the_time_limit(server: TestServer) -> None:
    # four requests to one host, one at a time, each 0.4 s: the last waits 1.2 s for its turn,
    # longer than the 1 s limit, yet none of them is slow
    server.route("/slow", Reply(body=b"<p>ok</p>", delay=0.4))

    async def go() -> list[FetchResult]:
        settings = _settings(fetch_timeout_s=1.0, fetch_per_host=1)
        async with Fetcher(settings, respect_robots=False) as f:
            return list(await asyncio.gather(*(f.fetch(server.url("/slow")) for _ in range(4))))

    results = asyncio.run(go())
    assert [r.status for r in results] == [200] * 4
    assert all(r.elapsed < 1.0 for r in results)

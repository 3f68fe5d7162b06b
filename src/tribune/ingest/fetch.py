"""Fetching one URL politely and safely: the outbound HTTP of the gathering stage.

:class:`Fetcher` holds one ``httpx2.AsyncClient`` over :class:`~tribune.ingest.netguard.
GuardedTransport`, so every request, the first and each redirect, is checked and pinned to its
checked address. Redirects are followed here, not by httpx2, so each hop is counted, checked
against robots.txt and held to the per-host limit.

Bodies are decompressed here too: httpx2 inflates a whole network read at once, and 64 KB of
gzipped zeros inflate to 64 MB. Reading raw bytes and inflating in 64 KB steps keeps memory bounded
by the size cap, which counts decompressed bytes.

Every network or protocol problem is raised as a :class:`~tribune.ingest.errors.FetchError`
subclass; 4xx/5xx answers raise :class:`~tribune.ingest.errors.HTTPStatusError`, whose ``result``
carries the status, headers and ``retry_after``.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx2

from tribune.config import Settings, get_settings
from tribune.ingest.encoding import decode
from tribune.ingest.errors import (
    BadContent,
    BlockedAddress,
    ConnectFailed,
    DisallowedByRobots,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    TooLarge,
    TooManyRedirects,
)
from tribune.ingest.netguard import GuardedTransport, check_scheme
from tribune.ingest.robots import RobotsCache, RobotsMemory

__all__ = ["FetchError", "FetchResult", "Fetcher", "fetch", "parse_retry_after"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_STEP = 64 * 1024
_ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 lets crawlers stop at 500 KiB


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a fetch brought back. On 304 ``not_modified`` is true and body and text are empty."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    text: str
    encoding: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    retry_after: float | None
    elapsed: float


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per Retry-After value (delta-seconds or HTTP-date); ``None`` if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class _Inflater:
    """Undoes a Content-Encoding chain in bounded steps (gzip, x-gzip, deflate, identity)."""

    def __init__(self, url: str, content_encoding: str) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
        self.url = url
        self.stages: list[zlib._Decompress] = []
        for coding in reversed(codings):  # the last coding applied is undone first
            if coding in ("gzip", "x-gzip"):
                self.stages.append(zlib.decompressobj(16 + zlib.MAX_WBITS))
            elif coding == "deflate":
                self.stages.append(zlib.decompressobj())
            elif coding != "identity":
                raise BadContent(url, f"unsupported Content-Encoding {coding!r}")
        # "deflate" is often sent as raw deflate without the zlib wrapper; may still switch?
        self._may_go_raw = [c == "deflate" for c in reversed(codings) if c != "identity"]

    def feed(self, data: bytes) -> Iterator[bytes]:
        pieces: Iterator[bytes] = iter((data,))
        for i in range(len(self.stages)):
            pieces = self._stage(i, pieces)
        try:
            yield from pieces
        except zlib.error as exc:
            raise BadContent(self.url, f"corrupt compressed body ({exc})") from exc

    def _stage(self, i: int, pieces: Iterator[bytes]) -> Iterator[bytes]:
        for piece in pieces:
            data = piece
            while True:
                stage = self.stages[i]
                if stage.eof:  # trailing garbage or a further gzip member: ignore
                    break
                try:
                    out = stage.decompress(data, _STEP)
                except zlib.error:
                    if not self._may_go_raw[i]:
                        raise
                    self.stages[i] = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._may_go_raw[i] = False
                    continue
                self._may_go_raw[i] = False
                data = stage.unconsumed_tail
                if out:
                    yield out
                if not data and len(out) < _STEP:
                    break


class Fetcher:
    """One HTTP client with the SSRF guard, limits, robots.txt and per-host politeness.

    Use as ``async with Fetcher() as fetcher: await fetcher.fetch(url)``. The semaphores belong to
    the event loop where the fetcher is first used.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        respect_robots: bool = True,
        robots_memory: RobotsMemory | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        s = self.settings
        self.client = httpx2.AsyncClient(
            transport=GuardedTransport(
                allow_private=s.allow_private_networks,
                # idle connections are kept for the next request to their host; the pool looks
                # through all its connections at every request, so it stays small
                limits=httpx2.Limits(
                    max_connections=4 * s.fetch_concurrency,
                    max_keepalive_connections=2 * s.fetch_concurrency,
                ),
            ),
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=s.fetch_timeout_s,
            follow_redirects=False,
            trust_env=False,
        )
        self.robots = RobotsCache(s.user_agent, entries=robots_memory) if respect_robots else None
        self._all = asyncio.Semaphore(s.fetch_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET ``url``, conditionally when ``etag``/``last_modified`` are given; follows redirects.

        Returns on 2xx and 304; raises a :class:`FetchError` subclass for everything else.
        """
        headers = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = await self._follow(url, headers, check_robots=True)
        if result.not_modified:
            etag = result.etag or etag
            last_modified = result.last_modified or last_modified
            return replace(result, etag=etag, last_modified=last_modified)
        return result

    async def _robots_txt(self, url: str) -> tuple[int, str]:
        try:
            result = await self._follow(url, {}, check_robots=False)
        except HTTPStatusError as exc:
            return exc.status, ""
        return result.status, result.text

    async def _follow(
        self, url: str, headers: dict[str, str], *, check_robots: bool
    ) -> FetchResult:
        current, seen = url, {url}
        for hop in range(self.settings.fetch_max_redirects + 1):
            try:
                check_scheme(current)
                robots = self.robots if check_robots else None
                if robots is not None and not await robots.allowed(current, self._robots_txt):
                    raise DisallowedByRobots(current, "robots.txt disallows it")
                limit = self.settings.fetch_max_bytes if check_robots else _ROBOTS_MAX_BYTES
                result, location = await self._timed(current, headers, limit)
            except BlockedAddress as exc:
                # name the URL asked for (not a redirect's target, nor its robots.txt) and how
                # the refused address was reached
                if exc.url == url:
                    raise
                via = f"redirected to {current}: " if hop else ""
                raise BlockedAddress(url, via + exc.problem) from exc
            if location is None:
                return result
            if location in seen:
                raise TooManyRedirects(url, f"redirect loop at {location}")
            if hop == self.settings.fetch_max_redirects:
                break
            seen.add(location)
            current = location
        raise TooManyRedirects(url, f"more than {self.settings.fetch_max_redirects} redirects")

    async def _timed(
        self, url: str, headers: dict[str, str], limit: int
    ) -> tuple[FetchResult, str | None]:
        """One request within the time limit, once it has its host's and a global slot: time
        spent waiting for a turn is not counted against the server."""
        timeout = self.settings.fetch_timeout_s
        async with self._host_slot(url), self._all:
            start = time.monotonic()  # the answer's time, without the wait for a turn
            try:
                async with asyncio.timeout(timeout):
                    return await self._once(url, headers, start, limit)
            except TimeoutError as exc:
                raise FetchTimeout(url, f"no complete answer within {timeout:g} s") from exc

    def _host_slot(self, url: str) -> asyncio.Semaphore:
        key = RobotsCache.origin(url).split("://", 1)[1]
        if key not in self._hosts:
            self._hosts[key] = asyncio.Semaphore(self.settings.fetch_per_host)
        return self._hosts[key]

    async def _once(
        self, url: str, headers: dict[str, str], start: float, limit: int
    ) -> tuple[FetchResult, str | None]:
        """One request; returns the result, or the next URL when the answer is a redirect."""
        try:
            async with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECTS and "location" in response.headers:
                    target = response.url.join(response.headers["location"])
                    return _result(response, b"", "", None, start), str(target)
                body = b""
                if status < 300:
                    body = await _read_body(url, response, limit)
                text, encoding = decode(body, response.headers.get("content-type"))
                result = _result(response, body, text, encoding if body else None, start)
        except FetchError:
            raise
        except httpx2.TimeoutException as exc:
            raise FetchTimeout(url, f"timed out ({type(exc).__name__})") from exc
        except (httpx2.HTTPError, httpx2.InvalidURL, OSError) as exc:
            raise ConnectFailed(url, f"{type(exc).__name__}: {exc or 'connection failed'}") from exc
        if status >= 400:
            raise HTTPStatusError(url, f"HTTP {status} {response.reason_phrase}".strip(), result)
        return result, None


async def _read_body(url: str, response: httpx2.Response, limit: int) -> bytes:
    """The decompressed body, raising :class:`TooLarge` as soon as it passes ``limit`` bytes."""
    encoding = response.headers.get("content-encoding", "")
    length = response.headers.get("content-length", "")
    if not encoding and length.isdigit() and int(length) > limit:
        raise TooLarge(url, f"Content-Length {length} is over the {limit} byte limit")
    inflater = _Inflater(url, encoding)
    body = bytearray()
    raw: AsyncIterator[bytes] = response.aiter_raw()
    async for chunk in raw:
        for piece in inflater.feed(chunk):
            if len(body) + len(piece) > limit:
                raise TooLarge(url, f"body is over the {limit} byte limit (decompressed)")
            body += piece
    return bytes(body)


def _result(
    response: httpx2.Response, body: bytes, text: str, encoding: str | None, start: float
) -> FetchResult:
    status = response.status_code
    retry = response.headers.get("retry-after") if status in (429, 503) else None
    return FetchResult(
        url=str(response.url),
        status=status,
        headers=response.headers,
        body=body,
        text=text,
        encoding=encoding,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        not_modified=status == 304,
        retry_after=parse_retry_after(retry),
        elapsed=time.monotonic() - start,
    )


async def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    client: Fetcher | None = None,
) -> FetchResult:
    """Fetch ``url`` with ``client``, or with a one-off :class:`Fetcher` from the settings."""
    if client is not None:
        return await client.fetch(url, etag=etag, last_modified=last_modified)
    async with Fetcher() as fetcher:
        return await fetcher.fetch(url, etag=etag, last_modified=last_modified)

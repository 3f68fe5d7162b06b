"""robots.txt, honoured per origin and cached for a day.

The rules follow RFC 9309, read with the standard library's :mod:`urllib.robotparser`:

- robots.txt is fetched with the same guarded client as everything else (it is a URL like any);
- 2xx: its rules apply to our User-Agent product token (``Tribune``) or to ``*``;
- 4xx (404 above all): there are no rules, everything is allowed;
- 5xx or unreachable: everything is disallowed "for that round". The failure is cached for
  ``failure_ttl`` seconds (5 minutes) rather than a day, so the next poll round asks again while
  a burst of fetches in one round does not hammer a failing server;
- a refusal by the SSRF guard is not an availability problem and propagates as is.

The cache lives in memory, keyed by scheme, host and port. A polling round has its own unless the
caller hands it a longer-lived one (``entries``): the scheduler of ``tribune serve`` keeps one for
the life of the process, so each origin's robots.txt is read once a day, not once a round. The
clock is injectable so tests can move time.
"""

from __future__ import annotations

import asyncio
import time
import urllib.robotparser
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx2

from tribune.ingest.errors import BlockedAddress, FetchError

DAY = 86_400.0

# Fetches robots.txt at a URL and returns (status, text); raises FetchError when unreachable.
RobotsGetter = Callable[[str], Awaitable[tuple[int, str]]]


@dataclass(frozen=True, slots=True)
class _Entry:
    fetched_at: float
    parser: urllib.robotparser.RobotFileParser | None  # None with allow set: no rules
    allow_all: bool
    ttl: float


RobotsMemory = dict[str, _Entry]
"""What a :class:`RobotsCache` knows, shareable between the caches of successive rounds."""


class RobotsCache:
    """Answers "may this URL be fetched?" from each origin's robots.txt, fetched once a day."""

    def __init__(
        self,
        user_agent: str,
        *,
        ttl: float = DAY,
        failure_ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        entries: RobotsMemory | None = None,
    ) -> None:
        self.agent = user_agent.split("/", 1)[0].strip() or "*"
        self.ttl = ttl
        self.failure_ttl = failure_ttl
        self.clock = clock
        self._entries: RobotsMemory = entries if entries is not None else {}
        self._locks: dict[str, asyncio.Lock] = {}

    @staticmethod
    def origin(url: str) -> str:
        """``scheme://host:port``, the scope of one robots.txt."""
        parsed = httpx2.URL(url)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        return f"{parsed.scheme}://{parsed.raw_host.decode('ascii')}:{port}"

    async def allowed(self, url: str, get: RobotsGetter) -> bool:
        """Whether ``url`` may be fetched; fetches the origin's robots.txt with ``get`` if stale."""
        key = self.origin(url)
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:  # concurrent fetches to one origin share one robots.txt request
            entry = self._entries.get(key)
            if entry is None or self.clock() - entry.fetched_at >= entry.ttl:
                entry = await self._load(key, get)
                self._entries[key] = entry
        if entry.parser is None:
            return entry.allow_all
        return entry.parser.can_fetch(self.agent, url)

    async def _load(self, origin: str, get: RobotsGetter) -> _Entry:
        now = self.clock()
        try:
            status, text = await get(f"{origin}/robots.txt")
        except BlockedAddress:
            raise
        except FetchError:
            return _Entry(now, None, allow_all=False, ttl=self.failure_ttl)
        if status >= 500:
            return _Entry(now, None, allow_all=False, ttl=self.failure_ttl)
        if status >= 400:
            return _Entry(now, None, allow_all=True, ttl=self.ttl)
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(text.splitlines())
        return _Entry(now, parser, allow_all=True, ttl=self.ttl)

"""Typed errors of the outbound HTTP layer.

Every network or protocol problem surfaces as a :class:`FetchError` subclass whose message names the
URL and the problem, so a caller can store ``str(exc)`` on a source row and move on (DESIGN §5: bad
input never stops the pipeline).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tribune.ingest.fetch import FetchResult


class FetchError(Exception):
    """A fetch failed; ``url`` is the URL being fetched when it did."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem


class BlockedAddress(FetchError):
    """The URL's scheme or one of its host's addresses is not allowed (the SSRF guard)."""


class ConnectFailed(FetchError):
    """DNS, TCP, TLS or HTTP protocol trouble: the server could not be talked to."""


class FetchTimeout(FetchError):
    """A request (sent, answered and its body read) took longer than allowed."""


class TooLarge(FetchError):
    """The decompressed body passed the size limit; reading stopped there."""


class TooManyRedirects(FetchError):
    """More redirects than allowed, or a redirect loop."""


class BadContent(FetchError):
    """The body could not be decoded (corrupt gzip, unknown Content-Encoding)."""


class DisallowedByRobots(FetchError):
    """robots.txt forbids the URL, or could not be read (5xx, unreachable)."""


class HTTPStatusError(FetchError):
    """The server answered 4xx or 5xx. ``result`` holds status, headers and ``retry_after``."""

    def __init__(self, url: str, problem: str, result: FetchResult) -> None:
        super().__init__(url, problem)
        self.result = result

    @property
    def status(self) -> int:
        return self.result.status

    @property
    def retry_after(self) -> float | None:
        """Seconds to wait before asking again (from Retry-After on 429/503), if given."""
        return self.result.retry_after

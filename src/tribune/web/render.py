"""Templates, and responses with validators: ETag, Last-Modified and 304.

Reader pages and feeds are cached in the worker's memory, keyed by path and query, together with
the site generation they were made at (:mod:`tribune.db.generation`). Each request reads the
generation (one primary-key lookup); a publish or an edit in any process bumps it, so a stale
page is rebuilt on its next request. The ETag is the generation and a checksum of the body, the
same in every worker.

One request at a time rebuilds a page: after a publish, while one thread builds the new page, the
other requests for it get the page as it was a moment before (or, when there was none, wait for
the build), so a busy page costs one build per worker, not one per waiting request.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database

HTML = "text/html; charset=utf-8"
TEMPLATES = Path(__file__).parent / "templates"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from tribune.web import filters

    filters.install(env)
    return env


@dataclass(frozen=True)
class Built:
    """What a page builder made: the body, its media type, the status, a redirect target."""

    body: bytes
    media_type: str = HTML
    status: int = 200
    location: str = ""


@dataclass(frozen=True)
class Cached:
    generation: int
    built: Built
    etag: str


class PageCache:
    """A bounded LRU of rendered pages, each tagged with its generation."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._entries: OrderedDict[str, Cached] = OrderedDict()
        self._building: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def get(self, key: str, gen: int) -> Cached | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.generation != gen:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: Cached) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def build(self, key: str, gen: int, make: Callable[[], Built]) -> Cached:
        """The page at *gen*, made by *make* unless another thread is making it already: then
        the page as it was before (stale by one change), or, without one, that thread's page."""
        with self._lock:
            lock = self._building.get(key)
            if lock is None:
                lock = self._building[key] = threading.Lock()
        if not lock.acquire(blocking=False):
            with self._lock:
                stale = self._entries.get(key)
            if stale is not None:
                return stale
            lock.acquire()
        try:
            entry = self.get(key, gen)
            if entry is None:
                built = make()
                entry = Cached(gen, built, _etag(gen, built.body))
                self.put(key, entry)
            return entry
        finally:
            with self._lock:
                if self._building.get(key) is lock:
                    del self._building[key]
            lock.release()


def _etag(gen: int, body: bytes) -> str:
    return f'"{gen:x}-{zlib.crc32(body):08x}"'


def _not_modified(request: Request, etag: str, modified: datetime) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return etag in tags or "*" in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def cached_response(
    request: Request,
    build: Callable[[Connection], Built],
    *,
    key: str | None = None,
) -> Response:
    """The page *build* makes, from the cache while the site generation is unchanged."""
    db: Database = request.app.state.db
    cache: PageCache = request.app.state.cache
    key = key or str(request.url.path) + "?" + str(request.url.query)
    with db.read() as conn:
        gen = generation.current(conn)
        entry = cache.get(key, gen) or cache.build(key, gen, lambda: build(conn))
    built = entry.built
    if built.location:
        return RedirectResponse(built.location, status_code=built.status)
    modified = generation.changed_at(gen)
    headers = {
        "ETag": entry.etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": "public, max-age=0, must-revalidate",
    }
    if built.status == 200 and _not_modified(request, entry.etag, modified):
        return Response(status_code=304, headers=headers)
    return Response(
        built.body, status_code=built.status, media_type=built.media_type, headers=headers
    )


def render(request: Request, template: str, **context: Any) -> bytes:
    """A template rendered to UTF-8, with the request in its context."""
    env: Environment = request.app.state.templates
    return env.get_template(template).render(request=request, **context).encode()

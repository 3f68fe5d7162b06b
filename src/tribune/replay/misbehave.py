"""What a replay path can do wrong, and the hostile bodies it serves.

A fetcher is only as good as the worst server it survives, so each misbehaviour of the issue is one
option of :class:`Behaviour`. Options come from a site's ``_replay.json`` or from
``ReplayServer.misbehave`` at run time; unknown options are errors, so a typo in a test cannot
silently turn a hostile path into a well-behaved one.

The large bodies are generators of chunks: a 50 MB body or a 100 MB gzip bomb never sits in memory
whole, only the bomb's compressed form (about a thousandth of its size), which is cached.
"""

from __future__ import annotations

import codecs
import enum
import functools
import json
import mimetypes
import re
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

CONFIG_FILE = "_replay.json"
LATER_DIR = "_later"  # a site's later versions of its files, served by ``publish_later``
MB = 1024 * 1024
CHUNK = 64 * 1024
_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".json": "application/json",
}


class Default(enum.Enum):
    """Marks an option left unset, as opposed to set to ``None`` (``"charset": null`` = omit)."""

    SITE = "site"


@dataclass(frozen=True)
class Behaviour:
    """How one path answers. The default answers normally.

    Precedence when several are set: ``delay`` first (it only postpones), then ``redirect_loop``,
    ``redirect``, ``status``, ``huge_mb``, ``gzip_bomb_mb``, ``entity_bomb``, and last the body
    options (``body``/``body_from``, ``malformed_xml``, ``encode``, ``charset``, ``content_type``).
    """

    delay: float = 0.0  # seconds to wait before the headers, to trip timeouts
    status: int | None = None  # answer this status instead of the file (500, 429, 304, ...)
    retry_after: int | str | None = None  # Retry-After header, with 429 or 503
    huge_mb: float | None = None  # stream this many MB of filler, to test size limits
    gzip_bomb_mb: float | None = None  # Content-Encoding: gzip body inflating to this many MB
    redirect_loop: bool = False  # /p -> /p?n=1 -> /p?n=2 -> ... forever
    redirect: str | None = None  # Location of a redirect (status 302 unless ``status`` says)
    charset: str | Default | None = Default.SITE  # charset announced; None omits it
    encode: str | None = None  # codec the bytes are really encoded with (files are UTF-8)
    malformed_xml: bool = False  # cut the document short and add a stray '&'
    content_type: str | None = None  # Content-Type announced, whatever the extension says
    body_from: str | None = None  # serve this file of the site (relative to its root) instead
    body: str | None = None  # serve this text instead
    entity_bomb: bool = False  # a billion-laughs RSS document
    last_modified: str | None = None  # fixed Last-Modified (an HTTP date) instead of the mtime
    headers: Mapping[str, str] | None = None  # extra response headers

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> Behaviour:
        """Builds a behaviour, refusing unknown options and bad types early."""
        known = {f.name for f in fields(cls)}
        unknown = set(options) - known
        if unknown:
            raise ValueError(f"unknown replay options: {sorted(unknown)}")
        behaviour = cls(**options)
        if behaviour.last_modified is not None:
            http_date(behaviour.last_modified)
        return behaviour


@dataclass(frozen=True)
class SiteConfig:
    """A site's ``_replay.json``: a default charset, a fixed date, behaviours per path.

    ``encode`` re-encodes every file of the site (stored as UTF-8) when served, for a site that
    really is in windows-1251 or ISO-8859-7; a path's own ``encode`` wins over it.
    """

    charset: str | None = "utf-8"
    last_modified: str | None = None
    paths: Mapping[str, Behaviour] | None = None
    encode: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SiteConfig:
        unknown = set(data) - {"charset", "last_modified", "paths", "encode"}
        if unknown:
            raise ValueError(f"unknown keys in _replay.json: {sorted(unknown)}")
        paths = {p: Behaviour.from_options(o) for p, o in data.get("paths", {}).items()}
        last_modified = data.get("last_modified")
        if last_modified is not None:
            http_date(last_modified)
        encode = data.get("encode")
        if encode is not None:
            codecs.lookup(encode)
        return cls(
            charset=data.get("charset", "utf-8"),
            last_modified=last_modified,
            paths=paths,
            encode=encode,
        )


def content_type(name: str, behaviour: Behaviour, site_charset: str | None) -> str:
    """The Content-Type for a served name: by extension, with the charset the config announces."""
    suffix = Path(name).suffix.lower()
    if behaviour.content_type:
        base = behaviour.content_type
    elif suffix == ".json" and "feed" in name.lower():
        base = "application/feed+json"
    elif suffix in _TYPES:
        base = _TYPES[suffix]
    else:
        base = (mimetypes.guess_type(name)[0] if suffix else None) or "text/html"
    charset = site_charset if behaviour.charset is Default.SITE else behaviour.charset
    textual = base.startswith("text/") or base.endswith(("xml", "json"))
    if charset and textual and "charset=" not in base:
        return f"{base}; charset={charset}"
    return base


def phrase(status: int) -> str:
    """The reason phrase of a status, or nothing for unregistered ones."""
    return HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""


class SiteFiles:
    """What one site serves: its files, the overlay of replaced ones, its behaviours per path.

    Files may contain ``{{site:NAME}}`` (``{{site}}``: this site), replaced when served by that
    site's base URL from ``bases``, which the server fills in once the ports are bound. Paths whose
    first segment starts with ``_`` (``_replay.json``, ``_later/``) are the server's own: never
    served.
    """

    PLACEHOLDER = re.compile(rb"\{\{site(?::([A-Za-z0-9._-]+))?\}\}")

    def __init__(self, name: str, directory: Path, bases: Mapping[str, str]) -> None:
        self.name = name
        self.directory = directory.resolve()
        config = self.directory / CONFIG_FILE
        raw = json.loads(config.read_text("utf-8")) if config.is_file() else {}
        self.config = SiteConfig.from_json(raw)
        self.bases = bases
        self.lock = threading.Lock()
        self.runtime: dict[str, Behaviour] = {}
        self.overlay: dict[str, tuple[bytes, float]] = {}
        self.started = time.time()

    def behaviour(self, path: str) -> Behaviour:
        """The run-time behaviour of a path if set, else its _replay.json one, else normal."""
        with self.lock:
            if path in self.runtime:
                return self.runtime[path]
        return (self.config.paths or {}).get(path, Behaviour())

    def set_behaviour(self, path: str, behaviour: Behaviour) -> None:
        with self.lock:
            self.runtime[path] = behaviour

    def reset(self, path: str | None = None) -> None:
        with self.lock:
            if path is None:
                self.runtime.clear()
            else:
                self.runtime.pop(path, None)

    def relpath(self, path: str) -> str:
        """The file a URL path names: ``/`` and directories mean their ``index.html``."""
        rel = path.lstrip("/")
        if not rel or rel.endswith("/") or (self.directory / rel).is_dir():
            rel = rel.rstrip("/") + "/index.html" if rel.rstrip("/") else "index.html"
        return rel

    def content(self, path: str, behaviour: Behaviour) -> tuple[str, bytes, float] | None:
        """The served name, bytes (placeholders rewritten) and modification time; None: 404."""
        if behaviour.body is not None:
            return path, self.rewrite(behaviour.body.encode("utf-8")), self.started
        rel = behaviour.body_from.lstrip("/") if behaviour.body_from else self.relpath(path)
        if not behaviour.body_from and hidden(rel):
            return None
        with self.lock:
            if rel not in self.overlay and f"{rel}/index.html" in self.overlay:
                rel = f"{rel}/index.html"  # a directory that only a replaced file makes
            if rel in self.overlay:
                data, mtime = self.overlay[rel]
                return rel, self.rewrite(data), mtime
        file = (self.directory / rel).resolve()
        inside = file.is_relative_to(self.directory) and file.name != CONFIG_FILE
        if not inside or not file.is_file():
            return None
        return rel, self.rewrite(file.read_bytes()), file.stat().st_mtime

    def rewrite(self, data: bytes) -> bytes:
        def base(match: re.Match[bytes]) -> bytes:
            name = match.group(1).decode() if match.group(1) else self.name
            return self.bases[name].encode() if name in self.bases else match.group(0)

        return self.PLACEHOLDER.sub(base, data)

    def replace(self, path: str, data: bytes) -> None:
        """Overlays a file; its Last-Modified moves forward even within the same second."""
        rel = self.relpath(path)
        file = self.directory / rel
        with self.lock:
            previous = self.overlay[rel][1] if rel in self.overlay else None
            if previous is None and file.is_file():
                previous = file.stat().st_mtime
            self.overlay[rel] = (data, max(float(int(time.time())), int(previous or 0) + 1.0))

    def restore(self, path: str | None = None) -> None:
        with self.lock:
            if path is None:
                self.overlay.clear()
            else:
                self.overlay.pop(self.relpath(path), None)

    def later(self) -> dict[str, bytes]:
        """The files of the site's ``_later/`` directory: URL path (``/a/b.html``) -> bytes."""
        directory = self.directory / LATER_DIR
        if not directory.is_dir():
            return {}
        return {
            "/" + file.relative_to(directory).as_posix(): file.read_bytes()
            for file in sorted(directory.rglob("*"))
            if file.is_file()
        }


def hidden(rel: str) -> bool:
    """Whether a site-relative path is the server's own (``_replay.json``, ``_later/...``)."""
    return rel.lstrip("/").split("/", 1)[0].startswith("_")


def http_date(value: str) -> float:
    """Seconds since the epoch of an HTTP date; ValueError when it is not one."""
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not an HTTP date: {value!r}") from exc


def next_in_loop(path: str, query: str) -> str:
    """The next hop of a redirect loop: the same path with ``n`` one higher, so no URL repeats."""
    n = int(parse_qs(query).get("n", ["0"])[0] or 0)
    return f"{path}?n={n + 1}"


def huge_chunks(megabytes: float) -> tuple[int, Iterator[bytes]]:
    """The length of a filler body and its chunks, made one at a time."""
    total = int(megabytes * MB)

    def chunks() -> Iterator[bytes]:
        block = (b"<p>" + b"x" * 1017 + b"</p>\n") * (CHUNK // 1024)
        left = total
        while left > 0:
            yield block[:left]
            left -= len(block)

    return total, chunks()


@functools.lru_cache(maxsize=8)
def gzip_bomb(megabytes: float) -> bytes:
    """Gzip of ``megabytes`` MB of zeros, compressed one MB at a time (about 1 KB per MB)."""
    total = int(megabytes * MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    block = bytes(MB)
    parts: list[bytes] = []
    left = total
    while left > 0:
        parts.append(compressor.compress(block[:left]))
        left -= MB
    parts.append(compressor.flush())
    return b"".join(parts)


def chunked(data: bytes) -> Iterator[bytes]:
    """Slices of ``data`` to be written one by one (so a stopping server can give up midway)."""
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


def entity_bomb(depth: int = 9, width: int = 10) -> bytes:
    """A billion-laughs RSS feed: each entity is ``width`` copies of the previous one.

    Expanded, the title is ``width ** depth`` times "lol" (3 GB with the defaults) while the
    document itself is under a kilobyte: a parser must refuse it rather than expand it.
    """
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE rss [", '  <!ENTITY lol0 "lol">']
    for level in range(1, depth + 1):
        refs = f"&lol{level - 1};" * width
        lines.append(f'  <!ENTITY lol{level} "{refs}">')
    lines += [
        "]>",
        '<rss version="2.0"><channel>',
        f"<title>&lol{depth};</title><link>http://example.invalid/</link>",
        "<description>entity expansion</description>",
        f"<item><title>&lol{depth};</title><link>http://example.invalid/1</link></item>",
        "</channel></rss>",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


MALFORMED_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Broken</title>\n'
    b"<item><title>Unclosed</title><link>http://example.invalid/1</link>\n"
)


def malform(body: bytes | None) -> bytes:
    """A document no XML parser accepts: the first half of the body, then a stray ampersand."""
    head = body[: len(body) // 2] if body else MALFORMED_FEED
    return head + b"\n<item><title>Fish & chips</title>\n"

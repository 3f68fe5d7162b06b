"""The replay server: captured sites served from a directory, one port per site.

Tests, benchmarks and ``tribune demo`` must gather without the internet, yet see what the internet
does: several hosts (told apart by port, since everything is 127.0.0.1), conditional requests,
pages edited between two polls, and hostile answers. What a path serves (files, replaced pages,
``{{site:NAME}}`` placeholders, hostile answers) is decided in :mod:`tribune.replay.misbehave`;
this module speaks HTTP (ETag, Last-Modified, 304, streamed bodies) and records what clients did
(requests, headers, concurrency) so that politeness can be asserted.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import sys
import threading
from collections.abc import Iterable, Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from tribune.replay import misbehave as mb
from tribune.replay.misbehave import Behaviour, SiteFiles

Headers = dict[str, str]


class Request(NamedTuple):
    """One request as received; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]


class Concurrency(NamedTuple):
    """Requests being answered now, and the most ever answered at once, for one site."""

    current: int
    peak: int


class _Site(SiteFiles):
    """A site's files and behaviours, plus what clients did to it."""

    def __init__(self, name: str, directory: Path, bases: dict[str, str]) -> None:
        super().__init__(name, directory, bases)
        self.log: list[Request] = []
        self.active = 0
        self.peak = 0
        self.connections: set[socket.socket] = set()

    @contextlib.contextmanager
    def serving(self, request: Request) -> Iterator[None]:
        with self.lock:
            self.log.append(request)
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            yield
        finally:
            with self.lock:
                self.active -= 1


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for a client reading a 50 MB body slowly

    def __init__(self, address: tuple[str, int], site: _Site, stopping: threading.Event) -> None:
        self.site = site
        self.stopping = stopping
        self.verbose = False
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a poller closing its kept-alive connections, or giving up on
        a slow answer) is no error of the server's: nothing is printed. Other errors are."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The head and the body go out in two writes. With Nagle's algorithm on, the body waits for
    # the client to acknowledge the head, which a client delays by up to 40 ms: every answer on
    # a kept-alive connection would take that long.
    disable_nagle_algorithm = True
    server: _SiteServer

    def setup(self) -> None:
        super().setup()
        with self.server.site.lock:
            self.server.site.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.site.lock:
            self.server.site.connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, *, head: bool) -> None:
        site = self.server.site
        headers = {k.lower(): v for k, v in self.headers.items()}
        with site.serving(Request(self.command, self.path, headers)):
            try:
                self._answer(site, head)
            except (ConnectionError, TimeoutError):
                self.close_connection = True  # the client gave up: that is its right

    def _answer(self, site: _Site, head: bool) -> None:
        url = urlsplit(self.path)
        path = url.path or "/"
        b = site.behaviour(path)
        if b.delay and self.server.stopping.wait(b.delay):
            self.close_connection = True
            return
        extra = dict(b.headers or {})
        if b.retry_after is not None:
            extra["Retry-After"] = str(b.retry_after)
        if b.redirect_loop or b.redirect:
            location = mb.next_in_loop(path, url.query) if b.redirect_loop else b.redirect
            extra["Location"] = str(location)
            self._send(b.status or 302, extra, [b"redirecting\n"], head)
        elif b.status and b.status != 200:
            self._send(b.status, extra, [f"{b.status} {mb.phrase(b.status)}\n".encode()], head)
        elif b.huge_mb is not None:
            extra["Content-Type"] = mb.content_type(path, b, site.config.charset)
            length, chunks = mb.huge_chunks(b.huge_mb)
            self._send(200, extra, chunks, head, length=length)
        elif b.gzip_bomb_mb is not None:
            extra["Content-Type"] = mb.content_type(path, b, site.config.charset)
            extra["Content-Encoding"] = "gzip"
            data = mb.gzip_bomb(b.gzip_bomb_mb)
            self._send(200, extra, mb.chunked(data), head, length=len(data))
        elif b.entity_bomb:
            bomb = b.content_type or "application/rss+xml"
            extra["Content-Type"] = mb.content_type(path, Behaviour(content_type=bomb), None)
            self._send(200, extra, [mb.entity_bomb()], head)
        else:
            self._file(site, path, b, extra, head)

    def _file(self, site: _Site, path: str, b: Behaviour, extra: Headers, head: bool) -> None:
        found = site.content(path, b)
        if found is None:
            self._send(404, {"Content-Type": "text/plain"}, [b"404 Not Found\n"], head)
            return
        name, data, mtime = found
        if b.malformed_xml:
            data = mb.malform(data)
        codec = b.encode or site.config.encode
        if codec:
            data = data.decode("utf-8").encode(codec)
        fixed = b.last_modified or site.config.last_modified
        modified = int(mb.http_date(fixed) if fixed else mtime)
        extra.setdefault("Content-Type", mb.content_type(name, b, site.config.charset))
        extra["ETag"] = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
        extra["Last-Modified"] = formatdate(modified, usegmt=True)
        if self._not_modified(extra["ETag"], modified):
            del extra["Content-Type"]
            self._send(304, extra, [], head=True)
        else:
            self._send(200, extra, [data], head)

    def _not_modified(self, etag: str, modified: int) -> bool:
        """RFC 9110: If-None-Match decides when present, If-Modified-Since otherwise."""
        none_match = self.headers.get("If-None-Match")
        if none_match is not None:
            tags = [t.strip().removeprefix("W/") for t in none_match.split(",")]
            return "*" in tags or etag in tags
        since = self.headers.get("If-Modified-Since")
        try:
            return since is not None and modified <= mb.http_date(since)
        except ValueError:
            return False

    def _send(
        self,
        status: int,
        headers: dict[str, str],
        body: Iterable[bytes],
        head: bool,
        *,
        length: int | None = None,
    ) -> None:
        """Sends a response; the body is written chunk by chunk and dropped if the server stops."""
        no_body = status == 304 or status == 204 or status < 200
        chunks = [] if no_body else body
        if length is None and not no_body:
            chunks = list(body)
            length = sum(len(c) for c in chunks)
        self.send_response(status)
        if not no_body:
            headers.setdefault("Content-Type", "text/plain")
        for key, value in headers.items():
            self.send_header(key, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if head or no_body:
            return
        for chunk in chunks:
            if self.server.stopping.is_set():
                self.close_connection = True
                return
            self.wfile.write(chunk)


class ReplayServer:
    """Serves every directory of ``root`` as a site of its own, each on its own free port.

    ``port_base`` binds the sites (sorted by name) to consecutive fixed ports instead, for
    ``python -m tribune.replay``. Usable as a context manager, which starts and stops it.
    """

    def __init__(
        self, root: Path, *, host: str = "127.0.0.1", port_base: int | None = None
    ) -> None:
        self.root = Path(root)
        self.host = host
        self.port_base = port_base
        self.verbose = False
        self._bases: dict[str, str] = {}
        self._sites = {
            d.name: _Site(d.name, d, self._bases)
            for d in sorted(self.root.iterdir())
            if d.is_dir() and not d.name.startswith(("_", "."))
        }
        self._servers: list[tuple[_SiteServer, threading.Thread]] = []
        self._stopping = threading.Event()

    def start(self) -> ReplayServer:
        """Binds and serves every site in a daemon thread; returns self."""
        if self._servers:
            return self
        self._stopping = threading.Event()
        try:
            for i, site in enumerate(self._sites.values()):
                port = 0 if self.port_base is None else self.port_base + i
                server = _SiteServer((self.host, port), site, self._stopping)
                server.verbose = self.verbose
                thread = threading.Thread(
                    target=server.serve_forever,
                    kwargs={"poll_interval": 0.05},
                    name=f"replay-{site.name}",
                    daemon=True,
                )
                self._servers.append((server, thread))
                self._bases[site.name] = f"http://{self.host}:{server.server_address[1]}"
                thread.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stops serving, cuts open connections (and slow or streaming answers) and frees ports."""
        self._stopping.set()
        stoppers = [threading.Thread(target=s.shutdown) for s, t in self._servers if t.is_alive()]
        for stopper in stoppers:  # together: each waits up to a poll interval
            stopper.start()
        for stopper in stoppers:
            stopper.join()
        for server, thread in self._servers:
            server.server_close()
            with server.site.lock:
                open_connections = list(server.site.connections)
            for connection in open_connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            thread.join()
        self._servers = []
        self._bases.clear()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def sites(self) -> dict[str, str]:
        """Site name -> base URL (no trailing slash) of the running sites."""
        return dict(self._bases)

    def url(self, site: str, path: str = "/") -> str:
        return self._bases[site] + ("" if path.startswith("/") else "/") + path

    def _site(self, site: str) -> _Site:
        if site not in self._sites:
            raise KeyError(f"no replay site {site!r} in {self.root}")
        return self._sites[site]

    def misbehave(self, site: str, path: str, **options: Any) -> None:
        """Sets how ``path`` answers from now on, replacing its _replay.json entry.

        With no options the path answers normally, whatever _replay.json says.
        """
        self._site(site).set_behaviour(path, Behaviour.from_options(options))

    def reset(self, site: str, path: str | None = None) -> None:
        """Forgets run-time behaviours (of one path, or all): _replay.json applies again."""
        self._site(site).reset(path)

    def replace(self, site: str, path: str, text: str | bytes) -> None:
        """Serves ``text`` (UTF-8 if str) at ``path`` from now on, leaving the disk alone."""
        self._site(site).replace(path, text.encode("utf-8") if isinstance(text, str) else text)

    def restore(self, site: str | None = None, path: str | None = None) -> None:
        """Drops replaced content (of one path, or all; of one site, or every site).

        The files on disk are served again: this also undoes :meth:`publish_later`.
        """
        for s in [self._site(site)] if site else list(self._sites.values()):
            s.restore(path)

    def publish_later(self) -> dict[str, list[str]]:
        """Serves each site's later versions: every file under ``<site>/_later/`` replaces the
        file at the same path (or adds it), as if the site had been edited between two polls.

        Replacing moves Last-Modified and the ETag on; :meth:`restore` undoes it. Returns the
        URL paths published, by site (sites without a ``_later/`` directory are left out).
        """
        published: dict[str, list[str]] = {}
        for name, site in self._sites.items():
            later = site.later()
            for path, data in later.items():
                site.replace(path, data)
            if later:
                published[name] = list(later)
        return published

    def requests(self, site: str, path: str | None = None) -> list[Request]:
        """Requests received, in order; with ``path``, those for that path (query ignored)."""
        s = self._site(site)
        with s.lock:
            log = list(s.log)
        return [r for r in log if path is None or urlsplit(r.path).path == path]

    def count(self, site: str, path: str) -> int:
        return len(self.requests(site, path))

    def concurrency(self, site: str) -> Concurrency:
        s = self._site(site)
        with s.lock:
            return Concurrency(s.active, s.peak)

    def clear_log(self, site: str | None = None) -> None:
        """Forgets requests and peak concurrency (of one site, or all)."""
        for s in [self._site(site)] if site else list(self._sites.values()):
            with s.lock:
                s.log.clear()
                s.peak = s.active

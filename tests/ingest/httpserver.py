"""A real HTTP server on 127.0.0.1 in a background thread, with routes the tests register.

Fetch tests talk to it over loopback instead of mocking the network, so the SSRF guard, the pinned
connection, redirects, compression and timeouts are exercised for real. It records every request
(path and headers) and the most requests it had in flight at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    """What a route answers. ``chunks`` streams a body of unknown length instead of ``body``."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0
    chunks: Callable[[], Iterable[bytes]] | None = None


@dataclass(frozen=True)
class Seen:
    path: str
    headers: dict[str, str]


Route = Callable[[Seen], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
        with owner.lock:
            owner.requests.append(seen)
            owner.active += 1
            owner.max_active = max(owner.max_active, owner.active)
            if owner.on_enter is not None:
                owner.on_enter()
        try:
            route = owner.routes.get(self.path.split("?")[0])
            reply = route(seen) if route else Reply(404, body=b"not here")
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks is None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                for chunk in reply.chunks():
                    self.wfile.write(chunk)
        finally:
            with owner.lock:
                owner.active -= 1
                if owner.on_exit is not None:
                    owner.on_exit()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    owner: TestServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hung up on purpose (size limit, timeout)


class TestServer:
    """Start with :meth:`start`; register routes with :meth:`route`; build URLs with :meth:`url`."""

    __test__ = False  # not a test class, despite the name

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.on_enter: Callable[[], None] | None = None
        self.on_exit: Callable[[], None] | None = None
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> TestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def route(self, path: str, reply: Reply | Route) -> None:
        if isinstance(reply, Reply):
            fixed = reply
            self.routes[path] = lambda _seen: fixed
        else:
            self.routes[path] = reply

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

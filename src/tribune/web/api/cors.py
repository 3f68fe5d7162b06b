"""CORS for the API: any site may call it from a browser (``Access-Control-Allow-Origin: *``).

A plain ASGI middleware on paths under ``/api/`` only: it answers preflight ``OPTIONS``
requests itself (204) and adds the CORS headers to every other answer, problems included. No
credentials are allowed cross-origin (``*`` forbids them), so a page elsewhere can read what
anonymous clients see, or act with a token it holds, never with an editor's cookie. An error
nothing else caught is answered here as a 500 problem, so it carries the headers too.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tribune.web.errors import problem

log = logging.getLogger("tribune.web")

ALLOW_HEADERS = "Authorization, Content-Type, If-None-Match, X-CSRF-Token"
ALLOW_METHODS = "GET, POST, PATCH, OPTIONS"
EXPOSE_HEADERS = "ETag, Location, Retry-After, WWW-Authenticate"
CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-expose-headers", EXPOSE_HEADERS.encode()),
]
PREFLIGHT = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", ALLOW_METHODS.encode()),
    (b"access-control-allow-headers", ALLOW_HEADERS.encode()),
    (b"access-control-max-age", b"86400"),
    (b"allow", ALLOW_METHODS.encode()),
    (b"vary", b"Origin, Access-Control-Request-Headers"),
]


class ApiCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 204, "headers": PREFLIGHT})
            await send({"type": "http.response.body", "body": b""})
            return
        started = False

        async def with_cors(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *CORS]
            await send(message)

        try:
            await self.app(scope, receive, with_cors)
        except Exception:
            if started:
                raise
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            response = problem(500, "Something went wrong on our side; it has been logged.")
            await response(scope, receive, with_cors)

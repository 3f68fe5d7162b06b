"""The OpenAPI document at ``/api/v1/openapi.json``: the API's routes only, none of the site's.

Made once from the API router, then adjusted where FastAPI's defaults say less than the truth:
problems are ``application/problem+json``, and reads work without a token (their security
requirement is optional).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from tribune import __version__
from tribune.web.api.router import router

DESCRIPTION = """\
The JSON API of Tribune. Lists answer `{"items": [...], "next_cursor": ...}`: pass
`next_cursor` as `cursor` for the next page (null: no more). Errors are RFC 9457 problem
details. GET answers carry an `ETag`; send it back in `If-None-Match` to get 304 while nothing
changed. Clients are limited to a number of requests a minute (429 with `Retry-After` past
it). Anonymous clients see published items and accepted stories; a token (or an editor's
session, whose writes need its CSRF token in `X-CSRF-Token`) also sees the inbox and the
suggestions, and writes as its scopes allow (`x-scopes` on each write)."""


def document() -> dict[str, Any]:
    doc = get_openapi(
        title="Tribune API",
        version=__version__,
        description=DESCRIPTION,
        routes=router.routes,
    )
    for operations in doc.get("paths", {}).values():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[0] in "45" and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
            if method == "get" and "security" in operation:
                operation["security"] = [{}, *operation["security"]]
    return doc


def install(app: FastAPI) -> None:
    """Serve :func:`document` as the app's OpenAPI document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document()
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

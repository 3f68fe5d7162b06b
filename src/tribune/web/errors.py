"""Errors as readers and machines expect them: an HTML page on the site, RFC 9457 problem
details (``application/problem+json``) under ``/api``; never a stack trace."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from tribune.web.render import HTML, render

log = logging.getLogger("tribune.web")
PROBLEM = "application/problem+json"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(
    status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> Response:
    body = {"type": "about:blank", "title": _title(status), "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _wants_problem(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_page(
    request: Request, status: int, detail: str, headers: dict[str, str] | None = None
) -> Response:
    if _wants_problem(request):
        return problem(status, detail, headers)
    body = render(request, "error.html", status=status, title=_title(status), detail=detail)
    return Response(body, status_code=status, media_type=HTML, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 304:
            return Response(status_code=304, headers=headers)
        return error_page(request, exc.status_code, str(exc.detail), headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'][1:]) or 'request'}: {e['msg']}" for e in errors)
        if _wants_problem(request):
            return problem(422, detail, errors=errors)
        return error_page(request, 422, detail)

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_page(request, 500, "Something went wrong on our side; it has been logged.")

"""Answers to GET requests, with an ETag and 304 Not Modified, as the reader pages have.

The answer is built in one read transaction together with the site generation
(:mod:`tribune.db.generation`); its ETag is the generation and a checksum of the body, the same
in every worker, so a client revalidating with ``If-None-Match`` gets 304 while nothing it sees
changed. Bodies are built afresh each time (the checksum makes the tag right even for what the
generation does not follow, such as the inbox); answers to newsroom clients are private.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database

JSON = "application/json"


def etag_of(gen: int, body: bytes) -> str:
    return f'"{gen:x}-{zlib.crc32(body):08x}"'


def _matches(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match")
    if wanted is None:
        return False
    tags = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    return etag in tags or "*" in tags


def body_of(model: BaseModel) -> bytes:
    return model.model_dump_json(exclude_unset=True).encode()


def json_response(
    model: BaseModel, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """An answer that is not cached (writes)."""
    return Response(body_of(model), status_code=status, media_type=JSON, headers=headers)


def answer(
    request: Request, build: Callable[[Connection], BaseModel], *, private: bool
) -> Response:
    """The model *build* makes, as JSON with its ETag; 304 when the client has it already."""
    db: Database = request.app.state.db
    with db.read() as conn:
        gen = generation.current(conn)
        model = build(conn)
    body = body_of(model)
    etag = etag_of(gen, body)
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-cache" if private else "public, max-age=0, must-revalidate",
        "Vary": "Authorization, Cookie",
    }
    if _matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=JSON, headers=headers)

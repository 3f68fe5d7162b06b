"""Opaque cursors: the position after the last entry of a page, as URL-safe base64 of JSON.

A list ordered by a key (date and id, or id) carries the last entry's key, so that the next page
starts right after it however many entries arrive meanwhile: no entry repeats, none is skipped.
Ranked lists (search hits, names matched) carry an offset instead. Each list checks that a
cursor has the shape it made (:class:`CursorError` otherwise: 400).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from fastapi import HTTPException

MAX_ID = 2**62
MAX_OFFSET = 1_000_000


class CursorError(HTTPException):
    def __init__(self) -> None:
        super().__init__(400, "cursor: not a cursor of this list; start again without one.")


def encode(*parts: Any) -> str:
    raw = json.dumps(list(parts), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise CursorError() from exc
    if not isinstance(parts, list):
        raise CursorError()
    return parts


def offset(cursor: str | None, kind: str) -> int:
    """The offset a ranked list's cursor holds (0 without a cursor)."""
    if not cursor:
        return 0
    parts = _decode(cursor)
    if len(parts) != 2 or parts[0] != kind or type(parts[1]) is not int:
        raise CursorError()
    if not 0 <= parts[1] <= MAX_OFFSET:
        raise CursorError()
    return int(parts[1])


def after_id(cursor: str | None, kind: str) -> str | None:
    """The last id of a list ordered by a text id."""
    if not cursor:
        return None
    parts = _decode(cursor)
    if len(parts) != 2 or parts[0] != kind or not isinstance(parts[1], str):
        raise CursorError()
    if len(parts[1]) > 200 or "\x00" in parts[1]:
        raise CursorError()
    return parts[1]


def after_time(cursor: str | None, kind: str) -> tuple[datetime, int] | None:
    """The last (time, numeric id) of a list ordered newest first."""
    if not cursor:
        return None
    parts = _decode(cursor)
    if len(parts) != 3 or parts[0] != kind or type(parts[2]) is not int:
        raise CursorError()
    if not 0 <= parts[2] < MAX_ID:
        raise CursorError()
    try:
        when = datetime.fromisoformat(str(parts[1]))
    except ValueError as exc:
        raise CursorError() from exc
    if when.tzinfo is None or not 1 < when.year < 9999:
        raise CursorError()
    return when, int(parts[2])

"""Template filters and globals: URLs of things, dates, highlighted snippets."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from jinja2 import Environment
from markupsafe import Markup, escape

from tribune.db.search import MARK_END, MARK_START


def item_url(card: Any) -> str:
    return f"/items/{card.public_id}/{card.slug or 'item'}"


def entity_url(kind: str, entity_id: str) -> str:
    prefix = {"org": "orgs", "person": "people", "event": "events", "country": "countries"}
    return f"/{prefix[kind]}/{entity_id}"


def day(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def highlight(snippet: str) -> Markup:
    """A search snippet, escaped, with its match marks turned into ``<mark>`` (and accented
    letters the index stores decomposed composed again)."""
    safe = str(escape(unicodedata.normalize("NFC", snippet)))
    return Markup(safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def install(env: Environment) -> None:
    env.globals.update(item_url=item_url, entity_url=entity_url)
    env.filters.update(day=day, iso=iso, highlight=highlight)

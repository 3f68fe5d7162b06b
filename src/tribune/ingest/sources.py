"""Sources: the sites Tribune polls, one row each, with their polling state as data.

A source belongs to an organisation, has a kind (``feed``, ``page``, ``sitemap``, or ``auto``,
resolved at the first poll), a language hint, a polling interval range and its rights
(``full-text``, or ``excerpt``: readers then see the lead and a link, never the body).
:func:`add_source` checks the URL and stores the row without fetching anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import items, organizations, sources
from tribune.db.types import new_public_id, utcnow
from tribune.ingest.adapters import ADAPTERS
from tribune.ingest.pagelist import RecipeError, check_recipe

KINDS = tuple(ADAPTERS)  # feed, sitemap, page, auto
RIGHTS = ("full-text", "excerpt")
STATES = ("active", "paused")
LIST_FIELDS = (
    "id",
    "url",
    "kind",
    "org_id",
    "state",
    "last_success_at",
    "last_error",
    "last_error_at",
    "error_count",
    "next_check_at",
    "items_30d",
)


class SourceError(ValueError):
    """A source that cannot be stored as given; the message says why."""


@dataclass(frozen=True)
class NewSource:
    url: str
    org_id: str | None  # None for a portal that speaks for no single organisation
    kind: str = "auto"
    language: str = ""
    rights: str = "full-text"
    min_interval_s: int = 900
    max_interval_s: int = 86400
    recipe: dict[str, Any] | None = None
    title: str = ""


def check_url(url: str) -> str:
    """The URL, stripped, if it is an absolute http(s) URL with a host; else SourceError."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise SourceError(f"{url!r} is not an http or https URL")
    if not parts.hostname:
        raise SourceError(f"{url!r} has no host")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise SourceError(f"{url!r} has a bad port") from None
    return url


def load_recipe(path: Path) -> dict[str, Any]:
    """A listing-page recipe from a JSON file (CSS selectors or XPath for links, title, date)."""
    try:
        recipe = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"cannot read the recipe {path}: {exc}") from None
    if not isinstance(recipe, dict) or not isinstance(recipe.get("links"), str):
        raise SourceError(f'the recipe {path} needs a "links" selector (a string)')
    try:
        check_recipe(recipe)
    except RecipeError as exc:
        raise SourceError(f"the recipe {path}: {exc}") from None
    return recipe


def add_source(db: Database, new: NewSource) -> str:
    """Store a source without fetching it; returns its public id."""
    url = check_url(new.url)
    if new.kind not in KINDS:
        raise SourceError(f"unknown kind {new.kind!r}: use one of {', '.join(KINDS)}")
    if new.rights not in RIGHTS:
        raise SourceError(f"unknown rights {new.rights!r}: use one of {', '.join(RIGHTS)}")
    if not 0 < new.min_interval_s <= new.max_interval_s:
        raise SourceError("the polling interval needs 0 < minimum <= maximum")
    if new.recipe is not None:
        if new.kind not in ("page", "auto") or "links" not in new.recipe:
            raise SourceError('a recipe is for page sources and needs a "links" selector')
        try:
            check_recipe(new.recipe)
        except RecipeError as exc:
            raise SourceError(str(exc)) from None
    public_id = new_public_id()
    with db.write() as conn:
        if (
            new.org_id is not None
            and conn.execute(
                sa.select(organizations.c.id).where(organizations.c.id == new.org_id)
            ).first()
            is None
        ):
            raise SourceError(f"no organisation with id {new.org_id!r}")
        if conn.execute(sa.select(sources.c.id).where(sources.c.url == url)).first() is not None:
            raise SourceError(f"the source {url} exists already")
        conn.execute(
            sa.insert(sources).values(
                public_id=public_id,
                org_id=new.org_id,
                kind=new.kind,
                url=url,
                recipe=new.recipe,
                language=new.language,
                rights=new.rights,
                state="active",
                min_interval_s=new.min_interval_s,
                max_interval_s=new.max_interval_s,
                interval_s=new.min_interval_s,
                next_check_at=utcnow(),
                error_count=0,
                title=new.title,
            )
        )
    return public_id


def list_sources(db: Database, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every source with its health, failing ones first (DESIGN §6 field names)."""
    now = now or utcnow()
    recent = (
        sa.select(items.c.source_id, sa.func.count().label("n"))
        .where(items.c.fetched_at >= now - timedelta(days=30))
        .group_by(items.c.source_id)
        .subquery()
    )
    query = (
        sa.select(sources, sa.func.coalesce(recent.c.n, 0).label("items_30d"))
        .outerjoin(recent, recent.c.source_id == sources.c.id)
        .order_by(sources.c.error_count.desc(), sources.c.id)
    )
    with db.read() as conn:
        rows = conn.execute(query).mappings().all()
    out = []
    for r in rows:
        record = {name: r[name] for name in LIST_FIELDS if name not in ("id",)}
        record["id"] = r["public_id"]
        for key in ("last_success_at", "last_error_at", "next_check_at"):
            value = record[key]
            record[key] = value.isoformat() if value is not None else None
        out.append({name: record[name] for name in LIST_FIELDS} | {"title": r["title"]})
    return out

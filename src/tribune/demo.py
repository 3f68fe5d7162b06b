"""The demo: a database with the KB, sample party sites gathered into it, the linker at work.

The sample texts are written for the demo (``data/demo/sample_texts.jsonl``): they show the
acronyms, typos and ambiguities the linker is built for. The sample sites
(``data/demo/sites/``, listed in ``data/demo/sites.json``) are served by the replay server on
loopback: party sites with and without feeds in six languages, a portal that republishes (a
party's statement, and a joint statement with more signatories than the original), and later
versions of some pages (an edited article, a joint statement whose signatures grow) that the
demo publishes between its two polls.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.migrate import upgrade
from tribune.db.tables import item_revisions, items, sources
from tribune.ingest.poll import SourceReport, poll
from tribune.ingest.sources import NewSource, add_source
from tribune.kb.load import load_kb
from tribune.newsroom.items import set_featured, set_status
from tribune.newsroom.joint_suggestions import accept, pending
from tribune.newsroom.policy import Actor
from tribune.newsroom.users import set_password
from tribune.replay import ReplayServer
from tribune.understand.link import get_linker
from tribune.understand.mention import Mention

DEFAULT_DEMO_URL = "sqlite:///tribune-demo.db"


@dataclass(frozen=True)
class Sample:
    text: str
    date: date | None
    source_org: str | None


def sample_texts() -> list[Sample]:
    raw = resources.files("tribune.data").joinpath("demo/sample_texts.jsonl").read_text("utf-8")
    out = []
    for line in raw.splitlines():
        if line.strip():
            record = json.loads(line)
            day = date.fromisoformat(record["date"]) if record.get("date") else None
            out.append(Sample(record["text"], day, record.get("source_org")))
    return out


def build_demo(db: Database) -> list[tuple[Sample, list[Mention]]]:
    """Create or upgrade the demo database, load the KB, and link the sample texts."""
    upgrade(db)
    load_kb(db)
    linker = get_linker(db)
    return [(s, linker.link(s.text, date=s.date, source_org=s.source_org)) for s in sample_texts()]


# --- the demo's party sites ------------------------------------------------------------------

SITES_PORT_BASE = 8101  # the replay sites listen on 8101, 8102, ... (sorted by name)


@dataclass(frozen=True)
class DemoSite:
    """One sample site of ``data/demo/sites.json`` and the source that reads it."""

    site: str
    org: str | None  # None: a portal speaking for no single organisation
    kind: str
    path: str
    language: str
    rights: str
    recipe: dict[str, Any] | None
    title: str


def sites_root() -> Path:
    """The directory of the sample sites, one subdirectory each, as the replay server wants."""
    return Path(str(resources.files("tribune.data").joinpath("demo/sites")))


def demo_sites() -> list[DemoSite]:
    raw = resources.files("tribune.data").joinpath("demo/sites.json").read_text("utf-8")
    return [
        DemoSite(
            site=s["site"],
            org=s.get("org"),
            kind=s["kind"],
            path=s["path"],
            language=s.get("language", ""),
            rights=s.get("rights", "full-text"),
            recipe=s.get("recipe"),
            title=s.get("title", ""),
        )
        for s in json.loads(raw)
    ]


def add_demo_sources(db: Database, server: ReplayServer) -> int:
    """A source for every sample site; those already there are kept. Returns how many were added."""
    with db.read() as conn:
        known = set(conn.execute(sa.select(sources.c.url)).scalars())
    added = 0
    for s in demo_sites():
        url = server.url(s.site, s.path)
        if url in known:
            continue
        new = NewSource(
            url=url,
            org_id=s.org,
            kind=s.kind,
            language=s.language,
            rights=s.rights,
            recipe=s.recipe,
            title=s.title,
        )
        add_source(db, new)
        added += 1
    return added


@dataclass
class GatherReport:
    """What the demo's two polls gathered."""

    first: list[SourceReport] = field(default_factory=list)
    second: list[SourceReport] = field(default_factory=list)
    published_later: dict[str, list[str]] = field(default_factory=dict)
    revised: list[str] = field(default_factory=list)  # titles of items with several revisions


def gather_demo(
    db: Database,
    server: ReplayServer,
    settings: Settings,
    *,
    on_start: Callable[[int], None] | None = None,
    on_done: Callable[[SourceReport], None] | None = None,
) -> GatherReport:
    """Poll every sample site; then publish their later versions (an edited article, a joint
    statement with more signatures, new statements) and poll again, re-fetching every item."""
    report = GatherReport()
    report.first = poll(db, which="all", settings=settings, on_start=on_start, on_done=on_done)
    report.published_later = server.publish_later()
    report.second = poll(
        db, which="all", settings=settings, refetch="all", on_start=on_start, on_done=on_done
    )
    with db.read() as conn:
        several = (
            sa.select(item_revisions.c.item_id)
            .group_by(item_revisions.c.item_id)
            .having(sa.func.count() > 1)
        )
        query = sa.select(items.c.title).where(items.c.id.in_(several)).order_by(items.c.id)
        report.revised = list(conn.execute(query).scalars())
    return report


DEMO_EDITOR = "editor"
_DEMO_ACTOR = Actor(name="demo", role="admin", via="cli")


@dataclass(frozen=True)
class Newsroom:
    published: int
    featured: int
    left_in_inbox: int
    compilation: str = ""  # the headline of the compilation the demo started


def start_demo_compilation(db: Database) -> str:
    """Accept the suggested compilation with the most voices, as an editor would, so the
    public site shows one "(To be updated)"; the other suggestions wait in the inbox."""
    from tribune.newsroom import story_suggestions as suggest

    with db.read() as conn:
        found = suggest.compilation_suggestions(conn, limit=100)
    if not found:
        return ""
    best = max(found, key=lambda c: (len(c.org_ids), c.story_public_id))
    suggest.answer_compilation(db, _DEMO_ACTOR, best.story_public_id, accept=True)
    return best.headline


def publish_demo(db: Database, featured: int = 3) -> Newsroom:
    """Publish two items of three (oldest first; the third of each three stays in the inbox)
    and feature the newest published, so the site is full on first start. Runs once: when
    anything is published already, it changes nothing."""
    with db.read() as conn:
        done = conn.execute(
            sa.select(sa.func.count())
            .select_from(items)
            .where(items.c.status.in_(("published", "rejected", "withdrawn")))
        ).scalar()
        waiting = [
            public_id
            for (public_id,) in conn.execute(
                sa.select(items.c.public_id)
                .where(items.c.status == "inbox")
                .order_by(items.c.published_at.asc().nulls_last(), items.c.id)
            )
        ]
    if done:
        return Newsroom(0, 0, len(waiting))
    chosen = [p for n, p in enumerate(waiting) if n % 3 != 2]
    for public_id in chosen:
        set_status(db, _DEMO_ACTOR, public_id, "published")
    for public_id in chosen[-featured:]:
        set_featured(db, _DEMO_ACTOR, public_id, True)
    return Newsroom(
        len(chosen),
        min(featured, len(chosen)),
        len(waiting) - len(chosen),
        start_demo_compilation(db),
    )


def sign_demo(db: Database) -> list[tuple[str, int, int]]:
    """Accept the joint statements the signatures stage found whose list grew (a later
    revision or a copy on another site carries more signatories) and publish them, so the
    site shows one with its dated history and the "New signatures updated" marker; the other
    suggestions wait for an editor. Returns (title, signatories, added later) of each; a run
    that finds none pending (the second demo on one database) changes nothing."""
    with db.read() as conn:
        grown = [s for s in pending(conn) if any(signer.later for signer in s.signers)]
    done = []
    for found in grown:
        accept(db, _DEMO_ACTOR, found.public_id)
        if found.status != "published":
            set_status(db, _DEMO_ACTOR, found.public_id, "published")
        later = sum(1 for signer in found.signers if signer.later)
        done.append((found.title, len(found.signers), later))
    return done


def demo_login(db: Database) -> str:
    """A fresh password for the demo's editor (created on first use); shown once."""
    password = secrets.token_urlsafe(12)
    set_password(db, DEMO_EDITOR, password, "editor", _DEMO_ACTOR)
    return password

"""Gathered items for web tests, written through the same tables ingest writes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import item_revisions, items, mentions, sources
from tribune.db.types import new_public_id


@dataclass
class Seeded:
    """Public ids of the seeded items by a short name."""

    ids: dict[str, str] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)


BASE = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def add_source(db: Database, org_id: str | None, url: str, rights: str = "full-text") -> int:
    with db.write() as conn:
        return int(
            conn.execute(
                sources.insert().values(
                    public_id=new_public_id(),
                    org_id=org_id,
                    kind="feed",
                    url=url,
                    rights=rights,
                    language="",
                    state="active",
                    min_interval_s=900,
                    max_interval_s=86400,
                    interval_s=3600,
                    error_count=0,
                )
            ).inserted_primary_key[0]
        )


def add_item(
    db: Database,
    source_id: int | None,
    title: str,
    body: str,
    *,
    status: str = "inbox",
    language: str = "en",
    when: datetime = BASE,
    links: tuple[tuple[str, str], ...] = (),
    lead: str = "",
    slug: str = "",
) -> str:
    """One item with its first revision and its mentions (type, entity id)."""
    public_id = new_public_id()
    digest = hashlib.sha256(body.encode()).hexdigest()
    with db.write() as conn:
        item_id = conn.execute(
            items.insert().values(
                public_id=public_id,
                slug=slug,
                source_id=source_id,
                url=f"http://party.example/{public_id}",
                canonical_url=f"http://party.example/{public_id}",
                title=title,
                lead=lead or body.split(". ")[0],
                body_html=f"<p>{body}</p>",
                body_text=body,
                language=language,
                published_at=when,
                fetched_at=when,
                content_hash=digest,
                status=status,
                featured=False,
                correction="",
                created_at=when,
                updated_at=when,
            )
        ).inserted_primary_key[0]
        conn.execute(
            item_revisions.insert().values(
                item_id=item_id,
                content_hash=digest,
                title=title,
                body_html=f"<p>{body}</p>",
                body_text=body,
                fetched_at=when,
            )
        )
        for n, (kind, entity_id) in enumerate(links):
            conn.execute(
                mentions.insert().values(
                    item_id=item_id,
                    field="body",
                    start=n,
                    end=n + 1,
                    surface=entity_id,
                    type=kind,
                    entity_id=entity_id,
                    confidence=0.9,
                    version="test",
                )
            )
    return public_id


def publish_directly(db: Database, public_id: str) -> None:
    """Publish through the newsroom's own action (search index, generation, audit)."""
    from tribune.newsroom.items import set_status
    from tribune.newsroom.policy import Actor

    set_status(db, Actor(name="seed", role="admin", via="cli"), public_id, "published")


def seed_site(db: Database) -> Seeded:
    seeded = Seeded()
    kke = add_source(db, "gr-kke", "http://kke.example/feed")
    tkp = add_source(db, "tr-tkp", "http://tkp.example/feed")
    seeded.sources = {"kke": kke, "tkp": tkp}
    s = seeded.ids
    s["kke-venezuela"] = add_item(
        db,
        kke,
        "KKE on the elections in Venezuela",
        "The Communist Party of Greece expresses its solidarity with the people of Venezuela. "
        "The elections showed the will of the working class.",
        when=BASE,
        links=(("org", "gr-kke"), ("country", "VE")),
    )
    s["tkp-izmir"] = add_item(
        db,
        tkp,
        "The 21st IMCWP has started in İzmir",
        "Co-hosted by the Communist Party of Greece and the Communist Party of Turkey, the 21st "
        "meeting has started today in İzmir.",
        when=BASE + timedelta(hours=2),
        links=(("org", "tr-tkp"), ("org", "gr-kke")),
    )
    s["kke-inbox"] = add_item(
        db,
        kke,
        "Statement still waiting in the inbox",
        "This statement has not been read by an editor yet. It must not be public.",
        when=BASE + timedelta(hours=3),
    )
    for name in ("kke-venezuela", "tkp-izmir"):
        publish_directly(db, s[name])
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(items)).scalar() == 3
    return seeded

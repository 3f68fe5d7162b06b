"""One item as its reader page and the API show it: the text, what it concerns, its history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import (
    countries,
    events,
    item_revisions,
    items,
    joint_statements,
    people,
    sources,
    stories,
    story_items,
)
from tribune.reading.links import effective_links
from tribune.reading.listing import Card, Filters, cards_of, listing_query
from tribune.reading.orgs import OrgLabel, org_labels


@dataclass(frozen=True)
class Link:
    """Something an item concerns: ``type`` org, person, event or country, with its label."""

    type: str
    id: str
    label: str


@dataclass(frozen=True)
class StoryRef:
    slug: str
    title: str
    state: str


@dataclass(frozen=True)
class ItemView:
    card: Card
    status: str
    correction: str
    source_url: str
    revised_at: datetime | None  # when a later fetch changed the text
    concerns: dict[str, list[Link]] = field(default_factory=dict)
    stories: list[StoryRef] = field(default_factory=list)
    editions: list[Card] = field(default_factory=list)
    joint_public_id: str | None = None  # when the item is a joint statement


class ItemGone(LookupError):
    """The item was withdrawn: readers get 410 and the correction note."""

    def __init__(self, title: str, correction: str) -> None:
        super().__init__(title)
        self.title = title
        self.correction = correction


def find_item(conn: Connection, public_id: str) -> ItemView | None:
    """A published item by public id; None when there is none; :class:`ItemGone` if withdrawn."""
    row = conn.execute(
        sa.select(items.c.id, items.c.status, items.c.title, items.c.correction).where(
            items.c.public_id == public_id
        )
    ).first()
    if row is None or row.status not in ("published", "withdrawn"):
        return None
    if row.status == "withdrawn":
        raise ItemGone(row.title, row.correction)
    return item_view(conn, row.id)


def item_view(conn: Connection, item_id: int) -> ItemView:
    query = listing_query(Filters(ids=(item_id,)))
    card = cards_of(conn, list(conn.execute(query)))[0]
    extra = conn.execute(
        sa.select(items.c.status, items.c.correction, items.c.edition_of, sources.c.org_id)
        .select_from(items.outerjoin(sources, sources.c.id == items.c.source_id))
        .where(items.c.id == item_id)
    ).one()
    revisions = conn.execute(
        sa.select(sa.func.count(), sa.func.max(item_revisions.c.fetched_at)).where(
            item_revisions.c.item_id == item_id
        )
    ).one()
    concerns = _concerns(conn, item_id, extra.org_id)
    card = Card(**{**card.__dict__, "orgs": _org_cards(card.publisher, concerns)})
    return ItemView(
        card=card,
        status=extra.status,
        correction=extra.correction,
        source_url=card.url,
        revised_at=revisions[1] if revisions[0] > 1 else None,
        concerns=concerns,
        stories=_stories(conn, item_id),
        editions=_editions(conn, item_id, extra.edition_of),
        joint_public_id=conn.execute(
            sa.select(joint_statements.c.public_id).where(joint_statements.c.item_id == item_id)
        ).scalar(),
    )


def _org_cards(publisher: OrgLabel | None, concerns: dict[str, list[Link]]) -> list[OrgLabel]:
    found = [publisher] if publisher else []
    seen = {o.id for o in found}
    for link in concerns.get("org", []):
        if link.id not in seen:
            seen.add(link.id)
            found.append(OrgLabel(link.id, link.label, "", None))
    return found


def _concerns(conn: Connection, item_id: int, publisher: str | None) -> dict[str, list[Link]]:
    """Linked entities of the item, by type, each once, in order of first mention; editors'
    decisions applied (:func:`tribune.reading.links.effective_links`)."""

    rows = effective_links(conn, [item_id]).get(item_id, [])
    ids: dict[str, list[str]] = {}
    for kind, entity_id in rows:
        bucket = ids.setdefault(kind, [])
        if entity_id not in bucket:
            bucket.append(entity_id)
    if publisher and publisher not in ids.get("org", []):
        ids.setdefault("org", []).insert(0, publisher)
    labels: dict[str, dict[str, str]] = {
        "org": {k: v.name for k, v in org_labels(conn, ids.get("org", [])).items()},
        "person": _names(conn, people.c.id, people.c.name, ids.get("person", [])),
        "event": _names(conn, events.c.id, events.c.name_en, ids.get("event", [])),
        "country": _names(conn, countries.c.code, countries.c.name_en, ids.get("country", [])),
    }
    return {
        kind: [Link(kind, i, labels.get(kind, {}).get(i, i)) for i in found]
        for kind, found in ids.items()
        if kind in labels
    }


def _names(
    conn: Connection, key: sa.Column[str], name: sa.Column[str], wanted: list[str]
) -> dict[str, str]:
    if not wanted:
        return {}
    return {str(k): str(v) for k, v in conn.execute(sa.select(key, name).where(key.in_(wanted)))}


def _stories(conn: Connection, item_id: int) -> list[StoryRef]:
    rows = conn.execute(
        sa.select(stories.c.slug, stories.c.title, stories.c.state)
        .join(story_items, story_items.c.story_id == stories.c.id)
        .where(
            story_items.c.item_id == item_id,
            story_items.c.version.is_(None),
            stories.c.accepted.is_(True),
        )
        .order_by(stories.c.created_at)
    )
    return [StoryRef(r.slug, r.title, r.state) for r in rows]


def _editions(conn: Connection, item_id: int, edition_of: int | None) -> list[Card]:
    """The same statement in other languages: items grouped under one ``edition_of``."""
    root = edition_of or item_id
    ids = [
        i
        for (i,) in conn.execute(
            sa.select(items.c.id).where(
                sa.or_(items.c.id == root, items.c.edition_of == root), items.c.id != item_id
            )
        )
    ]
    if not ids:
        return []
    return cards_of(conn, list(conn.execute(listing_query(Filters(ids=tuple(ids))))))

"""The response tracker: which members of the network have spoken in a story, and which have
not, grouped by UN M.49 region (the region of the organisation's country)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import countries, organizations
from tribune.reading.listing import Filters, listing_query
from tribune.reading.stories import StoryView


@dataclass
class Voice:
    id: str
    name: str
    country: str | None
    items: list[str] = field(default_factory=list)  # public ids of its entries
    first_added_at: datetime | None = None


@dataclass
class Region:
    region: str | None  # None: organisations with no country
    spoken: list[Voice] = field(default_factory=list)
    silent: list[Voice] = field(default_factory=list)


@dataclass(frozen=True)
class Responses:
    members: int
    spoken: int
    regions: list[Region]

    @property
    def silent(self) -> int:
        return self.members - self.spoken


def responses(conn: Connection, view: StoryView) -> Responses:
    """Who has spoken in a story: the publishers of its entries."""
    spoken: dict[str, tuple[list[str], datetime]] = {}
    for entry in view.entries:
        publisher = entry.card.publisher
        if publisher is None:
            continue
        ids, first = spoken.get(publisher.id, ([], entry.added_at))
        spoken[publisher.id] = ([*ids, entry.card.public_id], min(first, entry.added_at))
    return _tracker(conn, spoken)


def event_responses(conn: Connection, event_id: str) -> Responses:
    """Who has spoken on an event: the publishers of the published items linked to it."""
    rows = conn.execute(listing_query(Filters(event=event_id))).all()
    spoken: dict[str, tuple[list[str], datetime | None]] = {}
    for row in sorted(rows, key=lambda r: (r.published_at is None, r.published_at, r.id)):
        if not row.org_id:
            continue
        ids, first = spoken.get(row.org_id, ([], row.published_at))
        spoken[row.org_id] = ([*ids, row.public_id], first)
    return _tracker(conn, spoken)


def _tracker(
    conn: Connection, spoken: Mapping[str, tuple[list[str], datetime | None]]
) -> Responses:
    """The network's members (KB ``network_member`` yes) that have spoken (*spoken*: their
    items and the first one's date), and those that have not; regions in alphabetical order
    (no region last), organisations by country, then name."""
    o = organizations.c
    members = conn.execute(
        sa.select(o.id, o.name_en, o.country, countries.c.region)
        .outerjoin(countries, countries.c.code == o.country)
        .where(o.network_member == "yes")
        .order_by(o.country, o.name_en, o.id)
    ).all()
    regions: dict[str | None, Region] = {}
    for m in members:
        region = m.region or None
        group = regions.setdefault(region, Region(region))
        if m.id in spoken:
            ids, first = spoken[m.id]
            group.spoken.append(Voice(m.id, m.name_en, m.country, ids, first))
        else:
            group.silent.append(Voice(m.id, m.name_en, m.country))
    said = sum(len(g.spoken) for g in regions.values())
    ordered = sorted(regions.values(), key=lambda g: (g.region is None, g.region or ""))
    return Responses(len(members), said, ordered)

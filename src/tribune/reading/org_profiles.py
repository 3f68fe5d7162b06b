"""Organisations' profiles: names through the years, parent and children, people, hosted
events, the joint statements they signed; and where a merged organisation id went.

Unknown ids give None; an organisation id that was merged into another is answered by
:func:`org_redirect`, not by the profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import (
    event_hosts,
    events,
    items,
    joint_statements,
    org_names,
    org_redirects,
    organizations,
    roles,
    signatures,
    sources,
)
from tribune.reading.listing import Card, Filters, cards_of, listing_query
from tribune.reading.profiles import OrgRef, RoleRecord, country_name, role_records

__all__ = [
    "EventRef",
    "NameRecord",
    "OrgProfile",
    "find_org",
    "joint_statements_signed",
    "org_redirect",
    "orgs_with_items",
]


@dataclass(frozen=True)
class NameRecord:
    """One name an organisation went by, and when (None: not known, or still in use)."""

    name: str
    kind: str  # official, acronym, variant
    language: str
    valid_from: date | None
    valid_to: date | None
    certain: bool
    notes: str

    @property
    def current(self) -> bool:
        return self.valid_to is None


@dataclass(frozen=True)
class EventRef:
    id: str
    name: str
    start: date | None


@dataclass(frozen=True)
class OrgProfile:
    id: str
    name: str
    native_name: str
    kind: str
    country: str | None
    country_name: str | None
    websites: list[str]
    network_member: str  # yes, no, unknown
    notes: str
    year_first: int | None
    year_last: int | None
    wikipedia: str
    wikidata_id: str | None
    partyfacts_id: int | None
    parent: OrgRef | None
    children: list[OrgRef] = field(default_factory=list)  # youth wings, papers, fronts
    names: list[NameRecord] = field(default_factory=list)
    people: list[RoleRecord] = field(default_factory=list)
    events: list[EventRef] = field(default_factory=list)  # events it hosted


def org_redirect(conn: Connection, org_id: str) -> str | None:
    """The id an organisation was merged into, if *org_id* is a merged one."""
    found = conn.execute(
        sa.select(org_redirects.c.new_id).where(org_redirects.c.old_id == org_id)
    ).scalar()
    return str(found) if found is not None else None


def _websites(value: str) -> list[str]:
    """The organisation's sites as URLs (the KB keeps bare hosts, several joined by ``|``)."""
    out = []
    for raw in value.split("|"):
        site = raw.strip()
        if site:
            out.append(site if "://" in site else f"https://{site}")
    return out


def _names(conn: Connection, org_id: str) -> list[NameRecord]:
    """Names once each: the same name from two seed columns shows once, and a name without
    dates is left out when the same name is also known with its dates. Names in use first,
    then former ones, latest first."""
    n = org_names.c
    rows = conn.execute(
        sa.select(n.name, n.kind, n.language, n.valid_from, n.valid_to, n.certain, n.notes)
        .where(n.org_id == org_id, n.removed.is_(False))
        .order_by(n.position, n.id)
    ).all()
    seen: dict[tuple[str, date | None, date | None], NameRecord] = {}
    for r in rows:
        key = (r.name, r.valid_from, r.valid_to)
        if key in seen:
            # keep the more informative of two copies (the one with a language, a note)
            old = seen[key]
            if (not old.language and r.language) or (not old.notes and r.notes):
                seen[key] = NameRecord(
                    old.name,
                    old.kind,
                    old.language or r.language,
                    old.valid_from,
                    old.valid_to,
                    old.certain and bool(r.certain),
                    old.notes or r.notes,
                )
            continue
        seen[key] = NameRecord(
            r.name, r.kind, r.language, r.valid_from, r.valid_to, bool(r.certain), r.notes
        )
    dated = {x.name for x in seen.values() if x.valid_from or x.valid_to}
    kept = [x for x in seen.values() if x.valid_from or x.valid_to or x.name not in dated]
    kinds = {"official": 0, "acronym": 1, "variant": 2}
    return sorted(
        kept,
        key=lambda x: (
            not x.current,
            -(x.valid_to or date.max).toordinal(),
            kinds.get(x.kind, 3),
        ),
    )


def find_org(conn: Connection, org_id: str) -> OrgProfile | None:
    """An organisation's profile, or None (see :func:`org_redirect` for merged ids)."""
    o = organizations.c
    org = conn.execute(sa.select(organizations).where(o.id == org_id)).first()
    if org is None:
        return None
    parent = None
    if org.parent_id is not None:
        row = conn.execute(
            sa.select(o.id, o.name_en, o.country, o.kind).where(o.id == org.parent_id)
        ).first()
        if row is not None:
            parent = OrgRef(row.id, row.name_en, row.country, row.kind)
    children = [
        OrgRef(r.id, r.name_en, r.country, r.kind)
        for r in conn.execute(
            sa.select(o.id, o.name_en, o.country, o.kind)
            .where(o.parent_id == org_id)
            .order_by(o.name_en, o.id)
        )
    ]
    hosted = [
        EventRef(r.id, r.name_en, r.start)
        for r in conn.execute(
            sa.select(events.c.id, events.c.name_en, events.c.start)
            .join(event_hosts, event_hosts.c.event_id == events.c.id)
            .where(event_hosts.c.org_id == org_id)
            .order_by(events.c.start.desc().nulls_last(), events.c.id)
        )
    ]
    return OrgProfile(
        id=org.id,
        name=org.name_en,
        native_name=org.native_name,
        kind=org.kind,
        country=org.country,
        country_name=country_name(conn, org.country),
        websites=_websites(org.website),
        network_member=org.network_member,
        notes=org.notes,
        year_first=org.year_first,
        year_last=org.year_last,
        wikipedia=org.wikipedia,
        wikidata_id=org.wikidata_id,
        partyfacts_id=org.partyfacts_id,
        parent=parent,
        children=children,
        names=_names(conn, org_id),
        people=role_records(conn, roles.c.org_id == org_id),
        events=hosted,
    )


def joint_statements_signed(conn: Connection, org_id: str, *, limit: int = 50) -> list[Card]:
    """The published joint statements that *org_id* signed, newest first."""
    signed = (
        sa.select(joint_statements.c.item_id)
        .join(signatures, signatures.c.joint_statement_id == joint_statements.c.id)
        .where(signatures.c.org_id == org_id)
    )
    query = (
        listing_query(Filters())
        .where(items.c.id.in_(signed))
        .order_by(items.c.published_at.desc(), items.c.id.desc())
        .limit(limit)
    )
    return cards_of(conn, list(conn.execute(query)))


def orgs_with_items(conn: Connection) -> dict[str, datetime]:
    """Organisations that published a published item, with the newest such item's date."""
    rows = conn.execute(
        sa.select(sources.c.org_id, sa.func.max(items.c.published_at))
        .join(items, items.c.source_id == sources.c.id)
        .where(items.c.status == "published", sources.c.org_id.is_not(None))
        .group_by(sources.c.org_id)
        .order_by(sources.c.org_id)
    ).all()
    return {str(org_id): newest for org_id, newest in rows}

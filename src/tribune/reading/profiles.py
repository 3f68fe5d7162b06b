"""Profiles of what readers browse by: organisations, countries, people and events.

Each function takes a connection and returns plain frozen dataclasses (dates as :class:`date`),
the shape the reader pages render and the API can serve. Unknown ids give None; an organisation
id that was merged into another is answered by :func:`org_redirect`, not by the profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import (
    countries,
    event_hosts,
    events,
    items,
    joint_statements,
    org_names,
    org_redirects,
    organizations,
    people,
    person_names,
    roles,
    signatures,
    sources,
    stories,
)
from tribune.reading.listing import Card, Filters, cards_of, listing_query

__all__ = [
    "CountryProfile",
    "EventProfile",
    "EventRef",
    "NameRecord",
    "OrgProfile",
    "OrgRef",
    "PersonProfile",
    "RoleRecord",
    "StoryRef",
    "country_code",
    "find_country",
    "find_event",
    "find_org",
    "find_person",
    "joint_statements_signed",
    "org_redirect",
    "orgs_with_items",
]


@dataclass(frozen=True)
class OrgRef:
    id: str
    name: str
    country: str | None = None
    kind: str = ""


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
class RoleRecord:
    """A title a person held in an organisation."""

    person_id: str
    person_name: str
    org_id: str
    org_name: str
    title: str
    start: date | None
    end: date | None
    notes: str


@dataclass(frozen=True)
class EventRef:
    id: str
    name: str
    start: date | None


@dataclass(frozen=True)
class StoryRef:
    slug: str
    title: str
    state: str


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


@dataclass(frozen=True)
class CountryProfile:
    code: str
    name: str
    region: str
    subregion: str
    orgs: list[OrgRef]  # organisations followed, in the network, or with published items
    other_orgs: list[OrgRef]  # the rest of the KB's organisations of the country


@dataclass(frozen=True)
class PersonProfile:
    id: str
    name: str
    aliases: list[str]
    notes: str
    roles: list[RoleRecord]


@dataclass(frozen=True)
class EventProfile:
    id: str
    name: str
    series: str
    number: int | None
    start: date | None
    end: date | None
    date_precision: str  # day, month, year
    city: str
    country: str | None
    country_name: str | None
    notes: str
    hosts: list[OrgRef]
    stories: list[StoryRef]


def org_redirect(conn: Connection, org_id: str) -> str | None:
    """The id an organisation was merged into, if *org_id* is a merged one."""
    found = conn.execute(
        sa.select(org_redirects.c.new_id).where(org_redirects.c.old_id == org_id)
    ).scalar()
    return str(found) if found is not None else None


def _country_name(conn: Connection, code: str | None) -> str | None:
    if code is None:
        return None
    found = conn.execute(sa.select(countries.c.name_en).where(countries.c.code == code)).scalar()
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


def _roles(conn: Connection, where: sa.ColumnElement[bool]) -> list[RoleRecord]:
    rows = conn.execute(
        sa.select(
            roles.c.person_id,
            people.c.name.label("person_name"),
            roles.c.org_id,
            organizations.c.name_en.label("org_name"),
            roles.c.title,
            roles.c.start,
            roles.c.end,
            roles.c.notes,
        )
        .join(people, people.c.id == roles.c.person_id)
        .join(organizations, organizations.c.id == roles.c.org_id)
        .where(where)
        .order_by(
            roles.c.end.is_not(None),
            roles.c.start.desc().nulls_last(),
            roles.c.position,
            roles.c.id,
        )
    ).all()
    return [
        RoleRecord(
            r.person_id, r.person_name, r.org_id, r.org_name, r.title, r.start, r.end, r.notes
        )
        for r in rows
    ]


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
        country_name=_country_name(conn, org.country),
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
        people=_roles(conn, roles.c.org_id == org_id),
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


def _published_publishers() -> sa.Select[tuple[str]]:
    return (
        sa.select(sources.c.org_id)
        .join(items, items.c.source_id == sources.c.id)
        .where(items.c.status == "published", sources.c.org_id.is_not(None))
    )


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


def find_country(conn: Connection, code: str) -> CountryProfile | None:
    """A country by its ISO code (exact, upper case), with its organisations."""
    row = conn.execute(sa.select(countries).where(countries.c.code == code)).first()
    if row is None:
        return None
    o = organizations.c
    active = set(
        conn.execute(
            sa.select(o.id).where(
                o.country == code,
                sa.or_(
                    o.in_seed.is_(True),
                    o.network_member == "yes",
                    o.id.in_(_published_publishers()),
                ),
            )
        ).scalars()
    )
    orgs: list[OrgRef] = []
    others: list[OrgRef] = []
    for r in conn.execute(
        sa.select(o.id, o.name_en, o.country, o.kind)
        .where(o.country == code)
        .order_by(o.name_en, o.id)
    ):
        (orgs if r.id in active else others).append(OrgRef(r.id, r.name_en, r.country, r.kind))
    return CountryProfile(row.code, row.name_en, row.region, row.subregion, orgs, others)


def country_code(conn: Connection, text: str) -> str | None:
    """The country code *text* names, whatever its case; None for no country."""
    if len(text) != 2:
        return None
    found = conn.execute(
        sa.select(countries.c.code).where(countries.c.code == text.upper())
    ).scalar()
    return str(found) if found is not None else None


def find_person(conn: Connection, person_id: str) -> PersonProfile | None:
    row = conn.execute(sa.select(people).where(people.c.id == person_id)).first()
    if row is None:
        return None
    aliases = [
        str(name)
        for name in conn.execute(
            sa.select(person_names.c.name)
            .where(person_names.c.person_id == person_id, person_names.c.removed.is_(False))
            .order_by(person_names.c.position, person_names.c.id)
        ).scalars()
        if name != row.name
    ]
    return PersonProfile(
        row.id,
        row.name,
        list(dict.fromkeys(aliases)),
        row.notes,
        _roles(conn, roles.c.person_id == person_id),
    )


def find_event(conn: Connection, event_id: str) -> EventProfile | None:
    row = conn.execute(sa.select(events).where(events.c.id == event_id)).first()
    if row is None:
        return None
    o = organizations.c
    hosts = [
        OrgRef(r.id, r.name_en, r.country, r.kind)
        for r in conn.execute(
            sa.select(o.id, o.name_en, o.country, o.kind)
            .join(event_hosts, event_hosts.c.org_id == o.id)
            .where(event_hosts.c.event_id == event_id)
            .order_by(event_hosts.c.position, o.id)
        )
    ]
    told = [
        StoryRef(r.slug, r.title, r.state)
        for r in conn.execute(
            sa.select(stories.c.slug, stories.c.title, stories.c.state)
            .where(stories.c.event_id == event_id, stories.c.accepted.is_(True))
            .order_by(stories.c.created_at, stories.c.id)
        )
    ]
    return EventProfile(
        id=row.id,
        name=row.name_en,
        series=row.series,
        number=row.number,
        start=row.start,
        end=row.end,
        date_precision=row.date_precision,
        city=row.city,
        country=row.country,
        country_name=_country_name(conn, row.country),
        notes=row.notes,
        hosts=hosts,
        stories=told,
    )

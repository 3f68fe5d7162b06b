"""Profiles of what readers browse by: countries, people and events, and the records every
profile shows (organisations, roles). Organisations' own profiles are in
:mod:`tribune.reading.org_profiles`.

Each function takes a connection and returns plain frozen dataclasses (dates as :class:`date`),
the shape the reader pages render and the API can serve. Unknown ids give None.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import (
    countries,
    event_hosts,
    events,
    items,
    organizations,
    people,
    person_names,
    roles,
    sources,
    stories,
)

__all__ = [
    "CountryProfile",
    "EventProfile",
    "OrgRef",
    "PersonProfile",
    "RoleRecord",
    "StoryRef",
    "country_code",
    "country_name",
    "find_country",
    "find_event",
    "find_person",
    "over_time",
    "role_records",
]


@dataclass(frozen=True)
class OrgRef:
    id: str
    name: str
    country: str | None = None
    kind: str = ""


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

    @property
    def period(self) -> str:
        """The term in years: "since 2013", "2005–2016", "until 2016"; "" when undated."""
        first = self.start.year if self.start else None
        last = self.end.year if self.end else None
        if first is not None and last is not None:
            return str(first) if first == last else f"{first}–{last}"
        if first is not None:
            return f"since {first}"
        return f"until {last}" if last is not None else ""


def over_time(records: list[RoleRecord]) -> list[RoleRecord]:
    """Roles in the order they were held: by start (an undated start by its end), the open
    ones after the closed ones that began the same day."""
    return sorted(
        records,
        key=lambda r: (r.start or r.end or date.max, r.end is None, r.end or date.max),
    )


@dataclass(frozen=True)
class StoryRef:
    slug: str
    title: str
    state: str


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
    roles: list[RoleRecord]  # in the order they were held (titles over time)


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


def country_name(conn: Connection, code: str | None) -> str | None:
    """The English name of the country *code* (None for none)."""
    if code is None:
        return None
    found = conn.execute(sa.select(countries.c.name_en).where(countries.c.code == code)).scalar()
    return str(found) if found is not None else None


def role_records(conn: Connection, where: sa.ColumnElement[bool]) -> list[RoleRecord]:
    """The roles *where* chooses: those held now first, then the latest begun."""
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


def _published_publishers() -> sa.Select[tuple[str]]:
    return (
        sa.select(sources.c.org_id)
        .join(items, items.c.source_id == sources.c.id)
        .where(items.c.status == "published", sources.c.org_id.is_not(None))
    )


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
        over_time(role_records(conn, roles.c.person_id == person_id)),
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
        country_name=country_name(conn, row.country),
        notes=row.notes,
        hosts=hosts,
        stories=told,
    )

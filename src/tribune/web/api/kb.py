"""The knowledge base: organisations (with profiles and counts), people and events.

Lists are in id order (events: latest first), paged by cursor; with ``q`` they hold the entries
one of whose names contains the text, ignoring case and diacritics, best matches first
(:func:`tribune.kb.query.search`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db.tables import (
    events,
    items,
    joint_statements,
    organizations,
    people,
    signatures,
    sources,
)
from tribune.kb import query as kb_query
from tribune.reading import org_profiles, profiles
from tribune.reading.links import mentioning
from tribune.web.api import cursors
from tribune.web.api.caching import answer
from tribune.web.api.params import NOT_MODIFIED, Cursor, Key, Limit, problems, site
from tribune.web.api.schemas import (
    Event,
    EventList,
    EventRef,
    Organization,
    OrganizationProfile,
    OrgCounts,
    OrgList,
    OrgName,
    OrgRef,
    Person,
    PersonList,
    Role,
    StoryRef,
)

router = APIRouter(tags=["knowledge base"])
Q = Annotated[str | None, Query(max_length=200, description="a part of one of its names")]
MAX_MATCHES = 10_000


def _matches(request: Request, q: str | None, kind: str) -> list[dict[str, Any]] | None:
    """The KB entries of *kind* whose names contain *q*, best first; None without a query."""
    if q is None or not q.strip():
        return None
    found = kb_query.search(request.app.state.db, q, limit=MAX_MATCHES)
    return [entry for entry in found if entry["type"] == kind]


def _window(
    found: list[Any], cursor: str | None, kind: str, limit: int
) -> tuple[list[Any], str | None]:
    start = cursors.offset(cursor, kind)
    chosen = found[start : start + limit]
    more = len(found) > start + limit
    return chosen, cursors.encode(kind, start + limit) if more else None


# -- organisations -------------------------------------------------------------------------------


def _org(base: str, row: Any) -> Organization:
    return Organization(
        id=row.id,
        name=row.name_en,
        native_name=row.native_name,
        kind=row.kind,
        country=row.country,
        network_member=row.network_member,
        url=f"{base}/orgs/{row.id}",
    )


@router.get(
    "/organizations",
    response_model=OrgList,
    responses={**NOT_MODIFIED, **problems(400)},
    summary="Organisations",
)
def list_organizations(
    request: Request,
    q: Q = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    network_member: Literal["yes", "no", "unknown"] | None = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Organisations of the KB by id, or those matching `q` best first; `country` (ISO code)
    and `network_member` narrow the list."""
    code = country.upper() if country else None
    found = _matches(request, q, "org")
    base = site(request)
    o = organizations.c

    def build(conn: Connection) -> OrgList:
        if found is not None:
            wanted = [
                e["id"]
                for e in found
                if (code is None or e["country"] == code)
                and (network_member is None or e["network_member"] == network_member)
            ]
            chosen, following = _window(wanted, cursor, "orgs-q", limit)
            by_id = {
                r.id: r for r in conn.execute(sa.select(organizations).where(o.id.in_(chosen)))
            }
            return OrgList(
                items=[_org(base, by_id[i]) for i in chosen if i in by_id], next_cursor=following
            )
        query = sa.select(organizations).order_by(o.id).limit(limit + 1)
        after = cursors.after_id(cursor, "orgs")
        if after is not None:
            query = query.where(o.id > after)
        if code:
            query = query.where(o.country == code)
        if network_member:
            query = query.where(o.network_member == network_member)
        rows = list(conn.execute(query))
        more = len(rows) > limit
        rows = rows[:limit]
        return OrgList(
            items=[_org(base, r) for r in rows],
            next_cursor=cursors.encode("orgs", rows[-1].id) if more and rows else None,
        )

    return answer(request, build, private=False)


def _count(conn: Connection, query: sa.Select[Any]) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one())


def _counts(conn: Connection, org_id: str) -> OrgCounts:
    published = items.c.status == "published"
    return OrgCounts(
        published=_count(
            conn,
            sa.select(items.c.id)
            .join(sources, sources.c.id == items.c.source_id)
            .where(published, sources.c.org_id == org_id),
        ),
        mentioned_in=_count(
            conn,
            sa.select(items.c.id).where(
                published,
                items.c.id.in_(mentioning("org", org_id)),
            ),
        ),
        joint_statements_signed=_count(
            conn,
            sa.select(joint_statements.c.id)
            .join(items, items.c.id == joint_statements.c.item_id)
            .where(
                published,
                joint_statements.c.id.in_(
                    sa.select(signatures.c.joint_statement_id).where(signatures.c.org_id == org_id)
                ),
            ),
        ),
    )


def _role(r: profiles.RoleRecord) -> Role:
    return Role(
        person_id=r.person_id,
        person_name=r.person_name,
        org_id=r.org_id,
        org_name=r.org_name,
        title=r.title,
        start=r.start,
        end=r.end,
        notes=r.notes,
    )


def _ref(r: profiles.OrgRef) -> OrgRef:
    return OrgRef(id=r.id, name=r.name, country=r.country, kind=r.kind)


@router.get(
    "/organizations/{org_id}",
    response_model=OrganizationProfile,
    responses={**NOT_MODIFIED, **problems(404)},
    summary="One organisation",
)
def get_organization(request: Request, org_id: Key) -> Response:
    """The organisation's KB profile (names with their dates, people, hosted events) and how
    many published items it issued, is mentioned in and joint statements it signed. An id
    merged into another answers with that one, and `redirected_from`."""
    base = site(request)

    def build(conn: Connection) -> OrganizationProfile:
        target = org_profiles.org_redirect(conn, org_id)
        found = org_profiles.find_org(conn, target or org_id)
        if found is None:
            raise HTTPException(404, f"No organisation {org_id!r}.")
        fields: dict[str, Any] = {}
        if target:
            fields["redirected_from"] = org_id
        return OrganizationProfile(
            id=found.id,
            name=found.name,
            native_name=found.native_name,
            kind=found.kind,
            country=found.country,
            network_member=found.network_member,
            url=f"{base}/orgs/{found.id}",
            websites=found.websites,
            notes=found.notes,
            year_first=found.year_first,
            year_last=found.year_last,
            wikipedia=found.wikipedia,
            wikidata_id=found.wikidata_id,
            partyfacts_id=found.partyfacts_id,
            country_name=found.country_name,
            parent=_ref(found.parent) if found.parent else None,
            children=[_ref(c) for c in found.children],
            names=[
                OrgName(
                    name=n.name,
                    kind=n.kind,
                    language=n.language,
                    valid_from=n.valid_from,
                    valid_to=n.valid_to,
                    certain=n.certain,
                    notes=n.notes,
                )
                for n in found.names
            ],
            people=[_role(r) for r in found.people],
            events=[EventRef(id=e.id, name=e.name, start=e.start) for e in found.events],
            counts=_counts(conn, found.id),
            **fields,
        )

    return answer(request, build, private=False)


# -- people and events ---------------------------------------------------------------------------


def _person(base: str, p: profiles.PersonProfile) -> Person:
    return Person(
        id=p.id,
        name=p.name,
        aliases=p.aliases,
        notes=p.notes,
        roles=[_role(r) for r in p.roles],
        url=f"{base}/people/{p.id}",
    )


@router.get(
    "/people",
    response_model=PersonList,
    responses={**NOT_MODIFIED, **problems(400)},
    summary="People",
)
def list_people(
    request: Request, q: Q = None, limit: Limit = 50, cursor: Cursor = None
) -> Response:
    """People of the KB by id with their roles, or those matching `q` best first."""
    found = _matches(request, q, "person")
    base = site(request)

    def build(conn: Connection) -> PersonList:
        following = None
        if found is not None:
            chosen, following = _window([e["id"] for e in found], cursor, "people-q", limit)
        else:
            query = sa.select(people.c.id).order_by(people.c.id).limit(limit + 1)
            after = cursors.after_id(cursor, "people")
            if after is not None:
                query = query.where(people.c.id > after)
            chosen = [str(i) for i in conn.execute(query).scalars()]
            if len(chosen) > limit:
                chosen = chosen[:limit]
                following = cursors.encode("people", chosen[-1])
        shown = [profiles.find_person(conn, i) for i in chosen]
        return PersonList(
            items=[_person(base, p) for p in shown if p is not None], next_cursor=following
        )

    return answer(request, build, private=False)


def _event(base: str, e: profiles.EventProfile) -> Event:
    return Event(
        id=e.id,
        name=e.name,
        series=e.series,
        number=e.number,
        start=e.start,
        end=e.end,
        date_precision=e.date_precision,
        city=e.city,
        country=e.country,
        country_name=e.country_name,
        notes=e.notes,
        hosts=[_ref(h) for h in e.hosts],
        stories=[StoryRef(slug=s.slug, title=s.title, state=s.state) for s in e.stories],
        url=f"{base}/events/{e.id}",
    )


@router.get(
    "/events",
    response_model=EventList,
    responses={**NOT_MODIFIED, **problems(400)},
    summary="Events",
)
def list_events(
    request: Request,
    q: Q = None,
    series: Annotated[str | None, Query(max_length=40, description="e.g. imcwp")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Events of the KB, latest first, with their hosts and stories; or those matching `q`."""
    found = _matches(request, q, "event")
    base = site(request)

    def build(conn: Connection) -> EventList:
        if found is not None:
            ids = [e["id"] for e in found]
        else:
            query = sa.select(events.c.id).order_by(events.c.start.desc().nulls_last(), events.c.id)
            ids = [str(i) for i in conn.execute(query).scalars()]
        if series:
            kept = set(
                conn.execute(sa.select(events.c.id).where(events.c.series == series)).scalars()
            )
            ids = [i for i in ids if i in kept]
        chosen, following = _window(ids, cursor, "events", limit)
        shown = [profiles.find_event(conn, i) for i in chosen]
        return EventList(
            items=[_event(base, e) for e in shown if e is not None], next_cursor=following
        )

    return answer(request, build, private=False)

"""Reader pages of what items are about: organisations, countries, people, events, the archive.

Each page is a KB profile above the published items that concern it (newest first, paged by
cursor), and each listing has its Atom, RSS and JSON feeds at its path plus ``.atom``, ``.rss``
or ``.json`` (the feeds of ``/orgs/{id}`` are in :mod:`tribune.web.public.feeds`). Feed routes
come first: ``/countries/{cc}`` would otherwise take ``GR.atom`` for a country code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Connection

from tribune.reading.archive import Month, months
from tribune.reading.listing import CursorError, Filters, latest
from tribune.reading.org_profiles import OrgProfile, find_org, joint_statements_signed, org_redirect
from tribune.reading.profiles import (
    EventProfile,
    country_code,
    find_country,
    find_event,
    find_person,
)
from tribune.reading.responses import event_responses
from tribune.web.public.feeds import feed_response
from tribune.web.render import Built, cached_response, render

router = APIRouter()
PER_PAGE = 20


class Named(Protocol):
    """A profile as the helpers below need it: its name titles its page and feeds."""

    @property
    def name(self) -> str: ...


P = TypeVar("P", bound=Named)


@dataclass(frozen=True)
class Profiles(Generic[P]):
    """One kind of profile page: ``{kind}.html``, showing the profile as *kind*, at
    ``{base}/{id}``, above the items that *filters* chooses for the id."""

    kind: str
    base: str
    find: Callable[[Connection, str], P | None]
    filters: Callable[[str], Filters]
    what: str = ""  # what a 404 calls it (default: the kind)

    def missing(self) -> HTTPException:
        return HTTPException(404, f"There is no {self.what or self.kind} at this address.")


ORGS = Profiles("org", "/orgs", find_org, lambda i: Filters(publisher=i), "organisation")
COUNTRIES = Profiles("country", "/countries", find_country, lambda cc: Filters(country=cc))
PEOPLE = Profiles("person", "/people", find_person, lambda i: Filters(person=i))
EVENTS = Profiles("event", "/events", find_event, lambda i: Filters(event=i))


def _moved(request: Request, path: str) -> Response:
    """A permanent redirect to *path*, keeping the query string."""
    query = request.url.query
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=301)


def _listing_page(
    request: Request,
    conn: Connection,
    template: str,
    filters: Filters,
    path: str,
    title: str,
    after: str | None,
    **context: object,
) -> Built:
    """*template* with *context* above the items *filters* chooses, the page after the cursor
    *after*; the listing's feeds, titled *title*, are at *path* plus their format."""
    try:
        page = latest(conn, filters, limit=PER_PAGE, cursor=after)
    except CursorError as exc:
        raise HTTPException(400, str(exc)) from None
    return Built(
        render(request, template, page=page, after=after, feeds=path, feed_title=title, **context)
    )


def _profile_page(
    request: Request,
    profiles: Profiles[P],
    key: str,
    after: str | None,
    *,
    more: Callable[[Connection, P], dict[str, object]] | None = None,
    moved: Callable[[Connection, str], str | None] | None = None,
) -> Response:
    """The page of profile *key*, with *more* of the context; for an unknown key, a 301 to the
    key *moved* gives, or else a 404."""

    def build(conn: Connection) -> Built:
        profile = profiles.find(conn, key)
        if profile is None:
            target = moved(conn, key) if moved else None
            if target is None:
                raise profiles.missing()
            return Built(b"", status=301, location=f"{profiles.base}/{target}")
        context = {profiles.kind: profile, **(more(conn, profile) if more else {})}
        template, path = f"{profiles.kind}.html", f"{profiles.base}/{key}"
        filters = profiles.filters(key)
        return _listing_page(request, conn, template, filters, path, profile.name, after, **context)

    return cached_response(request, build)


def _profile_feed(request: Request, profiles: Profiles[P], key: str, fmt: str) -> Response:
    """The feed of profile *key*'s listing, titled with its name; a 404 for an unknown key."""
    with request.app.state.db.read() as conn:
        profile = profiles.find(conn, key)
    if profile is None:
        raise profiles.missing()
    path = f"{profiles.base}/{key}"
    return feed_response(request, fmt, profile.name, path, profiles.filters(key))


def span(start: date | None, end: date | None, precision: str = "day") -> str:
    """Dates as a reader says them: ``18–20 October 2019``, ``November 2007``, ``2007``."""
    if start is None:
        return ""
    formats = {"year": "%Y", "month": "%B %Y"}
    fmt = formats.get(precision, "%-d %B %Y")
    first = start.strftime(fmt)
    if end is None or end == start or end.strftime(fmt) == first:
        return first
    if precision == "day" and (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.strftime(fmt)}"
    return f"{first} – {end.strftime(fmt)}"


def event_dates(event: EventProfile) -> str:
    return span(event.start, event.end, event.date_precision)


# -- organisations -------------------------------------------------------------------------------


@router.get("/orgs/{org_id}", response_class=Response)
def org_page(request: Request, org_id: str, after: str | None = None) -> Response:
    def signed(conn: Connection, _org: OrgProfile) -> dict[str, object]:
        return {"signed": [] if after else joint_statements_signed(conn, org_id)}

    return _profile_page(request, ORGS, org_id, after, more=signed, moved=org_redirect)


# -- countries -----------------------------------------------------------------------------------


def _lower_case(request: Request, cc: str, suffix: str = "") -> Response | None:
    """A redirect to the address of country *cc* in upper case plus *suffix*, unless *cc* is
    upper case (None); a 404 when it is no country."""
    if cc == cc.upper():
        return None
    with request.app.state.db.read() as conn:
        if country_code(conn, cc) is None:
            raise COUNTRIES.missing()
    return _moved(request, f"/countries/{cc.upper()}{suffix}")


@router.get("/countries/{cc}.{fmt}", response_class=Response)
def country_feed(request: Request, cc: str, fmt: str) -> Response:
    moved = _lower_case(request, cc, f".{fmt}")
    return moved if moved is not None else _profile_feed(request, COUNTRIES, cc, fmt)


@router.get("/countries/{cc}", response_class=Response)
def country_page(request: Request, cc: str, after: str | None = None) -> Response:
    moved = _lower_case(request, cc)
    return moved if moved is not None else _profile_page(request, COUNTRIES, cc, after)


# -- people --------------------------------------------------------------------------------------


@router.get("/people/{person_id}.{fmt}", response_class=Response)
def person_feed(request: Request, person_id: str, fmt: str) -> Response:
    return _profile_feed(request, PEOPLE, person_id, fmt)


@router.get("/people/{person_id}", response_class=Response)
def person_page(request: Request, person_id: str, after: str | None = None) -> Response:
    return _profile_page(request, PEOPLE, person_id, after)


# -- events --------------------------------------------------------------------------------------


@router.get("/events/{event_id}.{fmt}", response_class=Response)
def event_feed(request: Request, event_id: str, fmt: str) -> Response:
    return _profile_feed(request, EVENTS, event_id, fmt)


@router.get("/events/{event_id}", response_class=Response)
def event_page(request: Request, event_id: str, after: str | None = None) -> Response:
    def dates(conn: Connection, event: EventProfile) -> dict[str, object]:
        tracker = None if after else event_responses(conn, event.id)
        return {"dates": event_dates(event), "responses": tracker}

    return _profile_page(request, EVENTS, event_id, after, more=dates)


# -- archive -------------------------------------------------------------------------------------


def _month(year: str, month: str) -> Month:
    found = Month.parse(year, month)
    if found is None:
        raise HTTPException(404, "There is no month at this address: try /archive/2026/01.")
    return found


@router.get("/archive", response_class=Response)
def archive_index(request: Request) -> Response:
    def build(conn: Connection) -> Built:
        by_year: dict[int, list[tuple[Month, int]]] = {}
        for month, count in months(conn):
            by_year.setdefault(month.year, []).append((month, count))
        return Built(render(request, "archive.html", month=None, years=by_year))

    return cached_response(request, build)


@router.get("/archive/{year}/{month}.{fmt}", response_class=Response)
def archive_feed(request: Request, year: str, month: str, fmt: str) -> Response:
    m = _month(year, month)
    filters = Filters(since=m.start, until=m.end)
    return feed_response(request, fmt, f"Tribune: {m.label}", m.path, filters)


@router.get("/archive/{year}/{month}", response_class=Response)
def archive_month(request: Request, year: str, month: str, after: str | None = None) -> Response:
    m = _month(year, month)

    def build(conn: Connection) -> Built:
        with_items = [found for found, _ in months(conn)]
        earlier = next((x for x in with_items if x < m), None)
        later = next((x for x in reversed(with_items) if x > m), None)
        filters, title = Filters(since=m.start, until=m.end), f"Tribune: {m.label}"
        context = {"month": m, "earlier": earlier, "later": later}
        return _listing_page(
            request, conn, "archive.html", filters, m.path, title, after, **context
        )

    return cached_response(request, build)

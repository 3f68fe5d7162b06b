"""Reader pages of what items are about: organisations, countries, people, events, the archive.

Each page is a KB profile above the published items that concern it (newest first, paged by
cursor), and each listing has its Atom, RSS and JSON feeds at its path plus ``.atom``, ``.rss``
or ``.json`` (the feeds of ``/orgs/{id}`` are in :mod:`tribune.web.public.feeds`). Feed routes
come first: ``/countries/{cc}`` would otherwise take ``GR.atom`` for a country code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Connection

from tribune.reading.archive import Month, months
from tribune.reading.listing import CursorError, Filters, Page, latest
from tribune.reading.profiles import (
    EventProfile,
    country_code,
    find_country,
    find_event,
    find_org,
    find_person,
    joint_statements_signed,
    org_redirect,
)
from tribune.web.public.feeds import feed_response
from tribune.web.render import Built, cached_response, render

router = APIRouter()
PER_PAGE = 20


def _listing(conn: Connection, filters: Filters, after: str | None) -> Page:
    try:
        return latest(conn, filters, limit=PER_PAGE, cursor=after)
    except CursorError as exc:
        raise HTTPException(400, str(exc)) from None


def _moved(request: Request, path: str) -> Response:
    """A permanent redirect to *path*, keeping the query string."""
    query = request.url.query
    return RedirectResponse(path + (f"?{query}" if query else ""), status_code=301)


def _known(request: Request, exists: Callable[[Connection], bool], what: str) -> None:
    with request.app.state.db.read() as conn:
        if not exists(conn):
            raise HTTPException(404, f"There is no {what} at this address.")


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
    def build(conn: Connection) -> Built:
        profile = find_org(conn, org_id)
        if profile is None:
            target = org_redirect(conn, org_id)
            if target is None:
                raise HTTPException(404, "There is no organisation at this address.")
            return Built(b"", status=301, location=f"/orgs/{target}")
        page = _listing(conn, Filters(publisher=org_id), after)
        signed = [] if after else joint_statements_signed(conn, org_id)
        body = render(
            request,
            "org.html",
            org=profile,
            page=page,
            after=after,
            signed=signed,
            feeds=f"/orgs/{org_id}",
            feed_title=profile.name,
        )
        return Built(body)

    return cached_response(request, build)


# -- countries -----------------------------------------------------------------------------------


@router.get("/countries/{cc}.{fmt}", response_class=Response)
def country_feed(request: Request, cc: str, fmt: str) -> Response:
    with request.app.state.db.read() as conn:
        code = country_code(conn, cc)
        country = find_country(conn, code) if code else None
    if code is None or country is None:
        raise HTTPException(404, "There is no country at this address.")
    if code != cc:
        return _moved(request, f"/countries/{code}.{fmt}")
    return feed_response(request, fmt, country.name, f"/countries/{code}", Filters(country=code))


@router.get("/countries/{cc}", response_class=Response)
def country_page(request: Request, cc: str, after: str | None = None) -> Response:
    if cc != cc.upper():
        _known(request, lambda conn: country_code(conn, cc) is not None, "country")
        return _moved(request, f"/countries/{cc.upper()}")

    def build(conn: Connection) -> Built:
        country = find_country(conn, cc)
        if country is None:
            raise HTTPException(404, "There is no country at this address.")
        page = _listing(conn, Filters(country=cc), after)
        body = render(
            request,
            "country.html",
            country=country,
            page=page,
            after=after,
            feeds=f"/countries/{cc}",
            feed_title=country.name,
        )
        return Built(body)

    return cached_response(request, build)


# -- people --------------------------------------------------------------------------------------


@router.get("/people/{person_id}.{fmt}", response_class=Response)
def person_feed(request: Request, person_id: str, fmt: str) -> Response:
    with request.app.state.db.read() as conn:
        person = find_person(conn, person_id)
    if person is None:
        raise HTTPException(404, "There is no person at this address.")
    path = f"/people/{person_id}"
    return feed_response(request, fmt, person.name, path, Filters(person=person_id))


@router.get("/people/{person_id}", response_class=Response)
def person_page(request: Request, person_id: str, after: str | None = None) -> Response:
    def build(conn: Connection) -> Built:
        person = find_person(conn, person_id)
        if person is None:
            raise HTTPException(404, "There is no person at this address.")
        page = _listing(conn, Filters(person=person_id), after)
        body = render(
            request,
            "person.html",
            person=person,
            page=page,
            after=after,
            feeds=f"/people/{person_id}",
            feed_title=person.name,
        )
        return Built(body)

    return cached_response(request, build)


# -- events --------------------------------------------------------------------------------------


@router.get("/events/{event_id}.{fmt}", response_class=Response)
def event_feed(request: Request, event_id: str, fmt: str) -> Response:
    with request.app.state.db.read() as conn:
        event = find_event(conn, event_id)
    if event is None:
        raise HTTPException(404, "There is no event at this address.")
    path = f"/events/{event_id}"
    return feed_response(request, fmt, event.name, path, Filters(event=event_id))


@router.get("/events/{event_id}", response_class=Response)
def event_page(request: Request, event_id: str, after: str | None = None) -> Response:
    def build(conn: Connection) -> Built:
        event = find_event(conn, event_id)
        if event is None:
            raise HTTPException(404, "There is no event at this address.")
        page = _listing(conn, Filters(event=event_id), after)
        body = render(
            request,
            "event.html",
            event=event,
            dates=event_dates(event),
            page=page,
            after=after,
            feeds=f"/events/{event_id}",
            feed_title=event.name,
        )
        return Built(body)

    return cached_response(request, build)


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
        page = _listing(conn, Filters(since=m.start, until=m.end), after)
        with_items = [found for found, _ in months(conn)]
        earlier = next((x for x in with_items if x < m), None)
        later = next((x for x in reversed(with_items) if x > m), None)
        body = render(
            request,
            "archive.html",
            month=m,
            page=page,
            after=after,
            earlier=earlier,
            later=later,
            feeds=m.path,
            feed_title=f"Tribune: {m.label}",
        )
        return Built(body)

    return cached_response(request, build)

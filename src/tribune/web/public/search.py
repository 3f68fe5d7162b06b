"""The search page: a form with filters, then the published items that match, best first.

``/search?q=&org=&country=&language=&kind=&since=&until=&page=``. An empty ``q`` shows the form
alone; a query with nothing to search for gets a message (status 200), not an error; a date that
is not ``YYYY-MM-DD`` gets a 422 page. Snippets come from the index with their matches marked by
private-use characters and are escaped before the marks become ``<mark>`` (the ``highlight``
filter), so no stored text can put markup on the page.

The feeds (``/search.atom?q=...``, ``.rss``, ``.json``) hold the newest matching items first, as
a reader subscribing to a search expects, not the best ranked.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.search import SearchQueryError, snippets
from tribune.db.tables import countries, items, mentions, organizations, sources
from tribune.reading.listing import Card, Filters, cards_of, listing_query
from tribune.reading.orgs import org_labels
from tribune.reading.search import search
from tribune.understand.kinds import KINDS
from tribune.web.feeds import MEDIA_TYPES, FeedInfo
from tribune.web.feeds import render as render_feed
from tribune.web.public.feeds import FEED_ITEMS, base_url, entry_of
from tribune.web.render import Built, cached_response, render

router = APIRouter()
PER_PAGE = 20
MAX_PAGE = 500
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
LANGUAGES = {
    "ar": "Arabic", "bg": "Bulgarian", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "no": "Norwegian", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sr": "Serbian", "sv": "Swedish",
    "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


@dataclass(frozen=True)
class SearchForm:
    """What the reader asked for, as typed (for the form and the links of other pages)."""

    q: str = ""
    org: str = ""
    country: str = ""
    language: str = ""
    kind: str = ""
    since: str = ""
    until: str = ""

    def filters(self) -> Filters:
        """The filters of the form; :class:`HTTPException` 422 for a date that is not one."""
        since, until = _day(self.since, "since"), _day(self.until, "until")
        return Filters(
            org=self.org or None,
            country=self.country.upper() or None,
            language=self.language.lower() or None,
            kind=self.kind or None,
            since=datetime.combine(since, datetime.min.time(), UTC) if since else None,
            # until is inclusive: items of that whole day
            until=datetime.combine(until, datetime.min.time(), UTC) + timedelta(days=1)
            if until
            else None,
        )

    def query_string(self, **extra: object) -> str:
        """The form's fields that are set (and *extra*), URL-encoded."""
        fields = {k: v for k, v in self.__dict__.items() if v} | {
            k: v for k, v in extra.items() if v
        }
        return urlencode(fields)


def _day(text: str, name: str) -> date | None:
    if not text:
        return None
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise HTTPException(422, f"{name}: {text!r} is not a date written YYYY-MM-DD.")


@dataclass(frozen=True)
class Results:
    cards: list[Card]
    snippets: dict[int, str]
    total: int


def search_items(
    conn: Connection,
    text: str,
    filters: Filters | None = None,
    *,
    limit: int = PER_PAGE,
    offset: int = 0,
    newest_first: bool = False,
) -> Results:
    """Published items matching *text* and *filters*: best first (or newest first), one page.
    Raises :class:`SearchQueryError` for a query with nothing to search for."""
    found = search(conn, text, filters, limit=limit, offset=offset, newest_first=newest_first)
    rows = {r.id: r for r in conn.execute(listing_query(Filters(ids=tuple(found.ids))))}
    shown = [rows[i] for i in found.ids if i in rows]
    return Results(cards_of(conn, shown), snippets(conn, text, found.ids), found.total)


@dataclass(frozen=True)
class Choices:
    """The options of the form's selects: what the published items have."""

    orgs: list[tuple[str, str]] = field(default_factory=list)
    countries: list[tuple[str, str]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)


_AVAILABLE: dict[tuple[str, int], Choices] = {}


def _choices(conn: Connection, form: SearchForm) -> Choices:
    """The options of the form, with the chosen values among them. What the published items
    have is computed once per site generation (it scans the mentions), not per search."""
    key = (str(conn.engine.url), generation.current(conn))
    found = _AVAILABLE.get(key)
    if found is None:
        found = _available(conn)
        _AVAILABLE.clear()
        _AVAILABLE[key] = found

    def keep(options: list[tuple[str, str]], value: str) -> list[tuple[str, str]]:
        """The options, with the chosen value among them even when nothing has it."""
        if value and value not in {v for v, _ in options}:
            return [*options, (value, value)]
        return options

    return Choices(
        keep(found.orgs, form.org),
        keep(found.countries, form.country.upper()),
        keep(found.languages, form.language.lower()),
        keep(found.kinds, form.kind),
    )


def _available(conn: Connection) -> Choices:
    published = items.c.status == "published"
    org_ids = conn.execute(
        sa.select(sources.c.org_id)
        .join(items, items.c.source_id == sources.c.id)
        .where(published, sources.c.org_id.is_not(None))
        .distinct()
    ).scalars()
    labels = org_labels(conn, [str(i) for i in org_ids])
    orgs = sorted(((o.id, o.name) for o in labels.values()), key=lambda pair: pair[1])
    codes = set(
        conn.execute(
            sa.select(organizations.c.country).where(
                organizations.c.id.in_(list(labels)), organizations.c.country.is_not(None)
            )
        ).scalars()
    ) | set(
        conn.execute(
            sa.select(mentions.c.entity_id)
            .join(items, items.c.id == mentions.c.item_id)
            .where(published, mentions.c.type == "country", mentions.c.entity_id.is_not(None))
            .distinct()
        ).scalars()
    )
    names = {
        str(code): str(name)
        for code, name in conn.execute(
            sa.select(countries.c.code, countries.c.name_en).where(countries.c.code.in_(codes))
        )
    }
    country_list = sorted(names.items(), key=lambda pair: pair[1])
    languages = sorted(
        str(code)
        for code in conn.execute(
            sa.select(items.c.language).where(published, items.c.language != "").distinct()
        ).scalars()
    )
    language_list = [(code, LANGUAGES.get(code, code)) for code in languages]
    kinds = [(kind, kind.replace("-", " ").capitalize()) for kind in KINDS]
    return Choices(orgs, country_list, language_list, kinds)


def _form(
    q: str, org: str, country: str, language: str, kind: str, since: str, until: str
) -> SearchForm:
    return SearchForm(
        q.strip(), org.strip(), country.strip(), language.strip(), kind.strip(),
        since.strip(), until.strip(),
    )  # fmt: skip


@router.get("/search.{fmt}", response_class=Response)
def search_feed(
    request: Request,
    fmt: str,
    q: str = "",
    org: str = "",
    country: str = "",
    language: str = "",
    kind: str = "",
    since: str = "",
    until: str = "",
) -> Response:
    if fmt not in MEDIA_TYPES:
        raise HTTPException(404, f"No feed format {fmt!r}: use atom, rss or json.")
    form = _form(q, org, country, language, kind, since, until)
    if not form.q:
        raise HTTPException(400, "A search feed needs a query: /search.atom?q=words")
    filters = form.filters()
    base = base_url(request)

    def build(conn: Connection) -> Built:
        try:
            found = search_items(conn, form.q, filters, limit=FEED_ITEMS, newest_first=True)
        except SearchQueryError as exc:
            raise HTTPException(400, f"Nothing to search for: {exc}.") from None
        qs = form.query_string()
        info = FeedInfo(
            title=f"Tribune: search for “{form.q}”",
            site_url=f"{base}/search?{qs}",
            feed_url=f"{base}/search.{fmt}?{qs}",
            feed_id=f"{base}/search?{qs}",
            description=f"Published statements matching “{form.q}”",
        )
        body, media = render_feed(fmt, info, [entry_of(base, c) for c in found.cards])
        return Built(body, media)

    return cached_response(request, build)


@router.get("/search", response_class=Response)
def search_page(
    request: Request,
    q: str = "",
    org: str = "",
    country: str = "",
    language: str = "",
    kind: str = "",
    since: str = "",
    until: str = "",
    page: int = Query(1, ge=1, le=MAX_PAGE),
) -> Response:
    form = _form(q, org, country, language, kind, since, until)
    filters = form.filters()

    def build(conn: Connection) -> Built:
        results: Results | None = None
        problem = ""
        if form.q:
            try:
                results = search_items(
                    conn, form.q, filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
                )
            except SearchQueryError as exc:
                problem = str(exc)
        pages = math.ceil(results.total / PER_PAGE) if results else 0
        body = render(
            request,
            "search.html",
            form=form,
            choices=_choices(conn, form),
            results=results,
            problem=problem,
            page_number=page,
            pages=pages,
            first=(page - 1) * PER_PAGE + 1,
            previous_url=f"/search?{form.query_string(page=page - 1 if page > 2 else 0)}"
            if page > 1
            else "",
            next_url=f"/search?{form.query_string(page=page + 1)}" if page < pages else "",
            # base.html's ``feeds`` cannot carry a query string: search.html links them itself
            feed_query=form.query_string() if results is not None else "",
        )
        return Built(body)

    return cached_response(request, build)

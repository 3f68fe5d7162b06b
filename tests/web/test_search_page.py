"""The search page and its feeds, through a real server on both databases."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import httpx2 as httpx
import pytest
import sqlalchemy as sa
from seed import BASE, Seeded, add_item, publish_directly

from tribune.db.engine import Database
from tribune.db.tables import items
from tribune.web.public import search

Site = tuple[str, Database, Seeded]


def seed_search(site: Site) -> dict[str, str]:
    """Published items to search: Greek text, a stored script, kinds, an older date."""
    _, db, seeded = site
    kke, tkp = seeded.sources["kke"], seeded.sources["tkp"]
    ids = dict(seeded.ids)
    ids["greek"] = add_item(
        db,
        kke,
        "Για τις εκλογές στη Βενεζουέλα",
        "Το Κομμουνιστικό Κόμμα Ελλάδας για τις εκλογές. Communist solidarity from Athens.",
        language="el",
        when=datetime(2025, 6, 1, 8, 0, tzinfo=UTC),
    )
    ids["script"] = add_item(
        db,
        tkp,
        "A statement quoting markup",
        "The page said <script>alert('pwned')</script> about hijacked forms. Odd.",
        when=BASE - timedelta(days=1),
    )
    ids["solidarity-title"] = add_item(
        db,
        tkp,
        "Solidarity with the dockers",
        "The dockers are on strike. The party stands with them.",
        when=BASE - timedelta(days=5),
    )
    ids["solidarity-body"] = add_item(
        db,
        kke,
        "Interview on the strike wave",
        "A long interview about many things. Near the end it speaks of solidarity once.",
        when=BASE - timedelta(days=2),
    )
    with db.write() as conn:
        conn.execute(
            sa.update(items)
            .where(items.c.public_id == ids["solidarity-body"])
            .values(kind="interview")
        )
    for name in ("greek", "script", "solidarity-title", "solidarity-body"):
        publish_directly(db, ids[name])
    return ids


def titles(html: str) -> list[str]:
    """Titles of the results, in order."""
    return re.findall(r'<h3 class="headline"><a href="[^"]+">([^<]+)</a>', html)


def test_the_form_alone_without_a_query(client: httpx.Client) -> None:
    page = client.get("/search")
    assert page.status_code == 200
    html = page.text
    assert len(re.findall(r"<h1[ >]", html)) == 1
    for control in ("q", "org", "country", "language", "kind", "since", "until"):
        assert f'<label for="{control}">' in html, control
        assert f'id="{control}" name="{control}"' in html, control
    assert 'role="search"' in html
    assert '<option value="gr-kke">Communist Party of Greece</option>' in html
    assert '<option value="VE">Venezuela</option>' in html  # a country items mention
    assert "results-heading" not in html
    assert "search.atom" not in html
    assert titles(html) == []


def test_search_ignores_accents_and_case_and_highlights(client: httpx.Client, site: Site) -> None:
    seed_search(site)
    for q in ("izmir", "IZMIR", "İzmir"):
        page = client.get("/search", params={"q": q})
        assert page.status_code == 200
        assert titles(page.text) == ["The 21st IMCWP has started in İzmir"], q
        assert re.search(r"<mark>İ?\S*zmir</mark>", page.text), q
        assert "1 statement matches" in page.text
    greek = client.get("/search", params={"q": "ΕΚΛΟΓΕΣ"}).text
    assert titles(greek) == ["Για τις εκλογές στη Βενεζουέλα"]
    assert "<mark>" in greek
    # best first: the word in a title outranks it in a body, even of a newer item
    ranked = titles(client.get("/search", params={"q": "solidarity"}).text)
    assert ranked.index("Solidarity with the dockers") < ranked.index(
        "Interview on the strike wave"
    )
    unread = client.get("/search", params={"q": "waiting inbox"}).text
    assert "No statement matches" in unread
    assert titles(unread) == []


def test_stored_markup_never_reaches_the_page(client: httpx.Client, site: Site) -> None:
    seed_search(site)
    page = client.get("/search", params={"q": "hijacked"})
    assert page.status_code == 200
    assert titles(page.text) == ["A statement quoting markup"]
    assert "<script>alert" not in page.text
    assert "<script>" not in page.text
    found = re.search(r'<p class="snippet">(.*?)</p>', page.text, re.S)
    assert found
    snippet = found.group(1)
    assert "<mark>hijacked</mark>" in snippet
    assert "<" not in re.sub(r"</?mark>", "", snippet)
    # SQLite's snippet keeps the text, escaped; PostgreSQL's headline leaves tags out
    assert "&lt;script&gt;alert" in snippet or "script" not in snippet
    if site[1].url.startswith("sqlite"):
        assert "&lt;script&gt;alert" in snippet


def test_filters_narrow_the_results(client: httpx.Client, site: Site) -> None:
    seed_search(site)

    def found(**params: str) -> set[str]:
        response = client.get("/search", params={"q": "communist", **params})
        assert response.status_code == 200, (params, response.text)
        return set(titles(response.text))

    venezuela, izmir = "KKE on the elections in Venezuela", "The 21st IMCWP has started in İzmir"
    greek = "Για τις εκλογές στη Βενεζουέλα"
    assert found() == {venezuela, izmir, greek}
    assert found(org="tr-tkp") == {izmir}
    assert found(org="gr-kke") == {venezuela, izmir, greek}  # published by or mentioning
    assert found(country="VE") == {venezuela}
    assert found(country="gr") == {venezuela, greek}
    assert found(language="el") == {greek}
    assert found(since="2026-01-01") == {venezuela, izmir}
    assert found(until="2025-12-31") == {greek}
    assert found(since="2026-11-20", until="2026-11-20") == {venezuela, izmir}
    assert found(since="2026-11-21") == set()
    assert found(org="gr-kke", language="en", until="2026-11-20") == {venezuela, izmir}
    assert titles(client.get("/search", params={"q": "strike", "kind": "interview"}).text) == [
        "Interview on the strike wave"
    ]
    chosen = client.get("/search", params={"q": "communist", "language": "el"}).text
    assert '<option value="el" selected>Greek</option>' in chosen


def test_bad_input_is_answered_politely(client: httpx.Client) -> None:
    for params in ({"q": "x", "since": "2026-13-01"}, {"q": "x", "until": "yesterday"}):
        response = client.get("/search", params=params)
        assert response.status_code == 422, params
        assert "text/html" in response.headers["content-type"]
        assert "YYYY-MM-DD" in response.text
        assert "Traceback" not in response.text
    assert client.get("/search", params={"q": "x", "page": "0"}).status_code == 422
    assert client.get("/search", params={"q": "x", "page": "two"}).status_code == 422
    for q in ("-solidarity", "!!! ???", " ".join(f"w{n}" for n in range(100))):
        response = client.get("/search", params={"q": q})
        assert response.status_code == 200, q
        assert "Nothing to search for" in response.text
        assert titles(response.text) == []


def test_results_page_and_feeds(
    client: httpx.Client, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = seed_search(site)
    monkeypatch.setattr(search, "PER_PAGE", 2)
    first = client.get("/search", params={"q": "communist"}).text
    assert "3 statements match" in first
    assert "page 1 of 2" in first
    assert len(titles(first)) == 2
    more = re.search(r'rel="next" href="([^"]+)"', first)
    assert more
    assert more.group(1) == "/search?q=communist&amp;page=2"
    second = client.get("/search?q=communist&page=2").text
    assert len(titles(second)) == 1
    assert not set(titles(first)) & set(titles(second))
    assert 'rel="prev" href="/search?q=communist"' in second
    assert 'rel="next"' not in second
    assert '<ol class="hits" start="3">' in second
    for fmt in ("atom", "rss", "json"):
        assert f'href="/search.{fmt}?q=communist"' in first

    query = {"q": "communist", "org": "gr-kke"}
    for fmt in ("atom", "rss"):
        response = client.get(f"/search.{fmt}", params=query)
        assert response.status_code == 200
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        links = [e.link.split("/")[4] for e in parsed.entries]
        # newest first in a feed
        assert links == [ids["tkp-izmir"], ids["kke-venezuela"], ids["greek"]], fmt
    doc = json.loads(client.get("/search.json", params=query).text)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["url"].split("/")[4] for i in doc["items"]][:1] == [ids["tkp-izmir"]]
    assert doc["feed_url"].endswith("/search.json?q=communist&org=gr-kke")
    assert client.get("/search.atom").status_code == 400
    assert client.get("/search.atom", params={"q": "-x"}).status_code == 400
    assert client.get("/search.atom", params={"q": "x", "since": "soon"}).status_code == 422
    assert client.get("/search.xml", params={"q": "x"}).status_code == 404

"""Reader pages through a real server: what is published shows, nothing else does."""

from __future__ import annotations

import httpx2 as httpx
from seed import Seeded

from tribune.db.engine import Database
from tribune.newsroom.items import set_status
from tribune.newsroom.policy import Actor

Site = tuple[str, Database, Seeded]
EDITOR = Actor(name="ed", role="editor", via="cli")


def test_front_page_lists_published_items_only(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "KKE on the elections in Venezuela" in page.text
    assert "The 21st IMCWP has started in İzmir" in page.text
    assert "waiting in the inbox" not in page.text
    # newest first, with organisation tags
    assert page.text.index("İzmir") < page.text.index("Venezuela</a>")
    assert 'href="/orgs/gr-kke"' in page.text
    assert ">KKE<" in page.text


def test_front_page_links_its_feeds_and_sends_security_headers(client: httpx.Client) -> None:
    page = client.get("/")
    for kind, path in (("atom+xml", "/index.atom"), ("rss+xml", "/index.rss")):
        assert f'type="application/{kind}"' in page.text
        assert f'href="{path}"' in page.text
    assert 'href="/index.json"' in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # no inline script


def test_item_page_shows_the_statement_and_what_it_concerns(
    client: httpx.Client, site: Site
) -> None:
    public_id = site[2].ids["kke-venezuela"]
    short = client.get(f"/items/{public_id}")
    assert short.status_code == 301
    page = client.get(short.headers["location"])
    assert page.status_code == 200
    assert "<h1>KKE on the elections in Venezuela</h1>" in page.text
    assert "solidarity with the people of Venezuela" in page.text
    assert 'href="/orgs/gr-kke"' in page.text
    assert 'href="/countries/VE"' in page.text
    assert '"@type": "NewsArticle"' in page.text
    assert 'property="og:title"' in page.text
    assert "http://party.example/" in page.text  # the link to the source


def test_an_inbox_item_is_not_public(client: httpx.Client, site: Site) -> None:
    assert client.get(f"/items/{site[2].ids['kke-inbox']}/x").status_code == 404
    assert client.get("/items/nope/x").status_code == 404


def test_withdrawn_item_answers_410_with_its_correction(client: httpx.Client, site: Site) -> None:
    url_id = site[2].ids["kke-venezuela"]
    from tribune.newsroom.items import edit

    edit(site[1], EDITOR, url_id, {"correction": "Published by mistake."})
    set_status(site[1], EDITOR, url_id, "withdrawn")
    page = client.get(f"/items/{url_id}/kke-on-the-elections-in-venezuela")
    assert page.status_code == 410
    assert "Published by mistake." in page.text
    assert "Venezuela" not in client.get("/index.atom").text
    assert "Venezuela</a>" not in client.get("/").text


def test_pages_answer_304_until_a_publish_changes_them(client: httpx.Client, site: Site) -> None:
    first = client.get("/")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/", headers={"If-Modified-Since": modified}).status_code == 304
    set_status(site[1], EDITOR, site[2].ids["kke-inbox"], "published")
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert "Statement still waiting in the inbox" in changed.text
    assert changed.headers["etag"] != etag


def test_feeds_follow_the_listing(client: httpx.Client) -> None:
    for path, media in (
        ("/index.atom", "application/atom+xml"),
        ("/index.rss", "application/rss+xml"),
        ("/index.json", "application/feed+json"),
        ("/orgs/gr-kke.atom", "application/atom+xml"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(media)
        assert "Venezuela" in response.text
        assert "waiting in the inbox" not in response.text
    assert client.get("/index.xml").status_code == 404
    assert client.get("/orgs/nope.atom").status_code == 404


def test_errors_are_pages_not_stack_traces(client: httpx.Client) -> None:
    response = client.get("/?after=not-a-cursor")
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert "Traceback" not in response.text

"""What the API tests share: a seeded site with tokens of every scope, and small checks.

The tests run on the ``site`` fixture of ``tests/web/conftest.py`` (a real uvicorn on each
backend); :func:`prepare` adds what the API shows beyond that site's three items: pages of
published items (some sharing a date), an excerpt-only source, a withdrawn item, a story with
two entries and a joint statement with its signatories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx2 as httpx
from seed import BASE, Seeded, add_item, add_source, publish_directly

from tribune.db.engine import Database
from tribune.newsroom import items as editorial
from tribune.newsroom.policy import SCOPES, Actor
from tribune.newsroom.signatures import add_signature, mark_joint
from tribune.newsroom.stories import add_entry, create_story
from tribune.newsroom.users import add_token, add_user

CLI = Actor(name="tests", role="admin", via="cli")
PASSWORD = "correct horse battery"
PROBLEM = "application/problem+json"
BULK = 24  # extra published items, two a day


@dataclass
class Api:
    url: str
    db: Database
    ids: dict[str, str]
    tokens: dict[str, str] = field(default_factory=dict)
    story: str = ""  # public id
    story_slug: str = ""
    joint: str = ""  # public id of the joint statement

    def client(self, token: str | None = None, **headers: str) -> httpx.Client:
        sent = dict(headers)
        if token:
            sent["Authorization"] = f"Bearer {token}"
        return httpx.Client(base_url=self.url, headers=sent, timeout=60, follow_redirects=False)

    def get(self, path: str, token: str | None = None, **params: Any) -> httpx.Response:
        with self.client(token) as c:
            return c.get(path, params=params)


def prepare(site: tuple[str, Database, Seeded]) -> Api:
    url, db, seeded = site
    ids = dict(seeded.ids)
    kke, tkp = seeded.sources["kke"], seeded.sources["tkp"]
    for n in range(BULK):
        name = f"bulk-{n}"
        ids[name] = add_item(
            db,
            kke if n % 2 else tkp,
            f"Bulk statement number {n}",
            f"Statement {n} of the bulk. It speaks of wages and of peace.",
            when=BASE - timedelta(days=1 + n // 2),  # two items a day: ties broken by id
            language="en" if n % 3 else "el",
        )
        publish_directly(db, ids[name])
    excerpt = add_source(db, "pt-pcp", "http://pcp.example/feed", rights="excerpt")
    ids["excerpt"] = add_item(
        db,
        excerpt,
        "PCP on the budget",
        "The Portuguese Communist Party rejects the budget. Full text on its own site.",
        when=BASE - timedelta(hours=12),
        language="pt",
        links=(("org", "pt-pcp"),),
    )
    publish_directly(db, ids["excerpt"])
    ids["withdrawn"] = add_item(
        db,
        kke,
        "A statement published in error",
        "It was not theirs.",
        when=BASE - timedelta(hours=6),
    )
    publish_directly(db, ids["withdrawn"])
    editorial.edit(db, CLI, ids["withdrawn"], {"correction": "Published in error."})
    editorial.set_status(db, CLI, ids["withdrawn"], "withdrawn")
    ids["joint-item"] = add_item(
        db,
        tkp,
        "Joint statement of communist parties on peace",
        "The undersigned parties call for peace and against NATO.",
        when=BASE + timedelta(hours=1),
        links=(("org", "tr-tkp"), ("org", "gr-kke")),
    )
    publish_directly(db, ids["joint-item"])
    joint = mark_joint(db, CLI, ids["joint-item"], ["tr-tkp", "gr-kke"])
    add_signature(
        db, CLI, joint.public_id, org_id="tr-tkp", group="Parties", added_on=date(2026, 11, 1)
    )
    add_signature(
        db, CLI, joint.public_id, org_id="gr-kke", group="Parties", added_on=date(2026, 11, 1)
    )
    add_signature(
        db,
        CLI,
        joint.public_id,
        raw_name="Party of Nowhere",
        group="Youth",
        added_on=date(2026, 11, 3),
    )
    story = create_story(db, CLI, "Elections in Venezuela: the responses")
    add_entry(db, CLI, story.public_id, ids["kke-venezuela"], "Greece")
    add_entry(db, CLI, story.public_id, ids["tkp-izmir"], "Turkey")
    api = Api(url, db, ids, story=story.public_id, story_slug=story.slug, joint=joint.public_id)
    for scope in SCOPES:
        api.tokens[scope] = add_token(db, f"token-{scope}", [scope], CLI)
    api.tokens["all"] = add_token(db, "token-all", list(SCOPES), CLI)
    return api


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the form has no CSRF token"
    return found.group(1)


def log_in(api: Api, role: str) -> tuple[httpx.Client, str]:
    """A client logged in as a new user of *role* (to close), and its session's CSRF token."""
    name = f"api-{role}"
    add_user(api.db, name, PASSWORD, role, CLI)
    client = api.client()
    form = client.get("/editor/login")
    response = client.post(
        "/editor/login",
        data={"name": name, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
    )
    assert response.status_code == 303, response.text
    page = client.get("/editor/inbox")
    assert page.status_code == 200, page.status_code
    return client, csrf_of(page.text)


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem of *status*, with CORS, and no HTML in sight."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    assert response.headers.get("access-control-allow-origin") == "*"
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert isinstance(body["title"], str)
    assert body["title"]
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert "<" not in response.text
    assert "Traceback" not in response.text
    return dict(body)


def walk(api: Api, path: str, token: str | None = None, **params: Any) -> list[dict[str, Any]]:
    """Every entry of a list, page by page (asserting the shape of each page)."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        query = dict(params) | ({"cursor": cursor} if cursor else {})
        response = api.get(path, token, **query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert set(page) >= {"items", "next_cursor"}
        found += page["items"]
        cursor = page["next_cursor"]
        pages += 1
        assert pages < 500
        if cursor is None:
            return found

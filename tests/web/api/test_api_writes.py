"""Writing through the JSON API on a real server, on both databases: who may (every mutating
route found in the app refuses anonymous callers and wrong scopes), what each write does, and
the audit log it leaves."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from apikit import Api, assert_problem, log_in, prepare
from fastapi import routing
from fastapi.routing import APIRoute
from seed import Seeded

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import audit_log, decisions, item_revisions, items, mentions
from tribune.newsroom.policy import SCOPES
from tribune.web.app import create_app

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def api(site: tuple[str, Database, Seeded]) -> Api:
    return prepare(site)


@dataclass(frozen=True)
class WriteRoute:
    method: str
    path: str  # template
    scopes: tuple[str, ...]  # the scopes that grant it (OpenAPI x-scopes)


def write_routes(db: Database) -> list[WriteRoute]:
    """Every mutating route of the app under /api/, with the scopes it declares."""
    app = create_app(db, Settings(database_url=db.url))
    contexts: Iterable[Any] = routing.iter_route_contexts(app.routes)
    out = []
    for route in contexts:
        original = getattr(route, "original_route", route)
        if not isinstance(original, APIRoute) or not route.path.startswith("/api/"):
            continue
        extra = route.openapi_extra or {}
        for method in sorted(set(route.methods or ()) & MUTATING):
            out.append(WriteRoute(method, route.path, tuple(extra.get("x-scopes", ()))))
    return out


def _concrete(path: str, api: Api) -> str:
    values = {"item_id": api.ids["kke-inbox"], "story_id": api.story, "joint_id": api.joint}
    values["suggestion_id"] = "0" * 32  # a role suggestion: refused before it is looked up
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def test_every_write_route_refuses_anonymous_callers_and_wrong_scopes(api: Api) -> None:
    routes = write_routes(api.db)
    # the ones this suite knows of are there; any new one is checked below all the same
    known = {(r.method, r.path) for r in routes}
    assert {
        ("POST", "/api/v1/items"),
        ("PATCH", "/api/v1/items/{item_id}"),
        ("POST", "/api/v1/items/{item_id}/publish"),
        ("POST", "/api/v1/items/{item_id}/reject"),
        ("POST", "/api/v1/items/{item_id}/unpublish"),
        ("POST", "/api/v1/items/{item_id}/feature"),
        ("POST", "/api/v1/items/{item_id}/unfeature"),
        ("POST", "/api/v1/stories/{story_id}/items"),
        ("POST", "/api/v1/joint-statements/{joint_id}/signatures"),
    } <= known
    body = {"title": "x", "item": "x", "raw_name": "x"}
    before = _audit_count(api.db)
    anonymous, forged = api.client(), api.client("trb_no-such-token")
    scoped = {scope: api.client(api.tokens[scope]) for scope in SCOPES}
    for route in routes:
        where = f"{route.method} {route.path}"
        assert route.scopes, f"{where} names no scope (openapi_extra x-scopes)"
        assert set(route.scopes) <= set(SCOPES), where
        path = _concrete(route.path, api)
        refused = anonymous.request(route.method, path, json=body)
        assert_problem(refused, 401)
        assert refused.headers["www-authenticate"].startswith("Bearer"), where
        assert_problem(forged.request(route.method, path, json=body), 401)
        for scope, client in scoped.items():
            if scope not in route.scopes:
                assert_problem(client.request(route.method, path, json={}), 403)
    for client in (anonymous, forged, *scoped.values()):
        client.close()
    assert _audit_count(api.db) == before  # nothing was written meanwhile


def _audit_count(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one())


def _audit(db: Database, action: str) -> list[Any]:
    with db.read() as conn:
        return list(
            conn.execute(
                sa.select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id)
            )
        )


def test_create_an_item(api: Api) -> None:
    body = {
        "title": "  Statement   sent by e-mail ",
        "body_html": "<p>The party <b>condemns</b> the coup.</p><script>alert(1)</script>",
        "url": "https://party.example/statements/coup?utm_source=mail#top",
        "language": "en",
        "org_id": "pt-pcp",
    }
    with api.client(api.tokens["items:write"]) as client:
        response = client.post("/api/v1/items", json=body)
        assert response.status_code == 201, response.text
        item = response.json()
        assert response.headers["location"] == f"/api/v1/items/{item['id']}"
        assert item["status"] == "inbox"
        assert item["url"] is None
        assert item["title"] == "Statement sent by e-mail"
        assert "<script" not in item["body_html"]
        assert "<b>condemns</b>" in item["body_html"]
        assert item["lead"] == "The party condemns the coup."
        assert item["canonical_url"] == "https://party.example/statements/coup"
        assert item["org_ids"] == ["pt-pcp"]
        assert item["revision_count"] == 1
        assert item["suggestions"] == []  # the organisation is an editor's link, not the linker's
        again = client.post("/api/v1/items", json=body | {"title": "Another"})
        assert assert_problem(again, 409)["existing"] == item["id"]
        assert_problem(client.post("/api/v1/items", json=body | {"org_id": "nowhere"}), 422)
        assert_problem(client.post("/api/v1/items", json=body | {"url": "ftp://x.example/"}), 422)
        assert_problem(client.post("/api/v1/items", json=body | {"extra": 1}), 422)
        assert_problem(client.post("/api/v1/items", json=body | {"title": "a\x00b"}), 422)
    (link,) = _audit(api.db, "mention.add")
    assert link.actor == "token:token-items:write"
    (entry,) = _audit(api.db, "item.create")
    assert entry.actor == "token:token-items:write"
    assert entry.row_id == item["id"]
    assert entry.after["org_id"] == "pt-pcp"
    with api.db.read() as conn:
        row = conn.execute(sa.select(items).where(items.c.public_id == item["id"])).one()
        assert row.source_id is None
        assert len(row.content_hash) == 64
        assert row.body_text == "The party condemns the coup."
        revisions = conn.execute(
            sa.select(sa.func.count()).where(item_revisions.c.item_id == row.id)
        ).scalar()
        assert revisions == 1
        assert (
            conn.execute(sa.select(sa.func.count()).where(mentions.c.item_id == row.id)).scalar()
            == 0
        )
        decided = conn.execute(sa.select(decisions)).one()
        assert (decided.subject_id, decided.action) == (f"{item['id']}:org:pt-pcp", "add")
    # anonymous clients do not see it until it is published; then it lists under its org
    assert item["id"] not in {i["id"] for i in api.get("/api/v1/items", limit=100).json()["items"]}
    with api.client(api.tokens["items:publish"]) as client:
        assert client.post(f"/api/v1/items/{item['id']}/publish").status_code == 200
    listed = api.get("/api/v1/items", org="pt-pcp", limit=100).json()["items"]
    assert item["id"] in {i["id"] for i in listed}


def test_edit_an_item(api: Api) -> None:
    target = api.ids["kke-inbox"]
    with api.client(api.tokens["items:write"]) as client:
        response = client.patch(
            f"/api/v1/items/{target}",
            json={"title": "A better headline", "kind": "statement", "lead": None},
        )
        assert response.status_code == 200, response.text
        item = response.json()
        assert item["title"] == "A better headline"
        assert item["kind"] == "statement"
        assert item["lead"].startswith("This statement")  # null leaves a field as it is
        cleared = client.patch(f"/api/v1/items/{target}", json={"kind": None}).json()
        assert cleared["kind"] is None
        assert_problem(client.patch("/api/v1/items/no-such-item", json={"title": "x"}), 404)
        assert_problem(client.patch(f"/api/v1/items/{target}", json={"kind": "poem"}), 422)
        assert_problem(client.patch(f"/api/v1/items/{target}", json={"title": "   "}), 422)
        assert_problem(client.patch(f"/api/v1/items/{target}", json={"status": "x"}), 422)
        broken = client.patch(
            f"/api/v1/items/{target}",
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
        assert_problem(broken, 422)
    edits = [e for e in _audit(api.db, "item.edit") if e.row_id == target]
    assert edits[0].after["title"] == "A better headline"
    assert edits[0].before["title"] == "Statement still waiting in the inbox"
    assert edits[0].actor == "token:token-items:write"


def test_publish_feature_reject_withdraw(api: Api) -> None:
    target = api.ids["kke-inbox"]
    with api.client(api.tokens["items:publish"]) as client:
        published = client.post(f"/api/v1/items/{target}/publish")
        assert published.status_code == 200, published.text
        assert published.json()["status"] == "published"
        assert published.json()["url"].startswith(f"{api.url}/items/{target}/")
        assert api.get(f"/api/v1/items/{target}").status_code == 200
        featured = client.post(f"/api/v1/items/{target}/feature").json()
        assert featured["featured"] is True
        assert client.post(f"/api/v1/items/{target}/unfeature").json()["featured"] is False
        assert client.post(f"/api/v1/items/{target}/unpublish").json()["status"] == "inbox"
        assert_problem(api.get(f"/api/v1/items/{target}"), 404)
        assert_problem(client.post(f"/api/v1/items/{target}/feature"), 409)
        assert client.post(f"/api/v1/items/{target}/reject").json()["status"] == "rejected"
        assert_problem(client.post("/api/v1/items/no-such-item/publish"), 404)
        venezuela = api.ids["kke-venezuela"]
        assert client.post(f"/api/v1/items/{venezuela}/withdraw").json()["status"] == "withdrawn"
        assert_problem(api.get(f"/api/v1/items/{venezuela}"), 410)
        assert_problem(client.post(f"/api/v1/items/{venezuela}/publish"), 409)
    actions = [e.action for e in _audit(api.db, "item.feature")] + [
        e.action for e in _audit(api.db, "item.reject")
    ]
    assert actions == ["item.feature", "item.reject"]
    assert [e.actor for e in _audit(api.db, "item.withdraw")][-1] == "token:token-items:publish"


def test_append_to_a_story(api: Api) -> None:
    path = f"/api/v1/stories/{api.story_slug}/items"
    with api.client(api.tokens["stories:write"]) as client:
        response = client.post(path, json={"item": api.ids["bulk-3"], "subheadline": " Later "})
        assert response.status_code == 201, response.text
        entry = response.json()
        assert entry["position"] == 3
        assert entry["subheadline"] == "Later"
        assert entry["item"]["id"] == api.ids["bulk-3"]
        assert_problem(client.post(path, json={"item": api.ids["bulk-3"]}), 409)
        assert_problem(client.post(path, json={"item": api.ids["kke-inbox"]}), 409)
        assert_problem(client.post(path, json={"item": "no-such-item"}), 422)
        assert_problem(client.post("/api/v1/stories/nothing/items", json={"item": "x"}), 404)
    story = api.get(f"/api/v1/stories/{api.story}").json()
    assert [e["item"]["id"] for e in story["entries"]][-1] == api.ids["bulk-3"]
    (added,) = [e for e in _audit(api.db, "story.add") if e.actor.startswith("token:")]
    assert added.after["item"] == api.ids["bulk-3"]


def test_add_a_signatory(api: Api) -> None:
    path = f"/api/v1/joint-statements/{api.ids['joint-item']}/signatures"
    with api.client(api.tokens["signatures:write"]) as client:
        response = client.post(
            path, json={"org_id": "pt-pcp", "group": "Parties", "added_at": "2026-11-10"}
        )
        assert response.status_code == 201, response.text
        signed = response.json()
        assert signed["org_id"] == "pt-pcp"
        assert signed["name"] == "Portuguese Communist Party"
        assert signed["added_at"].startswith("2026-11-10")
        raw = client.post(path, json={"raw_name": "A party not in the KB"}).json()
        assert raw["org_id"] is None
        assert raw["name"] == "A party not in the KB"
        assert_problem(client.post(path, json={"org_id": "pt-pcp"}), 409)
        assert_problem(client.post(path, json={"org_id": "nowhere"}), 422)
        assert_problem(client.post(path, json={}), 422)
        assert_problem(
            client.post("/api/v1/joint-statements/x/signatures", json={"raw_name": "y"}), 404
        )
    detail = api.get(f"/api/v1/joint-statements/{api.joint}").json()
    assert detail["signature_count"] == 5
    assert [s["name"] for s in detail["signatures"]][-1] == "A party not in the KB"
    assert len([e for e in _audit(api.db, "joint.sign") if e.actor.startswith("token:")]) == 2


def test_an_editor_session_writes_with_its_csrf_token(api: Api) -> None:
    target = f"/api/v1/items/{api.ids['kke-inbox']}"
    editor, csrf = log_in(api, "editor")
    try:
        refused = editor.patch(target, json={"title": "Through the session"})
        assert "CSRF" in assert_problem(refused, 403)["detail"]
        wrong = editor.patch(target, json={"title": "x"}, headers={"X-CSRF-Token": "nope"})
        assert_problem(wrong, 403)
        done = editor.patch(
            target, json={"title": "Through the session"}, headers={"X-CSRF-Token": csrf}
        )
        assert done.status_code == 200, done.text
        assert done.json()["title"] == "Through the session"
    finally:
        editor.close()
    viewer, csrf = log_in(api, "viewer")
    try:
        assert_problem(
            viewer.patch(target, json={"title": "x"}, headers={"X-CSRF-Token": csrf}), 403
        )
    finally:
        viewer.close()
    (entry,) = [e for e in _audit(api.db, "item.edit") if e.actor == "api-editor"]
    assert entry.after == {"title": "Through the session"}

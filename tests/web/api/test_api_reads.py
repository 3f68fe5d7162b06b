"""Reading the JSON API on a real server, on both databases: items and their filters, cursors,
what anonymous and newsroom clients see, validators, CORS, the KB, stories, joint statements
and search."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from apikit import BULK, Api, assert_problem, log_in, prepare, walk
from seed import Seeded

from tribune.db.engine import Database
from tribune.newsroom.items import set_status
from tribune.newsroom.policy import Actor

CLI = Actor(name="tests", role="admin", via="cli")
ITEM_FIELDS = {
    "id", "url", "source_url", "canonical_url", "title", "lead", "language", "published_at",
    "updated_at", "kind", "status", "featured", "org_ids", "duplicate_of", "revision_count",
    "new_signatures",
}  # fmt: skip


@pytest.fixture
def api(site: tuple[str, Database, Seeded]) -> Iterator[Api]:
    return prepare(site)


def publish(api: Api, name: str) -> None:
    set_status(api.db, CLI, api.ids[name], "published")


def _published(api: Api) -> set[str]:
    names = {f"bulk-{n}" for n in range(BULK)} | {"kke-venezuela", "tkp-izmir", "excerpt"}
    return {api.ids[n] for n in names | {"joint-item"}}


def test_items_anonymous_sees_published_items_only(api: Api) -> None:
    response = api.get("/api/v1/items", limit=100)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    page = response.json()
    assert page["next_cursor"] is None
    found = {i["id"]: i for i in page["items"]}
    assert set(found) == _published(api)
    assert api.ids["kke-inbox"] not in found
    assert api.ids["withdrawn"] not in found
    for item in found.values():
        assert ITEM_FIELDS <= set(item) <= ITEM_FIELDS | {"body_html"}
        assert item["status"] == "published"
        assert item["url"].startswith(api.url + f"/items/{item['id']}/")
        assert "suggestions" not in item
    venezuela = found[api.ids["kke-venezuela"]]
    assert venezuela["org_ids"][0] == "gr-kke"
    assert venezuela["body_html"].startswith("<p>The Communist Party of Greece")
    assert venezuela["revision_count"] == 1
    assert venezuela["duplicate_of"] is None
    assert venezuela["published_at"].startswith("2026-11-20T09:00:00")
    # an excerpt-only source: no body
    assert "body_html" not in found[api.ids["excerpt"]]
    assert found[api.ids["excerpt"]]["org_ids"] == ["pt-pcp"]
    # newest first
    dates = [i["published_at"] for i in page["items"]]
    assert dates == sorted(dates, reverse=True)


def test_item_cursors_neither_repeat_nor_skip(api: Api) -> None:
    everything = [i["id"] for i in api.get("/api/v1/items", limit=100).json()["items"]]
    for size in (3, 7):
        paged = [i["id"] for i in walk(api, "/api/v1/items", limit=size)]
        assert paged == everything, size
    # with a filter too, and with a cursor while a new item is published before the next page
    first = api.get("/api/v1/items", limit=4, language="en").json()
    publish(api, "kke-inbox")
    rest = walk(api, "/api/v1/items", limit=4, language="en", cursor=first["next_cursor"])
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in rest]
    assert len(ids) == len(set(ids))
    assert api.ids["kke-inbox"] not in ids  # newer than the cursor: on the first page, not later
    english = [i["id"] for i in api.get("/api/v1/items", limit=100, language="en").json()["items"]]
    assert ids == [i for i in english if i != api.ids["kke-inbox"]]


def test_item_filters(api: Api) -> None:
    def ids(**params: str) -> set[str]:
        response = api.get("/api/v1/items", limit=100, **params)
        assert response.status_code == 200, response.text
        return {i["id"] for i in response.json()["items"]}

    s = api.ids
    assert ids(org="tr-tkp") == {s["tkp-izmir"], s["joint-item"]} | {
        s[f"bulk-{n}"] for n in range(0, BULK, 2)
    }
    assert ids(country="ve") == {s["kke-venezuela"]}  # a mentioned country, any case
    assert s["excerpt"] in ids(country="PT")
    assert ids(story=api.story_slug) == ids(story=api.story) == {s["kke-venezuela"], s["tkp-izmir"]}
    assert ids(story="no-such-story") == set()
    assert ids(kind="joint-statement") == {s["joint-item"]}
    assert ids(language="pt") == {s["excerpt"]}
    assert ids(since="2026-11-20") == {s["kke-venezuela"], s["tkp-izmir"], s["joint-item"]}
    assert ids(until="2026-11-19") == {s[f"bulk-{n}"] for n in range(BULK)} | {s["excerpt"]}
    assert ids(since="2026-11-19", until="2026-11-19") == {s["bulk-0"], s["bulk-1"], s["excerpt"]}
    assert ids(q="Venezuela") == {s["kke-venezuela"]}
    assert ids(q="venezuela", org="tr-tkp") == set()
    assert ids(q="wages", language="el") == {s[f"bulk-{n}"] for n in range(0, BULK, 3)}


def test_the_inbox_and_suggestions_need_the_newsroom(api: Api) -> None:
    inbox = api.ids["kke-inbox"]
    assert_problem(api.get("/api/v1/items", status="inbox"), 401)
    assert_problem(api.get("/api/v1/items", status="all"), 401)
    assert api.get("/api/v1/items", status="published").status_code == 200
    assert_problem(api.get(f"/api/v1/items/{inbox}"), 404)
    for scope in ("read", "items:write"):
        token = api.tokens[scope]
        response = api.get("/api/v1/items", token, status="inbox")
        assert response.status_code == 200
        assert "private" in response.headers["cache-control"]
        (item,) = response.json()["items"]
        assert item["id"] == inbox
        assert item["status"] == "inbox"
        assert item["url"] is None
        assert item["suggestions"] == []
        everything = {i["id"] for i in walk(api, "/api/v1/items", token, status="all")}
        assert {inbox, api.ids["withdrawn"]} <= everything
        single = api.get(f"/api/v1/items/{inbox}", token).json()
        assert single["status"] == "inbox"
    published = api.get("/api/v1/items", api.tokens["read"], limit=100).json()["items"]
    venezuela = next(i for i in published if i["id"] == api.ids["kke-venezuela"])
    assert {(m["type"], m["id"]) for m in venezuela["suggestions"]} == {
        ("org", "gr-kke"),
        ("country", "VE"),
    }
    assert all(0 <= m["confidence"] <= 1 for m in venezuela["suggestions"])
    assert "body_html" in next(i for i in published if i["id"] == api.ids["excerpt"])
    # an editor's session counts as the newsroom too
    client, _csrf = log_in(api, "viewer")
    try:
        response = client.get("/api/v1/items", params={"status": "inbox"})
        assert response.status_code == 200
        assert len(response.json()["items"]) == 1
    finally:
        client.close()


def test_one_item_withdrawn_and_unknown(api: Api) -> None:
    item = api.get(f"/api/v1/items/{api.ids['tkp-izmir']}").json()
    assert item["id"] == api.ids["tkp-izmir"]
    assert item["org_ids"] == ["tr-tkp", "gr-kke"]
    gone = assert_problem(api.get(f"/api/v1/items/{api.ids['withdrawn']}"), 410)
    assert gone["correction"] == "Published in error."
    assert_problem(api.get("/api/v1/items/no-such-item"), 404)
    editor = api.get(f"/api/v1/items/{api.ids['withdrawn']}", api.tokens["read"]).json()
    assert editor["status"] == "withdrawn"


def test_etags_answer_304_until_something_changes(api: Api) -> None:
    with api.client() as client:
        for path in (
            "/api/v1/items",
            f"/api/v1/items/{api.ids['tkp-izmir']}",
            "/api/v1/organizations/gr-kke",
            f"/api/v1/stories/{api.story}",
            "/api/v1/search?q=peace",
        ):
            first = client.get(path)
            assert first.status_code == 200, path
            etag = first.headers["etag"]
            again = client.get(path, headers={"If-None-Match": etag})
            assert again.status_code == 304, path
            assert again.content == b""
            assert again.headers["etag"] == etag
            assert again.headers["access-control-allow-origin"] == "*"
            assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
        etag = client.get("/api/v1/items").headers["etag"]
        publish(api, "kke-inbox")
        changed = client.get("/api/v1/items", headers={"If-None-Match": etag})
        assert changed.status_code == 200
        assert changed.headers["etag"] != etag
        assert changed.json()["items"][0]["id"] == api.ids["kke-inbox"]


def test_cors_on_every_api_answer_and_preflight(api: Api) -> None:
    with api.client(Origin="https://elsewhere.example") as client:
        for path in ("/api/v1/items", "/api/v1/nothing-here", "/api/v1/openapi.json"):
            response = client.get(path)
            assert response.headers["access-control-allow-origin"] == "*", path
            assert "ETag" in response.headers["access-control-expose-headers"]
        preflight = client.options(
            "/api/v1/items",
            headers={
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert "POST" in preflight.headers["access-control-allow-methods"]
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed
        assert "content-type" in allowed
        assert "access-control-allow-credentials" not in preflight.headers
        # the reader site is not opened to other origins
        assert "access-control-allow-origin" not in client.get("/").headers


def test_organizations(api: Api) -> None:
    ids: list[str] = []
    cursor = None
    for _ in range(3):  # three pages of 100, in id order, each after the last
        page = api.get("/api/v1/organizations", limit=100, **({"cursor": cursor} if cursor else {}))
        ids += [o["id"] for o in page.json()["items"]]
        cursor = page.json()["next_cursor"]
    assert len(ids) == len(set(ids)) == 300
    assert ids == sorted(ids)
    greek = [o["id"] for o in walk(api, "/api/v1/organizations", limit=5, country="gr")]
    assert "gr-kke" in greek
    assert len(greek) == len(set(greek))
    members = walk(api, "/api/v1/organizations", limit=100, network_member="yes", country="gr")
    assert members
    assert all(o["country"] == "GR" and o["network_member"] == "yes" for o in members)
    found = api.get("/api/v1/organizations", q="Communist Party of Greece").json()["items"]
    assert found[0]["id"] == "gr-kke"
    assert found[0]["url"] == f"{api.url}/orgs/gr-kke"
    first = api.get("/api/v1/organizations", q="communist", limit=50).json()
    second = api.get(
        "/api/v1/organizations", q="communist", limit=50, cursor=first["next_cursor"]
    ).json()
    both = [o["id"] for o in first["items"] + second["items"]]
    assert len(both) == len(set(both)) == 100
    kke = api.get("/api/v1/organizations/gr-kke").json()
    assert kke["name"] == "Communist Party of Greece"
    assert kke["country_name"] == "Greece"
    assert any(n["name"] == "KKE" for n in kke["names"])
    # its own: the Venezuela item and half the bulk (not the inbox's, not the withdrawn one);
    # mentioning it: the Venezuela item, the İzmir one, the joint statement
    assert kke["counts"] == {
        "published": 1 + BULK // 2,
        "mentioned_in": 3,
        "joint_statements_signed": 1,
    }
    assert_problem(api.get("/api/v1/organizations/no-such-org"), 404)


def test_people_and_events(api: Api) -> None:
    people = walk(api, "/api/v1/people", limit=3)
    assert len(people) == len({p["id"] for p in people}) >= 5
    koutsoumbas = next(p for p in people if p["id"] == "dimitris-koutsoumbas")
    assert koutsoumbas["roles"][0]["org_id"] == "gr-kke"
    assert koutsoumbas["aliases"] == ["Δημήτρης Κουτσούμπας"]
    assert api.get("/api/v1/people", q="Koutsoumbas").json()["items"][0]["id"] == (
        "dimitris-koutsoumbas"
    )
    events = walk(api, "/api/v1/events", limit=4)
    assert len(events) == len({e["id"] for e in events}) >= 10
    starts = [e["start"] for e in events if e["start"]]
    assert starts == sorted(starts, reverse=True)
    izmir = next(e for e in events if e["id"] == "imcwp-21")
    assert [h["id"] for h in izmir["hosts"]] == ["tr-tkp", "gr-kke"]
    assert izmir["city"] == "İzmir"
    assert {e["series"] for e in walk(api, "/api/v1/events", series="imcwp")} == {"imcwp"}
    assert api.get("/api/v1/events", q="21st International").json()["items"][0]["id"] == "imcwp-21"


def test_stories_and_responses(api: Api) -> None:
    (story,) = api.get("/api/v1/stories").json()["items"]
    assert story["id"] == api.story
    assert story["slug"] == api.story_slug
    assert story["entry_count"] == 2
    assert story["org_ids"] == ["gr-kke", "tr-tkp"]
    assert story["url"] == f"{api.url}/stories/{api.story_slug}"
    detail = api.get(f"/api/v1/stories/{api.story_slug}").json()
    assert [(e["position"], e["subheadline"], e["item"]["id"]) for e in detail["entries"]] == [
        (1, "Greece", api.ids["kke-venezuela"]),
        (2, "Turkey", api.ids["tkp-izmir"]),
    ]
    assert_problem(api.get("/api/v1/stories/no-such-story"), 404)
    responses = api.get(f"/api/v1/stories/{api.story}/responses").json()
    assert responses["story"] == api.story
    assert responses["spoken"] == 2
    assert responses["members"] == responses["spoken"] + responses["silent"] > 50
    by_region = {r["region"]: r for r in responses["regions"]}
    europe, asia = by_region["Europe"], by_region["Asia"]
    assert [s["id"] for s in europe["spoken"]] == ["gr-kke"]
    assert europe["spoken"][0]["items"] == [api.ids["kke-venezuela"]]
    assert [s["id"] for s in asia["spoken"]] == ["tr-tkp"]
    assert "pt-pcp" in {s["id"] for s in europe["silent"]}
    assert_problem(api.get("/api/v1/stories/no-such-story/responses"), 404)


def test_joint_statements(api: Api) -> None:
    (joint,) = api.get("/api/v1/joint-statements").json()["items"]
    assert joint["id"] == api.joint
    assert joint["item"]["id"] == api.ids["joint-item"]
    assert [o["id"] for o in joint["initiators"]] == ["tr-tkp", "gr-kke"]
    assert joint["signature_count"] == 3
    assert joint["item"]["kind"] == "joint-statement"
    for key in (api.joint, api.ids["joint-item"]):
        detail = api.get(f"/api/v1/joint-statements/{key}").json()
        assert [(s["org_id"], s["name"], s["group"]) for s in detail["signatures"]] == [
            ("tr-tkp", "Communist Party of Turkey", "Parties"),
            ("gr-kke", "Communist Party of Greece", "Parties"),
            (None, "Party of Nowhere", "Youth"),
        ]
        assert detail["signatures"][2]["raw_name"] == "Party of Nowhere"
        assert detail["signatures"][2]["added_at"].startswith("2026-11-03")
    assert api.get("/api/v1/joint-statements", org="gr-kke").json()["items"]
    assert api.get("/api/v1/joint-statements", org="pt-pcp").json()["items"] == []
    assert_problem(api.get(f"/api/v1/joint-statements/{api.ids['kke-venezuela']}"), 404)


def test_search(api: Api) -> None:
    response = api.get("/api/v1/search", q="Venezuela")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["next_cursor"] is None
    (hit,) = body["items"]
    assert hit["item"]["id"] == api.ids["kke-venezuela"]
    assert "<mark>Venezuela</mark>" in hit["snippet"]
    hits = walk(api, "/api/v1/search", q="wages", limit=5)
    assert len(hits) == len({h["item"]["id"] for h in hits}) == BULK
    assert api.get("/api/v1/search", q="wages", limit=5).json()["total"] == BULK
    assert api.get("/api/v1/search", q="wages", language="el").json()["total"] == BULK // 3
    problem = assert_problem(api.get("/api/v1/search", q="-wages"), 400)
    assert problem["detail"].startswith("q:")
    assert_problem(api.get("/api/v1/search"), 422)


def test_search_snippets_escape_stored_text(api: Api) -> None:
    from seed import add_item, publish_directly

    public_id = add_item(
        api.db,
        None,
        "A statement about markup",
        "Solidarity &lt;script&gt;alert(1)&lt;/script&gt; <b>bold</b> with the strikers.",
    )
    publish_directly(api.db, public_id)
    (hit,) = api.get("/api/v1/search", q="strikers").json()["items"]
    assert "<script" not in hit["snippet"]
    assert "<b>" not in hit["snippet"]
    assert "<mark>strikers</mark>" in hit["snippet"]


def test_a_bad_token_is_refused_even_for_reads(api: Api) -> None:
    response = api.get("/api/v1/items", "trb_not-a-token")
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    with httpx.Client(base_url=api.url, headers={"Authorization": "Basic eDp5"}) as client:
        assert_problem(client.get("/api/v1/items"), 401)

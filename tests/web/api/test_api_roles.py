"""Role suggestions on the API: listed for the newsroom only, answered with the right scope or
an editor's session (with its CSRF token)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx2 as httpx
import sqlalchemy as sa
from apikit import CLI, assert_problem, csrf_of
from seed import Seeded, add_item
from websupport import login

from tribune.db.engine import Database
from tribune.db.tables import roles
from tribune.newsroom.users import add_token
from tribune.understand import role_stage

Site = tuple[str, Database, Seeded]
PATH = "/api/v1/role-suggestions"


def _stated(db: Database, seeded: Seeded) -> str:
    public_id = add_item(
        db,
        seeded.sources["tkp"],
        "Greetings",
        "Ayşe Demir, General Secretary of the Communist Party of Turkey (TKP), greeted the "
        "workers. The KKE General Secretary Dimitris Koutsoumbas sent a message.",
        when=datetime(2026, 11, 22, 8, tzinfo=UTC),
    )
    role_stage.run(db, pending=True)
    return public_id


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_newsroom_reads_the_suggestions(site: Site) -> None:
    url, db, seeded = site
    item = _stated(db, seeded)
    reader = add_token(db, "roles-reader", ["read"], CLI)
    with httpx.Client(base_url=url, timeout=20) as api:
        assert_problem(api.get(PATH), 401)
        listed = api.get(PATH, headers=_bearer(reader))
        assert listed.status_code == 200
        assert listed.headers["cache-control"] == "private, no-cache"
        body = listed.json()
        assert body["next_cursor"] is None
        (s,) = body["items"]  # Koutsoumbas' title is in the KB already
        assert s == {
            "id": s["id"],
            "item": item,
            "person_id": None,
            "person_name": "Ayşe Demir",
            "org_id": "tr-tkp",
            "org_name": "Communist Party of Turkey",
            "title": "general-secretary",
            "title_label": "General Secretary",
            "title_surface": "General Secretary",
            "claimed_on": "2026-11-22",
            "evidence": "Ayşe Demir, General Secretary of the Communist Party of Turkey (TKP), "
            "greeted the workers.",
            "confidence": 0.7,
            "earlier": [],
        }
        assert len(s["id"]) == 32
        of_item = api.get(PATH, params={"item": item}, headers=_bearer(reader)).json()
        assert [x["id"] for x in of_item["items"]] == [s["id"]]
        other = seeded.ids["kke-venezuela"]
        assert api.get(PATH, params={"item": other}, headers=_bearer(reader)).json()["items"] == []
        assert_problem(api.get(PATH, params={"item": "nothing"}, headers=_bearer(reader)), 404)


def test_a_token_with_the_right_scope_answers(site: Site) -> None:
    url, db, seeded = site
    _stated(db, seeded)
    writer = add_token(db, "roles-writer", ["items:write"], CLI)
    reader = add_token(db, "roles-reader", ["read"], CLI)
    with httpx.Client(base_url=url, timeout=20) as api:
        (s,) = api.get(PATH, headers=_bearer(reader)).json()["items"]
        accept = f"{PATH}/{s['id']}/accept"
        assert_problem(api.post(accept), 401)
        assert_problem(api.post(accept, headers=_bearer(reader)), 403)
        assert_problem(api.post(f"{PATH}/{'0' * 32}/accept", headers=_bearer(writer)), 404)
        assert_problem(
            api.post(accept, json={"end_earlier": "maybe"}, headers=_bearer(writer)), 422
        )
        done = api.post(accept, json={"end_earlier": False}, headers=_bearer(writer))
        assert done.status_code == 200, done.text
        answer = done.json()
        assert answer["action"] == "accept"
        assert answer["person_id"] == "ayse-demir"
        assert answer["ended_roles"] == []
        with db.read() as conn:
            role = conn.execute(sa.select(roles).where(roles.c.id == answer["role_id"])).one()
        assert (role.person_id, role.org_id, role.start) == (
            "ayse-demir",
            "tr-tkp",
            date(2026, 11, 22),
        )
        assert api.get(PATH, headers=_bearer(reader)).json()["items"] == []
        assert_problem(api.post(f"{PATH}/{s['id']}/reject", headers=_bearer(writer)), 409)


def test_an_editors_session_answers_with_its_csrf_token(site: Site, client: httpx.Client) -> None:
    _, db, seeded = site
    _stated(db, seeded)
    csrf = login(client, db)
    (s,) = client.get(PATH).json()["items"]
    reject = f"{PATH}/{s['id']}/reject"
    assert_problem(client.post(reject), 403)  # a cookie alone does not write
    done = client.post(reject, headers={"X-CSRF-Token": csrf})
    assert done.status_code == 200, done.text
    assert done.json() == {
        "id": s["id"],
        "action": "reject",
        "person_id": None,
        "role_id": None,
        "ended_roles": [],
    }
    assert client.get(PATH).json()["items"] == []
    role_stage.run(db)
    assert client.get(PATH).json()["items"] == []
    assert csrf == csrf_of(client.get("/editor/roles").text)

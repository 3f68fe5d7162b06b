"""Joint statements found, in the newsroom and on the API: listed, accepted, rejected, by the
right people with the right tokens; a signatory taken off a list; and the co-signature figures
the API gives researchers."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx2 as httpx
import sqlalchemy as sa
from seed import BASE, Seeded, add_item, publish_directly
from websupport import CLI, login

from tribune.db.engine import Database
from tribune.db.tables import decisions, items, joint_statements, signatures
from tribune.newsroom.signatures import add_signature, mark_joint
from tribune.newsroom.users import add_token
from tribune.understand import joint_stage

Site = tuple[str, Database, Seeded]
BODY = (
    "We, the undersigned parties, call for the end of the blockade of Cuba.\n\n"
    "Signatories:\n1. Communist Party of Greece\n2. Communist Party of Turkey\n"
    "3. Communist Party of Kenya"
)


def _found(db: Database, seeded: Seeded, title: str = "Joint statement on Cuba") -> str:
    public_id = add_item(db, seeded.sources["kke"], title, BODY)
    joint_stage.run(db, pending=True)
    return public_id


def _joint(db: Database, public_id: str) -> str | None:
    with db.read() as conn:
        return conn.execute(
            sa.select(joint_statements.c.public_id)
            .join(items, items.c.id == joint_statements.c.item_id)
            .where(items.c.public_id == public_id)
        ).scalar()


def test_an_editor_accepts_a_joint_statement_found(site: Site, client: httpx.Client) -> None:
    _, db, seeded = site
    public_id = _found(db, seeded)
    csrf = login(client, db)
    page = client.get("/editor/joint-suggestions")
    assert page.status_code == 200
    block = re.search(rf'data-joint-suggestion="{public_id}">(.*?)</li>', page.text, re.S)
    assert block is not None
    assert "3 signatories: 2 in the KB, 1 kept as printed" in block.group(1)
    assert "Communist Party of Kenya" in block.group(1)
    assert "(not resolved: kept raw)" in block.group(1)
    assert f'action="/editor/joint-suggestions/{public_id}/accept"' in block.group(1)
    done = client.post(
        f"/editor/joint-suggestions/{public_id}/accept",
        data={"csrf_token": csrf, "back": "/editor/joint-suggestions"},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/editor/joint-suggestions?done=accept-joint"
    joint = _joint(db, public_id)
    assert joint is not None
    assert public_id not in client.get("/editor/joint-suggestions").text
    again = client.post(f"/editor/joint-suggestions/{public_id}/reject", data={"csrf_token": csrf})
    assert again.status_code == 409
    # the item's page lists the signatories, each with a form to take it off
    tools = client.get(f"/editor/items/{public_id}").text
    assert tools.count('data-action="remove-signature"') == 3
    with db.read() as conn:
        kenya = conn.execute(
            sa.select(signatures.c.id).where(signatures.c.raw_name == "Communist Party of Kenya")
        ).scalar_one()
    removed = client.post(
        f"/editor/joint-statements/{joint}/signatures/remove",
        data={"csrf_token": csrf, "signature": str(kenya), "back": f"/editor/items/{public_id}"},
    )
    assert removed.status_code == 303
    assert removed.headers["location"] == f"/editor/items/{public_id}?done=unsigned"
    wrong = client.post(
        f"/editor/joint-statements/{joint}/signatures/remove",
        data={"csrf_token": csrf, "signature": "99999999999999"},
    )
    assert wrong.status_code == 409
    joint_stage.run(db)
    with db.read() as conn:
        names = set(conn.execute(sa.select(signatures.c.raw_name)).scalars())
        removal = conn.execute(sa.select(decisions.c.action).where(decisions.c.subject_id == joint))
        assert [a for (a,) in removal] == ["remove"]
    assert names == {"Communist Party of Greece", "Communist Party of Turkey"}


def test_a_viewer_cannot_answer_and_a_form_needs_its_token(
    site: Site, client: httpx.Client
) -> None:
    _, db, seeded = site
    public_id = _found(db, seeded)
    csrf = login(client, db, role="viewer")
    assert public_id in client.get("/editor/joint-suggestions").text  # a viewer reads
    refused = client.post(
        f"/editor/joint-suggestions/{public_id}/accept", data={"csrf_token": csrf}
    )
    assert refused.status_code == 403
    with httpx.Client(base_url=site[0], timeout=20) as editor:
        login(editor, db, name="ed")
        forged = editor.post(f"/editor/joint-suggestions/{public_id}/reject", data={})
        assert forged.status_code == 403
        assert "security token" in forged.text
    with httpx.Client(base_url=site[0], timeout=20, follow_redirects=False) as anonymous:
        assert anonymous.get("/editor/joint-suggestions").status_code == 303
    assert _joint(db, public_id) is None


def test_the_api_lists_the_suggestions_to_the_newsroom_and_takes_answers(site: Site) -> None:
    url, db, seeded = site
    accepted = _found(db, seeded)
    rejected = _found(db, seeded, "Joint statement on wages")
    writer = add_token(db, "joint-writer", ["signatures:write"], CLI)
    reader = add_token(db, "joint-reader", ["read"], CLI)
    with httpx.Client(base_url=url, timeout=20) as api:
        assert api.get("/api/v1/joint-suggestions").status_code == 401
        listed = api.get(
            "/api/v1/joint-suggestions", headers={"Authorization": f"Bearer {reader}"}
        ).json()
        assert {s["item_id"] for s in listed["items"]} == {accepted, rejected}
        one = next(s for s in listed["items"] if s["item_id"] == accepted)
        assert [s["org_id"] for s in one["signers"]] == ["gr-kke", "tr-tkp", None]
        assert one["signers"][2]["name"] == "Communist Party of Kenya"
        assert one["version"] == joint_stage.VERSION
        path = f"/api/v1/joint-suggestions/{accepted}/accept"
        assert api.post(path).status_code == 401
        assert api.post(path, headers={"Authorization": f"Bearer {reader}"}).status_code == 403
        done = api.post(path, headers={"Authorization": f"Bearer {writer}"})
        assert done.status_code == 201
        body = done.json()
        assert (body["action"], body["signature_count"]) == ("accept", 3)
        assert done.headers["location"] == f"/api/v1/joint-statements/{body['joint_statement']}"
        no = api.post(
            f"/api/v1/joint-suggestions/{rejected}/reject",
            headers={"Authorization": f"Bearer {writer}"},
        )
        assert no.status_code == 200
        assert no.json()["action"] == "reject"
        twice = api.post(path, headers={"Authorization": f"Bearer {writer}"})
        assert twice.status_code == 409
        assert twice.headers["content-type"].startswith("application/problem+json")
        after = api.get(
            "/api/v1/joint-suggestions", headers={"Authorization": f"Bearer {reader}"}
        ).json()
        assert after["items"] == []
    assert _joint(db, accepted) is not None
    assert _joint(db, rejected) is None


def _signed(db: Database, seeded: Seeded, title: str, orgs: list[str], *, publish: bool) -> str:
    public_id = add_item(db, seeded.sources["tkp"], title, "We, the undersigned parties...")
    if publish:
        publish_directly(db, public_id)
    ref = mark_joint(db, CLI, public_id)
    for n, org in enumerate(orgs):
        add_signature(db, CLI, ref.public_id, org_id=org, added_on=BASE.date() + timedelta(n))
    add_signature(db, CLI, ref.public_id, raw_name="A party not in the KB")
    return ref.public_id


def test_co_signature_figures(site: Site) -> None:
    url, db, seeded = site
    first = _signed(db, seeded, "Joint statement one", ["gr-kke", "tr-tkp", "pt-pcp"], publish=True)
    _signed(db, seeded, "Joint statement two", ["tr-tkp", "gr-kke"], publish=True)
    _signed(db, seeded, "Not published", ["gr-kke", "pt-pcp"], publish=False)
    with httpx.Client(base_url=url, timeout=20) as api:
        pairs = api.get("/api/v1/cosignatures").json()
        assert [
            ([o["id"] for o in p["organizations"]], p["statements"]) for p in pairs["items"]
        ] == [
            (["gr-kke", "tr-tkp"], 2),
            (["gr-kke", "pt-pcp"], 1),
            (["pt-pcp", "tr-tkp"], 1),
        ]
        assert pairs["next_cursor"] is None
        paged = api.get("/api/v1/cosignatures", params={"limit": 2}).json()
        assert len(paged["items"]) == 2
        rest = api.get(
            "/api/v1/cosignatures", params={"limit": 2, "cursor": paged["next_cursor"]}
        ).json()
        assert [p["statements"] for p in rest["items"]] == [1]
        assert rest["next_cursor"] is None
        partners = api.get("/api/v1/cosignatures", params={"org": "pt-pcp"}).json()
        assert [[o["id"] for o in p["organizations"]] for p in partners["items"]] == [
            ["pt-pcp", "gr-kke"],
            ["pt-pcp", "tr-tkp"],
        ]
        history = api.get("/api/v1/organizations/pt-pcp/signatures").json()
        assert history["organization"]["id"] == "pt-pcp"
        (entry,) = history["items"]  # the unpublished statement is left out
        assert entry["joint_statement"] == first
        assert entry["title"] == "Joint statement one"
        assert date.fromisoformat(entry["signed_at"][:10]) == BASE.date() + timedelta(2)
        assert (entry["evidence"], entry["signatories"]) == ("editor", 4)
        assert entry["url"].endswith(f"/joint-statements/{first}")
        tkp = api.get("/api/v1/organizations/tr-tkp/signatures").json()["items"]
        assert len(tkp) == 2
        assert api.get("/api/v1/organizations/no-such-party/signatures").status_code == 404
        assert api.get("/api/v1/cosignatures", params={"cursor": "nonsense"}).status_code == 400

"""Proposed kinds in the newsroom and on the API: shown, accepted, rejected, by the right people."""

from __future__ import annotations

import re

import httpx2 as httpx
import sqlalchemy as sa
from seed import Seeded, add_item
from websupport import CLI, login

from tribune.db.engine import Database
from tribune.db.tables import items
from tribune.newsroom.users import add_token
from tribune.understand import kind_stage

Site = tuple[str, Database, Seeded]


def _guessed(db: Database, seeded: Seeded) -> str:
    public_id = add_item(
        db,
        seeded.sources["kke"],
        "Joint statement of communist and workers' parties on Palestine",
        "The undersigned parties condemn the bombing of Gaza.",
    )
    kind_stage.run(db)
    return public_id


def _row(client: httpx.Client, public_id: str) -> str:
    page = client.get("/editor/inbox")
    assert page.status_code == 200
    found = re.search(rf'<tr data-item="{public_id}">(.*?)</tr>', page.text, re.S)
    assert found is not None
    return found.group(1)


def _kind(db: Database, public_id: str) -> str | None:
    with db.read() as conn:
        return conn.execute(sa.select(items.c.kind).where(items.c.public_id == public_id)).scalar()


def test_an_editor_accepts_the_proposed_kind_in_the_inbox(site: Site, client: httpx.Client) -> None:
    _, db, seeded = site
    public_id = _guessed(db, seeded)
    csrf = login(client, db)
    row = _row(client, public_id)
    assert "kind: <strong>joint-statement</strong>" in row
    assert f'action="/editor/items/{public_id}/accept-kind"' in row
    done = client.post(
        f"/editor/items/{public_id}/accept-kind",
        data={"csrf_token": csrf, "back": "/editor/inbox"},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/editor/inbox?done=accept-kind"
    assert _kind(db, public_id) == "joint-statement"
    row = _row(client, public_id)
    assert "accept-kind" not in row
    assert "kind: joint-statement" in row
    again = client.post(f"/editor/items/{public_id}/reject-kind", data={"csrf_token": csrf})
    assert again.status_code == 409  # nothing is proposed any more


def test_a_viewer_cannot_answer_and_a_form_needs_its_token(
    site: Site, client: httpx.Client
) -> None:
    _, db, seeded = site
    public_id = _guessed(db, seeded)
    csrf = login(client, db, role="viewer")
    refused = client.post(f"/editor/items/{public_id}/accept-kind", data={"csrf_token": csrf})
    assert refused.status_code == 403
    with httpx.Client(base_url=site[0], timeout=20) as editor:
        login(editor, db, name="ed")
        forged = editor.post(f"/editor/items/{public_id}/reject-kind", data={})
        assert forged.status_code == 403
    assert _kind(db, public_id) is None


def test_the_api_shows_the_proposal_to_the_newsroom_and_takes_an_answer(site: Site) -> None:
    url, db, seeded = site
    public_id = _guessed(db, seeded)
    writer = add_token(db, "kinds-writer", ["items:write"], CLI)
    reader = add_token(db, "kinds-reader", ["read"], CLI)
    path = f"/api/v1/items/{public_id}"
    with httpx.Client(base_url=url, timeout=20) as api:
        shown = api.get(path, headers={"Authorization": f"Bearer {reader}"}).json()
        assert shown["kind_suggestion"]["kind"] == "joint-statement"
        assert 0 < shown["kind_suggestion"]["confidence"] <= 1
        assert api.post(f"{path}/reject-kind").status_code == 401
        wrong = api.post(f"{path}/reject-kind", headers={"Authorization": f"Bearer {reader}"})
        assert wrong.status_code == 403
        answered = api.post(f"{path}/reject-kind", headers={"Authorization": f"Bearer {writer}"})
        assert answered.status_code == 200
        assert answered.json()["kind_suggestion"] is None
        assert answered.json()["kind"] is None
        gone = api.post(f"{path}/accept-kind", headers={"Authorization": f"Bearer {writer}"})
        assert gone.status_code == 409
        assert gone.headers["content-type"].startswith("application/problem+json")

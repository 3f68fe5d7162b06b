"""An item's linked entities in the newsroom, through a real server: confirm, remove, add; the
decisions are stored with the editor and readers see their effect on the item page."""

from __future__ import annotations

import re

import httpx2 as httpx
import sqlalchemy as sa
from seed import Seeded
from websupport import csrf_of, login

from tribune.db.engine import Database
from tribune.db.tables import audit_log, decisions, users

Site = tuple[str, Database, Seeded]


def _concerns(client: httpx.Client, public_id: str) -> str:
    page = client.get(f"/items/{public_id}", follow_redirects=True)
    assert page.status_code == 200
    found = re.search(r'<aside class="concerns".*?</aside>', page.text, re.S)
    assert found, "the item page lists what it concerns"
    return found.group(0)


def _row(html: str, type_: str, entity_id: str) -> str:
    found = re.search(rf'<tr [^>]*data-entity="{type_}:{entity_id}">(.*?)</tr>', html, re.S)
    assert found, f"{type_}:{entity_id} is listed"
    return found.group(1)


def _decide(
    client: httpx.Client, csrf: str, public_id: str, decision: str, type_: str, entity_id: str
) -> httpx.Response:
    return client.post(
        f"/editor/entities/{public_id}",
        data={
            "csrf_token": csrf,
            "decision": decision,
            "entity_type": type_,
            "entity_id": entity_id,
            "back": f"/editor/items/{public_id}/entities",
        },
    )


def test_decisions_change_what_readers_see(client: httpx.Client, site: Site) -> None:
    _url, db, seeded = site
    item = seeded.ids["tkp-izmir"]  # published by tr-tkp, mentions gr-kke
    csrf = login(client, db, "editor")
    assert '/orgs/gr-kke"' in _concerns(client, item)
    assert "/countries/TR" not in _concerns(client, item)

    # the item's edit page shows the entities with their buttons
    edit = client.get(f"/editor/items/{item}")
    assert edit.status_code == 200
    assert f'action="/editor/entities/{item}"' in edit.text
    assert 'name="entity_id" value="gr-kke"' in edit.text

    page = client.get(f"/editor/items/{item}/entities")
    assert page.status_code == 200
    kke = _row(page.text, "org", "gr-kke")
    assert "Communist Party of Greece" in kke
    assert "suggested" in kke
    assert "0.90" in kke
    assert ">Confirm<" in kke
    assert ">Remove<" in kke

    response = _decide(client, csrf, item, "remove", "org", "gr-kke")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/editor/items/{item}/entities?done=removed"
    assert _decide(client, csrf, item, "add", "country", "tr").status_code == 303
    assert _decide(client, csrf, item, "confirm", "org", "tr-tkp").status_code == 303

    shown = _concerns(client, item)
    assert '/orgs/gr-kke"' not in shown
    assert 'href="/countries/TR"' in shown
    assert '/orgs/tr-tkp"' in shown

    page = client.get(f"/editor/items/{item}/entities?done=confirmed")
    assert "Done: confirmed." in page.text
    tkp = _row(page.text, "org", "tr-tkp")
    assert "confirmed" in tkp
    assert "by editor-user" in tkp
    assert ">Confirm<" not in tkp
    assert "added" in _row(page.text, "country", "TR")
    removed = _row(page.text, "org", "gr-kke")
    assert "removed" in removed
    assert ">Restore<" in removed

    with db.read() as conn:
        editor_id = conn.execute(
            sa.select(users.c.id).where(users.c.name == "editor-user")
        ).scalar_one()
        rows = conn.execute(sa.select(decisions).order_by(decisions.c.id)).mappings().all()
        logged = conn.execute(
            sa.select(audit_log.c.action).where(audit_log.c.table_name == "decisions")
        ).scalars()
        assert list(logged) == ["mention.remove", "mention.add", "mention.confirm"]
    assert [(r["subject_type"], r["subject_id"], r["action"], r["user_id"]) for r in rows] == [
        ("mention", f"{item}:org:gr-kke", "remove", editor_id),
        ("mention", f"{item}:country:TR", "add", editor_id),
        ("mention", f"{item}:org:tr-tkp", "confirm", editor_id),
    ]

    # restoring links it again
    assert _decide(client, csrf, item, "confirm", "org", "gr-kke").status_code == 303
    assert '/orgs/gr-kke"' in _concerns(client, item)


def test_an_unknown_entity_is_refused_with_a_message(client: httpx.Client, site: Site) -> None:
    _url, db, seeded = site
    item = seeded.ids["kke-venezuela"]
    csrf = login(client, db, "editor")
    for type_, entity_id, message in (
        ("org", "no-such-party", "the KB has no organisation with id &#39;no-such-party&#39;"),
        ("event", "imcwp-99", "the KB has no event with id &#39;imcwp-99&#39;"),
        ("country", "VE", "linked to country &#39;VE&#39; already"),
        ("planet", "mars", "unknown entity type"),
    ):
        response = _decide(client, csrf, item, "add", type_, entity_id)
        assert response.status_code == 422, (type_, entity_id)
        assert message in response.text
        assert 'role="alert"' in response.text
    assert _decide(client, csrf, "no-such-item", "add", "org", "gr-kke").status_code == 404
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar() == 0


def test_viewers_and_forged_forms_are_refused(client: httpx.Client, site: Site) -> None:
    _url, db, seeded = site
    item = seeded.ids["kke-venezuela"]
    anonymous = client.get(f"/editor/items/{item}/entities")
    assert anonymous.status_code == 303
    assert _decide(client, "", item, "remove", "org", "gr-kke").status_code == 403
    csrf = login(client, db, "viewer")
    assert client.get(f"/editor/items/{item}/entities").status_code == 200
    refused = _decide(client, csrf, item, "remove", "org", "gr-kke")
    assert refused.status_code == 403
    assert "viewer-user may not edit items" in refused.text
    client.post("/editor/logout", data={"csrf_token": csrf})
    csrf = login(client, db, "editor")
    for token in ("", "forged", csrf + "x"):
        response = _decide(client, token, item, "remove", "org", "gr-kke")
        assert response.status_code == 403
        assert "security token" in response.text
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar() == 0
    assert '/orgs/gr-kke"' in _concerns(client, item)
    assert csrf_of(client.get(f"/editor/items/{item}/entities").text) == csrf

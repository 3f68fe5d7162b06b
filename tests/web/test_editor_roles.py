"""Role suggestions in the newsroom: listed with their evidence, accepted or rejected by the
right people with the session's CSRF token; and the list as a partial other pages include."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import httpx2 as httpx
import sqlalchemy as sa
from seed import Seeded, add_item
from websupport import login

from tribune.db.engine import Database
from tribune.db.tables import audit_log, decisions, items, roles
from tribune.newsroom import roles as suggestions
from tribune.understand import role_stage
from tribune.web.render import make_environment

Site = tuple[str, Database, Seeded]
SAID_ON = datetime(2026, 11, 21, 9, tzinfo=UTC)


def _stated(db: Database, seeded: Seeded) -> tuple[str, str]:
    """(the item's public id, the suggestion's id): a KKE item naming a new General Secretary."""
    public_id = add_item(
        db,
        seeded.sources["kke"],
        "Greetings to the congress",
        "Anna Petrou, General Secretary of the KKE, greeted the congress of the union.",
        when=SAID_ON,
    )
    role_stage.run(db, pending=True)
    with db.read() as conn:
        (found,) = suggestions.pending(conn)
    assert found.item_public_id == public_id
    return public_id, found.id


def _entry(page: str, key: str) -> str:
    found = re.search(
        rf'<li class="role-suggestion" data-role-suggestion="{key}">(.*?)</li>', page, re.S
    )
    assert found is not None, page
    return found.group(1)


def _role(db: Database, person_id: str) -> list[tuple[object, ...]]:
    with db.read() as conn:
        rows = conn.execute(
            sa.select(roles.c.title, roles.c.start, roles.c.end).where(
                roles.c.person_id == person_id
            )
        )
        return [tuple(r) for r in rows]


def test_an_editor_accepts_a_role_and_ends_the_earlier_term(
    site: Site, client: httpx.Client
) -> None:
    _, db, seeded = site
    item, key = _stated(db, seeded)
    csrf = login(client, db)
    page = client.get("/editor/roles")
    assert page.status_code == 200
    entry = _entry(page.text, key)
    assert "Anna Petrou" in entry
    assert "new person" in entry
    assert 'General Secretary of <a href="/orgs/gr-kke">' in entry
    assert '<time datetime="2026-11-21">21 November 2026</time>' in entry
    assert "Anna Petrou, General Secretary of the KKE, greeted the congress" in entry
    assert f'href="/editor/items/{item}"' in entry
    assert "end the term of Dimitris Koutsoumbas" in entry
    assert f'action="/editor/roles/{key}/accept"' in entry
    done = client.post(
        f"/editor/roles/{key}/accept",
        data={"csrf_token": csrf, "end_earlier": "yes", "back": "/editor/roles"},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/editor/roles?done=accept-role"
    assert _role(db, "anna-petrou") == [("General Secretary", date(2026, 11, 21), None)]
    assert _role(db, "dimitris-koutsoumbas") == [
        ("General Secretary of the Central Committee", date(2013, 4, 14), date(2026, 11, 21))
    ]
    assert f'data-role-suggestion="{key}"' not in client.get("/editor/roles").text
    again = client.post(f"/editor/roles/{key}/reject", data={"csrf_token": csrf})
    assert again.status_code == 409
    unknown = client.post(f"/editor/roles/{'0' * 32}/reject", data={"csrf_token": csrf})
    assert unknown.status_code == 404


def test_accepting_without_the_box_leaves_the_earlier_term(
    site: Site, client: httpx.Client
) -> None:
    _, db, seeded = site
    _, key = _stated(db, seeded)
    csrf = login(client, db)
    done = client.post(f"/editor/roles/{key}/accept", data={"csrf_token": csrf})
    assert done.status_code == 303
    assert done.headers["location"] == "/editor/roles?done=accept-role"
    assert _role(db, "dimitris-koutsoumbas")[0][2] is None


def test_a_rejected_role_stays_rejected(site: Site, client: httpx.Client) -> None:
    _, db, seeded = site
    _, key = _stated(db, seeded)
    csrf = login(client, db)
    done = client.post(
        f"/editor/roles/{key}/reject", data={"csrf_token": csrf, "back": "https://evil.example/"}
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/editor/roles?done=reject-role"  # never another site
    role_stage.run(db)
    assert f'data-role-suggestion="{key}"' not in client.get("/editor/roles").text
    assert _role(db, "anna-petrou") == []
    with db.read() as conn:
        assert conn.execute(sa.select(decisions.c.action)).scalars().all() == ["reject"]


def test_viewers_read_but_do_not_answer_and_forms_need_their_token(
    site: Site, client: httpx.Client
) -> None:
    url, db, seeded = site
    _, key = _stated(db, seeded)
    with httpx.Client(base_url=url, follow_redirects=False, timeout=20) as anonymous:
        assert anonymous.get("/editor/roles").status_code == 303
        refused = anonymous.post(f"/editor/roles/{key}/accept", data={})
        assert refused.status_code == 403
    csrf = login(client, db, role="viewer")
    assert f'data-role-suggestion="{key}"' in client.get("/editor/roles").text
    refused = client.post(f"/editor/roles/{key}/accept", data={"csrf_token": csrf})
    assert refused.status_code == 403
    assert "viewer-user may not" in refused.text
    with httpx.Client(base_url=url, follow_redirects=False, timeout=20) as editor:
        login(editor, db, name="ed")
        for data in ({}, {"csrf_token": "forged"}, {"csrf_token": csrf}):
            forged = editor.post(f"/editor/roles/{key}/accept", data=data)
            assert forged.status_code == 403
            assert "security token" in forged.text
    assert _role(db, "anna-petrou") == []
    with db.read() as conn:
        logged = conn.execute(sa.select(audit_log.c.action)).scalars().all()
    assert not [a for a in logged if a.startswith(("role.", "kb."))]


def test_the_partial_renders_the_suggestions_of_some_items(site: Site) -> None:
    _, db, seeded = site
    item, key = _stated(db, seeded)
    with db.read() as conn:
        item_id = conn.execute(sa.select(items.c.id).where(items.c.public_id == item)).scalar()
        found = suggestions.by_item(conn, [int(item_id or 0)])
    session = SimpleNamespace(csrf_token="the-token")  # what the partial reads of a session
    html = (
        make_environment()
        .get_template("editor/_role_suggestions.html")
        .render(role_suggestions=found[int(item_id or 0)], session=session, back="/editor/inbox")
    )
    assert f'action="/editor/roles/{key}/accept"' in html
    assert f'action="/editor/roles/{key}/reject"' in html
    assert html.count('name="csrf_token" value="the-token"') == 2
    assert html.count('name="back" value="/editor/inbox"') == 2
    empty = make_environment().get_template("editor/_role_suggestions.html")
    assert "No role suggestion." in empty.render(role_suggestions=[], session=session, back="")

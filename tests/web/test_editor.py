"""The newsroom through a real server: log in, read the inbox, act on items, see the result on
the public site and in the audit log, log out."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from seed import BASE, Seeded, add_item
from websupport import PASSWORD, csrf_of, login

from tribune.db.engine import Database
from tribune.db.tables import audit_log, item_revisions, items, mentions, sessions
from tribune.newsroom.policy import Actor
from tribune.newsroom.users import add_user
from tribune.web.editor.auth import COOKIE

Site = tuple[str, Database, Seeded]
_CLI = Actor(name="tests", role="admin", via="cli")


def _item(db: Database, public_id: str) -> Any:
    with db.read() as conn:
        return conn.execute(sa.select(items).where(items.c.public_id == public_id)).one()


def _audit(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).all())


def _sessions(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(sessions)).scalar() or 0)


def _act(client: httpx.Client, csrf: str, public_id: str, action: str) -> httpx.Response:
    response = client.post(
        f"/editor/items/{public_id}/{action}",
        data={"csrf_token": csrf, "back": "/editor/inbox?status=published"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/editor/inbox?status=published&done={action}"
    return response


def _inbox_row(client: httpx.Client, public_id: str, status: str = "inbox") -> str | None:
    page = client.get("/editor/inbox", params={"status": status})
    assert page.status_code == 200
    found = re.search(rf'<tr data-item="{public_id}">(.*?)</tr>', page.text, re.S)
    return found.group(1) if found else None


def _featured_block(client: httpx.Client) -> str:
    page = client.get("/")
    assert page.status_code == 200
    found = re.search(r'<section class="featured-block".*?</section>', page.text, re.S)
    return found.group(0) if found else ""


def _public(client: httpx.Client, public_id: str) -> httpx.Response:
    return client.get(f"/items/{public_id}", follow_redirects=True)


def _assert_audited(
    client: httpx.Client,
    db: Database,
    action: str,
    public_id: str,
    before: dict[str, Any],
    after: dict[str, Any],
    actor: str = "editor-user",
) -> None:
    """The newest audit entry records the action, and the audit page shows it."""
    entry = _audit(db)[-1]
    assert (entry.actor, entry.action, entry.table_name, entry.row_id) == (
        actor,
        action,
        "items",
        public_id,
    )
    assert entry.user_id is not None
    assert entry.before.items() >= before.items(), entry.before
    assert entry.after.items() >= after.items(), entry.after
    page = client.get("/editor/audit")
    assert page.status_code == 200
    rows = [r for r in page.text.split("<tr>") if f"items {public_id}" in r and action in r]
    assert rows, f"/editor/audit does not show {action} of {public_id}"
    newest = rows[0]
    assert f"<td>{actor}</td>" in newest
    for key, value in after.items():
        assert f'"{key}": {json.dumps(value)}' in newest


# -- logging in and out ------------------------------------------------------------------------


def test_login_sets_an_httponly_samesite_lax_session_cookie(
    client: httpx.Client, site: Site
) -> None:
    db = site[1]
    add_user(db, "ana", PASSWORD, "editor", _CLI)
    form = client.get("/editor/login")
    assert form.status_code == 200
    response = client.post(
        "/editor/login",
        data={"name": "ana", "password": PASSWORD, "csrf_token": csrf_of(form.text)},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/editor/inbox"
    [raw] = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{COOKIE}=")]
    attributes = [a.strip().lower() for a in raw.split(";")]
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes
    assert "secure" not in attributes  # plain http here; https sets it
    token = raw.split(";")[0].split("=", 1)[1]
    assert len(token) >= 40
    with db.read() as conn:
        stored = conn.execute(sa.select(sessions.c.token_hash)).scalars().all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]  # the token itself is not kept
    inbox = client.get("/editor/inbox")
    assert inbox.status_code == 200
    assert "Log out ana" in inbox.text


def test_a_wrong_password_gets_401_and_no_session(client: httpx.Client, site: Site) -> None:
    db = site[1]
    add_user(db, "ana", PASSWORD, "editor", _CLI)
    for name, password in (("ana", "not the password"), ("nobody", PASSWORD)):
        form = client.get("/editor/login")
        response = client.post(
            "/editor/login",
            data={"name": name, "password": password, "csrf_token": csrf_of(form.text)},
        )
        assert response.status_code == 401
        assert "Wrong name or password." in response.text
        assert not any(c.startswith(f"{COOKIE}=") for c in response.headers.get_list("set-cookie"))
    assert COOKIE not in client.cookies
    assert _sessions(db) == 0
    assert client.get("/editor/inbox").status_code == 303


def test_login_goes_back_to_the_page_asked_for_and_nowhere_else(
    client: httpx.Client, site: Site
) -> None:
    add_user(site[1], "ana", PASSWORD, "editor", _CLI)
    first = client.get("/editor/inbox?status=published")
    assert first.status_code == 303
    assert first.headers["location"].startswith("/editor/login?next=")
    form = client.get(first.headers["location"])
    assert 'name="next" value="/editor/inbox?status=published"' in form.text
    for target, expected in (
        ("/editor/inbox?status=published", "/editor/inbox?status=published"),
        ("https://evil.example/", "/editor/inbox"),
        ("//evil.example/editor", "/editor/inbox"),
        ("/editor//evil.example", "/editor/inbox"),
    ):
        client.cookies.clear()
        form = client.get("/editor/login")
        response = client.post(
            "/editor/login",
            data={
                "name": "ana",
                "password": PASSWORD,
                "csrf_token": csrf_of(form.text),
                "next": target,
            },
        )
        assert response.status_code == 303
        assert response.headers["location"] == expected


def test_logout_ends_the_session(client: httpx.Client, site: Site) -> None:
    db = site[1]
    csrf = login(client, db)
    old_cookie = client.cookies[COOKIE]
    assert _sessions(db) == 1
    response = client.post("/editor/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert any(
        c.startswith(f"{COOKIE}=") and "max-age=0" in c.lower()
        for c in response.headers.get_list("set-cookie")
    )
    assert _sessions(db) == 0
    # the old cookie, replayed, no longer works
    with httpx.Client(base_url=site[0], cookies={COOKIE: old_cookie}) as replay:
        assert replay.get("/editor/inbox").status_code == 303
        refused = replay.post(
            f"/editor/items/{site[2].ids['kke-inbox']}/publish", data={"csrf_token": csrf}
        )
        assert refused.status_code == 403
    assert _item(db, site[2].ids["kke-inbox"]).status == "inbox"


# -- the inbox --------------------------------------------------------------------------------


def _add_suggested_item(db: Database, site: Site) -> str:
    """An inbox item with two revisions, in Greek, with suggestions of several confidences."""
    public_id = add_item(
        db,
        site[2].sources["kke"],
        "Ανακοίνωση για τις εκλογές",
        "Το Κομμουνιστικό Κόμμα Ελλάδας χαιρετίζει τους εργαζόμενους.",
        language="el",
        when=BASE + timedelta(hours=5),
        links=(("org", "gr-kke"), ("country", "GR")),
    )
    item_id = _item(db, public_id).id
    with db.write() as conn:
        conn.execute(
            mentions.update()
            .where(mentions.c.item_id == item_id, mentions.c.type == "country")
            .values(confidence=0.42)
        )
        for start, (kind, entity_id, surface, confidence) in enumerate(
            [
                ("org", "gr-kke", "ΚΚΕ", 0.55),  # the same entity again, less sure
                ("org", None, "Λαϊκή Συσπείρωση", 0.31),  # an abstention
            ],
            start=10,
        ):
            conn.execute(
                mentions.insert().values(
                    item_id=item_id,
                    field="body",
                    start=start,
                    end=start + 1,
                    surface=surface,
                    type=kind,
                    entity_id=entity_id,
                    confidence=confidence,
                    version="test",
                )
            )
        conn.execute(
            item_revisions.insert().values(
                item_id=item_id,
                content_hash="0" * 64,
                title="Ανακοίνωση",
                body_html="<p>Πρώτη μορφή.</p>",
                body_text="Πρώτη μορφή.",
                fetched_at=BASE + timedelta(hours=4),
            )
        )
    return public_id


def test_the_inbox_lists_inbox_items_with_what_the_machine_suggests(
    client: httpx.Client, site: Site
) -> None:
    db = site[1]
    public_id = _add_suggested_item(db, site)
    login(client, db, "viewer")
    page = client.get("/editor/inbox")
    assert page.status_code == 200
    assert site[2].ids["kke-inbox"] in page.text
    assert site[2].ids["kke-venezuela"] not in page.text  # published: not in the inbox
    assert page.text.index(public_id) < page.text.index(site[2].ids["kke-inbox"])  # newest first
    row = _inbox_row(client, public_id)
    assert row is not None
    assert "Ανακοίνωση για τις εκλογές" in row
    assert f'href="/editor/items/{public_id}"' in row
    assert '<span class="tag">KKE</span>' in row  # the publisher
    assert "language: el" in row
    assert "2 revisions" in row
    suggestions = re.findall(r"<li>(.*?)</li>", row.split('class="suggestions"')[1])
    assert 'org: gr-kke <span class="confidence">(0.90)</span>' in suggestions  # best of two
    assert 'country: GR <span class="confidence">(0.42)</span>' in suggestions
    assert 'org: ? Λαϊκή Συσπείρωση <span class="confidence">(0.31)</span>' in suggestions
    assert len(suggestions) == 3
    plain = _inbox_row(client, site[2].ids["kke-inbox"])
    assert plain is not None
    assert "revisions" not in plain  # one revision: nothing to say
    assert "<li>none</li>" in plain


def test_the_duplicates_list_names_the_original(client: httpx.Client, site: Site) -> None:
    db = site[1]
    original = site[2].ids["kke-inbox"]
    copy = add_item(
        db,
        site[2].sources["tkp"],
        "Statement still waiting in the inbox (copy)",
        "The same statement, republished elsewhere. It must not be public.",
        status="duplicate",
        language="tr",
    )
    with db.write() as conn:
        conn.execute(
            items.update()
            .where(items.c.public_id == copy)
            .values(duplicate_of=_item(db, original).id)
        )
    login(client, db)
    assert _inbox_row(client, copy) is None
    row = _inbox_row(client, copy, "duplicate")
    assert row is not None
    assert f'duplicate of <a href="/editor/items/{original}">{original[:8]}</a>' in row
    assert "language: tr" in row
    assert '<span class="tag">TKP</span>' in row


def test_an_unknown_list_is_404(client: httpx.Client, site: Site) -> None:
    login(client, site[1])
    assert client.get("/editor/inbox", params={"status": "secret"}).status_code == 404


# -- actions ----------------------------------------------------------------------------------


def test_publish_puts_the_item_on_the_front_page_and_in_the_feed(
    client: httpx.Client, site: Site
) -> None:
    db = site[1]
    public_id = site[2].ids["kke-inbox"]
    title = "Statement still waiting in the inbox"
    assert title not in client.get("/").text
    assert title not in client.get("/index.atom").text
    assert _public(client, public_id).status_code == 404
    csrf = login(client, db)
    response = client.post(f"/editor/items/{public_id}/publish", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["location"] == "/editor/inbox?done=publish"
    assert "Done: publish." in client.get(response.headers["location"]).text
    assert _item(db, public_id).status == "published"
    assert title in client.get("/").text
    assert title in client.get("/index.atom").text
    page = _public(client, public_id)
    assert page.status_code == 200
    assert f"<h1>{title}</h1>" in page.text
    assert _inbox_row(client, public_id) is None
    assert _inbox_row(client, public_id, "published") is not None
    _assert_audited(
        client, db, "item.publish", public_id, {"status": "inbox"}, {"status": "published"}
    )


def test_reject_takes_the_item_out_of_the_inbox(client: httpx.Client, site: Site) -> None:
    db = site[1]
    public_id = site[2].ids["kke-inbox"]
    csrf = login(client, db)
    assert _inbox_row(client, public_id) is not None
    _act(client, csrf, public_id, "reject")
    assert _inbox_row(client, public_id) is None
    assert _inbox_row(client, public_id, "rejected") is not None
    assert _item(db, public_id).status == "rejected"
    assert _public(client, public_id).status_code == 404
    _assert_audited(
        client, db, "item.reject", public_id, {"status": "inbox"}, {"status": "rejected"}
    )


def test_feature_and_unfeature(client: httpx.Client, site: Site) -> None:
    db = site[1]
    public_id = site[2].ids["kke-venezuela"]
    assert _featured_block(client) == ""
    csrf = login(client, db)
    _act(client, csrf, public_id, "feature")
    block = _featured_block(client)
    assert '<h2 id="featured-heading">Featured</h2>' in block
    assert "KKE on the elections in Venezuela" in block
    assert "İzmir" not in block
    assert _item(db, public_id).featured is True
    _assert_audited(client, db, "item.feature", public_id, {"featured": False}, {"featured": True})
    _act(client, csrf, public_id, "unfeature")
    assert "Venezuela" not in _featured_block(client)
    assert _item(db, public_id).featured is False
    _assert_audited(
        client, db, "item.unfeature", public_id, {"featured": True}, {"featured": False}
    )


def test_only_a_published_item_can_be_featured(client: httpx.Client, site: Site) -> None:
    db = site[1]
    public_id = site[2].ids["kke-inbox"]
    csrf = login(client, db)
    entries = len(_audit(db))
    response = client.post(f"/editor/items/{public_id}/feature", data={"csrf_token": csrf})
    assert response.status_code == 409
    assert "only a published item can be featured" in response.text
    assert _item(db, public_id).featured is False
    assert len(_audit(db)) == entries


def test_unpublish_makes_the_public_page_404(client: httpx.Client, site: Site) -> None:
    db = site[1]
    public_id = site[2].ids["kke-venezuela"]
    page = _public(client, public_id)
    assert page.status_code == 200
    slug_url = str(page.url)
    csrf = login(client, db)
    _act(client, csrf, public_id, "unpublish")
    assert client.get(slug_url).status_code == 404
    assert client.get(f"/items/{public_id}").status_code == 404
    assert "Venezuela" not in client.get("/index.atom").text
    assert _inbox_row(client, public_id) is not None  # back in the inbox
    _assert_audited(
        client, db, "item.unpublish", public_id, {"status": "published"}, {"status": "inbox"}
    )


def test_withdraw_makes_the_public_page_410(client: httpx.Client, site: Site) -> None:
    db = site[1]
    public_id = site[2].ids["kke-venezuela"]
    slug_url = str(_public(client, public_id).url)
    csrf = login(client, db)
    _act(client, csrf, public_id, "withdraw")
    assert client.get(slug_url).status_code == 410
    assert "Venezuela</a>" not in client.get("/").text
    _assert_audited(
        client, db, "item.withdraw", public_id, {"status": "published"}, {"status": "withdrawn"}
    )
    # a withdrawn item stays withdrawn: neither republished nor moved back to the inbox
    for action in ("publish", "unpublish", "reject"):
        response = client.post(f"/editor/items/{public_id}/{action}", data={"csrf_token": csrf})
        assert response.status_code == 409, action
    assert _item(db, public_id).status == "withdrawn"
    assert client.get(slug_url).status_code == 410


def test_withdrawing_an_unpublished_item_is_refused(client: httpx.Client, site: Site) -> None:
    csrf = login(client, site[1])
    public_id = site[2].ids["kke-inbox"]
    response = client.post(f"/editor/items/{public_id}/withdraw", data={"csrf_token": csrf})
    assert response.status_code == 409
    assert "only a published item can be withdrawn" in response.text
    assert _item(site[1], public_id).status == "inbox"


def test_unknown_actions_and_items_are_404(client: httpx.Client, site: Site) -> None:
    csrf = login(client, site[1])
    public_id = site[2].ids["kke-inbox"]
    assert (
        client.post(f"/editor/items/{public_id}/delete", data={"csrf_token": csrf}).status_code
        == 404
    )
    assert client.post("/editor/items/nope/publish", data={"csrf_token": csrf}).status_code == 404
    assert client.get("/editor/items/nope").status_code == 404


def _edit(client: httpx.Client, csrf: str, public_id: str, **fields: str) -> httpx.Response:
    form = client.get(f"/editor/items/{public_id}")
    assert form.status_code == 200
    assert csrf_of(form.text) == csrf
    data = {
        "csrf_token": csrf,
        "title": "",
        "lead": "",
        "body_html": "",
        "kind": "",
        "correction": "",
    }
    data.update(fields)
    return client.post(f"/editor/items/{public_id}", data=data)


def test_editing_changes_the_public_page(client: httpx.Client, site: Site) -> None:
    db = site[1]
    public_id = site[2].ids["kke-venezuela"]
    before = _public(client, public_id)
    assert "KKE on the elections in Venezuela" in before.text
    csrf = login(client, db)
    response = _edit(
        client,
        csrf,
        public_id,
        title="KKE on the Venezuelan elections, revisited",
        lead="A lead written by an editor.",
        body_html="<p>The Communist Party of Greece greets the people of Venezuela.</p>",
        kind="statement",
        correction="An earlier version gave the wrong date.",
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/editor/items/{public_id}?done=saved"
    saved = client.get(response.headers["location"])
    assert "Done: saved." in saved.text
    assert 'value="KKE on the Venezuelan elections, revisited"' in saved.text
    row = _item(db, public_id)
    assert row.title == "KKE on the Venezuelan elections, revisited"
    assert row.lead == "A lead written by an editor."
    assert row.kind == "statement"
    assert row.correction == "An earlier version gave the wrong date."
    page = _public(client, public_id)
    assert page.status_code == 200
    assert "<h1>KKE on the Venezuelan elections, revisited</h1>" in page.text
    assert '<p class="lead">A lead written by an editor.</p>' in page.text
    assert "greets the people of Venezuela" in page.text
    assert "An earlier version gave the wrong date." in page.text
    assert "KKE on the Venezuelan elections, revisited" in client.get("/").text
    _assert_audited(
        client,
        db,
        "item.edit",
        public_id,
        {"title": "KKE on the elections in Venezuela", "kind": None, "correction": ""},
        {"title": "KKE on the Venezuelan elections, revisited", "kind": "statement"},
    )


def test_an_edited_body_is_sanitised(client: httpx.Client, site: Site) -> None:
    db = site[1]
    public_id = site[2].ids["kke-venezuela"]
    csrf = login(client, db)
    response = _edit(
        client,
        csrf,
        public_id,
        title="KKE on the elections in Venezuela",
        body_html="<p>Solidarity text.</p><script>alert(1)</script><img src=x onerror=alert(2)>",
    )
    assert response.status_code == 303
    stored = _item(db, public_id).body_html
    assert "<p>Solidarity text.</p>" in stored
    for bad in ("<script", "alert(", "onerror", "<img"):
        assert bad not in stored
    page = _public(client, public_id)
    assert page.status_code == 200
    assert "<p>Solidarity text.</p>" in page.text
    for bad in ("alert(", "onerror", "<img"):
        assert bad not in page.text
    assert "<script>" not in page.text
    editor_page = client.get(f"/editor/items/{public_id}").text
    assert "alert(" not in editor_page
    assert "onerror" not in editor_page
    assert "<script" not in _audit(db)[-1].after["body_html"]


@pytest.mark.parametrize("title", ["", "   "])
def test_an_empty_headline_is_refused_with_a_message(
    client: httpx.Client, site: Site, title: str
) -> None:
    db = site[1]
    public_id = site[2].ids["kke-venezuela"]
    csrf = login(client, db)
    entries = len(_audit(db))
    response = _edit(client, csrf, public_id, title=title, correction="Should not be saved.")
    assert response.status_code == 422
    assert re.search(r'role="alert">the headline must be 1–400 characters<', response.text)
    assert 'id="edit-form"' in response.text  # the form again, to fix
    row = _item(db, public_id)
    assert row.title == "KKE on the elections in Venezuela"
    assert row.correction == ""
    assert len(_audit(db)) == entries


def test_correcting_a_withdrawn_item_updates_its_notice(client: httpx.Client, site: Site) -> None:
    db = site[1]
    public_id = site[2].ids["kke-venezuela"]
    slug_url = str(_public(client, public_id).url)
    csrf = login(client, db)
    _act(client, csrf, public_id, "withdraw")
    assert client.get(slug_url).status_code == 410  # the notice is cached now
    response = _edit(
        client,
        csrf,
        public_id,
        title="KKE on the elections in Venezuela",
        correction="Withdrawn: it was published twice.",
    )
    assert response.status_code == 303
    notice = client.get(slug_url)
    assert notice.status_code == 410
    assert "Withdrawn: it was published twice." in notice.text


def test_the_audit_page_shows_every_action_newest_first(client: httpx.Client, site: Site) -> None:
    db = site[1]
    inbox_id, published_id = site[2].ids["kke-inbox"], site[2].ids["tkp-izmir"]
    csrf = login(client, db)
    _act(client, csrf, inbox_id, "publish")
    _act(client, csrf, published_id, "feature")
    page = client.get("/editor/audit").text
    mine = [e for e in _audit(db) if e.actor == "editor-user"]
    assert [(e.action, e.row_id) for e in mine] == [
        ("item.publish", inbox_id),
        ("item.feature", published_id),
    ]
    assert page.index(f"items {published_id}") < page.index(f"items {inbox_id}")
    assert "user.add" in page  # the login helper added the user through the CLI actor

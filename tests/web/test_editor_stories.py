"""Stories and joint statements through the newsroom, over HTTP on a real server: create a story,
add items, close it; mark an item as a joint statement and add its signatories from the item
page; with CSRF tokens and roles checked on every form."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from seed import Seeded
from websupport import login

from tribune.db.engine import Database
from tribune.db.tables import audit_log, joint_statements, signatures, stories, story_items
from tribune.newsroom.policy import Actor
from tribune.newsroom.signatures import mark_joint
from tribune.newsroom.stories import create_story, set_state

Site = tuple[str, Database, Seeded]
CLI = Actor(name="tests", role="admin", via="cli")


def _audit(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).all())


def _count(db: Database, table: sa.Table) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0)


def _signatures(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(signatures).order_by(signatures.c.id)).all())


def _redirected(response: httpx.Response, location: str) -> None:
    assert response.status_code == 303, response.text
    assert response.headers["location"] == location


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


# -- stories -------------------------------------------------------------------------------------


def test_create_a_story_add_items_and_close_it(client: httpx.Client, site: Site) -> None:
    _, db, seeded = site
    ids = seeded.ids
    csrf = login(client, db)
    listing = client.get("/editor/stories")
    assert listing.status_code == 200
    assert '<a href="/editor/stories">Stories</a>' in listing.text  # in the newsroom's menu
    assert "No story yet." in listing.text
    created = client.post(
        "/editor/stories",
        data={"title": "Elections in Venezuela", "kind": "compilation", "csrf_token": csrf},
    )
    assert created.status_code == 303, created.text
    found = re.fullmatch(
        r"/editor/stories/([0-9a-f-]{36})\?done=created", created.headers["location"]
    )
    assert found, created.headers["location"]
    story_id = found.group(1)
    page = client.get(f"/editor/stories/{story_id}")
    assert page.status_code == 200
    assert "Elections in Venezuela" in page.text
    assert "To be updated" in page.text
    assert '<a href="/stories/elections-in-venezuela">public page</a>' in page.text
    assert (
        f'<a href="/editor/stories/{story_id}">Elections in Venezuela</a>'
        in client.get("/editor/stories").text
    )
    # entries: by public id, or by the address of the item's page
    add = f"/editor/stories/{story_id}/entries"
    _redirected(
        client.post(
            add,
            data={"item": ids["tkp-izmir"], "subheadline": "Turkey", "csrf_token": csrf},
        ),
        f"/editor/stories/{story_id}?done=added-1",
    )
    pasted = f"https://tribune.example/items/{ids['kke-venezuela']}/kke-on-the-elections"
    _redirected(
        client.post(add, data={"item": pasted, "subheadline": "Greece", "csrf_token": csrf}),
        f"/editor/stories/{story_id}?done=added-2",
    )
    page = client.get(f"/editor/stories/{story_id}").text
    rows = re.findall(
        r"<tr>\s*<td>(\d+)</td>.*?<td>([^<]*)</td>\s*<td><a href=\"/editor/items/([^\"]+)\"",
        page,
        re.S,
    )
    assert rows == [
        ("1", "Turkey", ids["tkp-izmir"]),
        ("2", "Greece", ids["kke-venezuela"]),
    ]
    # refusals come back on the story's page with the reason, the form kept
    again = client.post(
        add, data={"item": ids["tkp-izmir"], "subheadline": "Twice", "csrf_token": csrf}
    )
    assert again.status_code == 409
    assert "the item is in this story already" in again.text
    assert 'value="Twice"' in again.text
    unread = client.post(add, data={"item": ids["kke-inbox"], "csrf_token": csrf})
    assert unread.status_code == 409
    assert "only a published item" in unread.text
    assert (
        client.post(
            "/editor/stories/no-such-story/entries",
            data={"item": ids["tkp-izmir"], "csrf_token": csrf},
        ).status_code
        == 404
    )
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(story_items)).scalar() == 2
    # readers see it
    public = client.get("/stories/elections-in-venezuela")
    assert public.status_code == 200
    assert public.text.index("Turkey") < public.text.index("Greece")
    # close, then reopen
    _redirected(
        client.post(
            f"/editor/stories/{story_id}/state", data={"state": "closed", "csrf_token": csrf}
        ),
        f"/editor/stories/{story_id}?done=closed",
    )
    page = client.get(f"/editor/stories/{story_id}").text
    assert "Updated" in page
    assert "Reopen" in page
    assert "<strong>Updated</strong>" in client.get("/stories/elections-in-venezuela").text
    bad = client.post(
        f"/editor/stories/{story_id}/state", data={"state": "gone", "csrf_token": csrf}
    )
    assert bad.status_code == 422
    _redirected(
        client.post(
            f"/editor/stories/{story_id}/state", data={"state": "open", "csrf_token": csrf}
        ),
        f"/editor/stories/{story_id}?done=reopened",
    )
    actions = [(e.actor, e.action) for e in _audit(db) if e.action.startswith("story.")]
    assert actions == [
        ("editor-user", "story.create"),
        ("editor-user", "story.add"),
        ("editor-user", "story.add"),
        ("editor-user", "story.close"),
        ("editor-user", "story.reopen"),
    ]
    assert all(e.user_id is not None for e in _audit(db) if e.action.startswith("story."))


def test_a_bad_title_comes_back_with_the_reason(client: httpx.Client, site: Site) -> None:
    csrf = login(client, site[1])
    empty = client.post("/editor/stories", data={"title": "   ", "csrf_token": csrf})
    assert empty.status_code == 422
    assert "a story&#39;s title is 1–400 characters" in empty.text
    kind = client.post(
        "/editor/stories", data={"title": "Fine", "kind": "blog", "csrf_token": csrf}
    )
    assert kind.status_code == 422
    assert "unknown story kind" in kind.text
    assert 'value="Fine"' in kind.text
    assert _count(site[1], stories) == 0


def test_add_to_a_compilation_from_the_item_page(client: httpx.Client, site: Site) -> None:
    _, db, seeded = site
    item = seeded.ids["kke-venezuela"]
    ref = create_story(db, CLI, "Solidarity with Venezuela")
    closed = create_story(db, CLI, "A closed story")
    set_state(db, CLI, closed.public_id, "closed")
    csrf = login(client, db)
    page = client.get(f"/editor/items/{item}").text
    assert "Add to a compilation" in page
    choices = re.search(r'<select id="tools-story" name="story"[^>]*>(.*?)</select>', page, re.S)
    assert choices, "no select of open stories"
    assert ref.public_id in choices.group(1)
    assert closed.public_id not in choices.group(1)  # only open stories
    back = f"/editor/items/{item}"
    _redirected(
        client.post(
            "/editor/stories/entries",
            data={
                "story": ref.public_id,
                "item": item,
                "subheadline": "Greece",
                "back": back,
                "csrf_token": csrf,
            },
        ),
        f"{back}?done=added-1",
    )
    page = client.get(f"/editor/items/{item}").text
    assert f'In: <a href="/editor/stories/{ref.public_id}">Solidarity with Venezuela</a>' in page
    assert "No other story is open" in page
    # an inbox item cannot be added yet: the page says so instead of offering the form
    unread = client.get(f"/editor/items/{seeded.ids['kke-inbox']}").text
    assert "Publish the item to add it to a compilation." in unread
    # "back" never leads off the newsroom
    other = create_story(db, CLI, "Another story")
    response = client.post(
        "/editor/stories/entries",
        data={
            "story": other.public_id,
            "item": item,
            "back": "https://evil.example/",
            "csrf_token": csrf,
        },
    )
    _redirected(response, f"/editor/stories/{other.public_id}?done=added-1")


# -- joint statements ----------------------------------------------------------------------------


def test_mark_a_joint_statement_and_add_signatories(client: httpx.Client, site: Site) -> None:
    _, db, seeded = site
    item = seeded.ids["tkp-izmir"]
    back = f"/editor/items/{item}"
    csrf = login(client, db)
    page = client.get(back).text
    assert "Mark as a joint statement" in page
    assert "Add a signatory" not in page
    _redirected(
        client.post(
            "/editor/joint-statements",
            data={"item": item, "initiators": "tr-tkp, gr-kke", "back": back, "csrf_token": csrf},
        ),
        f"{back}?done=joint-statement",
    )
    with db.read() as conn:
        joint = conn.execute(sa.select(joint_statements)).one()
    assert list(joint.initiators) == ["tr-tkp", "gr-kke"]
    page = client.get(back).text
    assert "Mark as a joint statement" not in page
    assert 'id="add-signatory"' in page
    assert f'action="/editor/joint-statements/{joint.public_id}/signatures"' in page
    datalist = re.search(r'<datalist id="kb-orgs">(.*?)</datalist>', page, re.S)
    assert datalist, "no list of KB organisations"
    options = re.findall(r'<option value="([^"]+)">', datalist.group(1))
    assert "gr-kke" in options
    assert len(options) <= 400
    assert not any(o.startswith("pf-") for o in options)  # the world parties are typed
    assert f'name="added_on" type="date" value="{_today()}"' in page
    assert 'value="tr-tkp, gr-kke"' in page  # the initiators, to edit
    sign = f"/editor/joint-statements/{joint.public_id}/signatures"
    earlier = (datetime.now(UTC).date() - timedelta(days=4)).isoformat()
    for data in (
        {"org": "gr-kke", "group": "Parties", "added_on": earlier},
        {"org": "tr-tkp", "group": "Parties", "added_on": earlier},
        {"raw_name": "Workers' Party of Atlantis", "group": "Parties", "added_on": _today()},
    ):
        _redirected(
            client.post(sign, data={**data, "back": back, "csrf_token": csrf}),
            f"{back}?done=signed",
        )
    rows = _signatures(db)
    assert [(r.org_id, r.raw_name, r.group_name) for r in rows] == [
        ("gr-kke", "", "Parties"),
        ("tr-tkp", "", "Parties"),
        (None, "Workers' Party of Atlantis", "Parties"),
    ]
    assert rows[0].added_at.date().isoformat() == earlier
    assert rows[2].added_at.date().isoformat() == _today()
    page = client.get(back).text
    assert 'Workers&#39; Party of Atlantis <span class="muted">(not in the KB)</span>' in page
    # refusals answer with the reason
    twice = client.post(sign, data={"org": "gr-kke", "back": back, "csrf_token": csrf})
    assert twice.status_code == 409
    assert "this signatory is on the list already" in twice.text
    unknown = client.post(sign, data={"org": "xx-nobody", "back": back, "csrf_token": csrf})
    assert unknown.status_code == 409
    assert "xx-nobody" in unknown.text
    undated = client.post(sign, data={"org": "pt-pcp", "added_on": "soon", "csrf_token": csrf})
    assert undated.status_code == 422
    bad_mark = client.post(
        "/editor/joint-statements",
        data={"item": item, "initiators": "xx-nobody", "csrf_token": csrf},
    )
    assert bad_mark.status_code == 422
    assert len(_signatures(db)) == 3
    # readers see the list and its history, with the marker
    public = client.get(f"/joint-statements/{joint.public_id}").text
    assert "New signatures" in public
    assert "Workers&#39; Party of Atlantis" in public
    assert [e.action for e in _audit(db) if e.action.startswith("joint.")] == [
        "joint.mark",
        "joint.sign",
        "joint.sign",
        "joint.sign",
    ]


# -- who may ------------------------------------------------------------------------------------


def _forms(site: Site) -> list[tuple[str, dict[str, str]]]:
    """Every form of this module, filled in as if valid."""
    _, db, seeded = site
    ids = seeded.ids
    story = create_story(db, CLI, "A story")
    joint = mark_joint(db, CLI, ids["kke-venezuela"])
    return [
        ("/editor/stories", {"title": "Another story", "kind": "compilation"}),
        (f"/editor/stories/{story.public_id}/entries", {"item": ids["tkp-izmir"]}),
        ("/editor/stories/entries", {"story": story.public_id, "item": ids["tkp-izmir"]}),
        (f"/editor/stories/{story.public_id}/state", {"state": "closed"}),
        ("/editor/joint-statements", {"item": ids["tkp-izmir"], "initiators": "tr-tkp"}),
        (f"/editor/joint-statements/{joint.public_id}/signatures", {"org": "gr-kke"}),
    ]


def _nothing_changed(db: Database) -> None:
    assert _count(db, stories) == 1
    assert _count(db, story_items) == 0
    assert _count(db, joint_statements) == 1
    assert _count(db, signatures) == 0
    with db.read() as conn:
        assert conn.execute(sa.select(stories.c.state)).scalar() == "open"


def test_forms_without_the_csrf_token_are_refused(client: httpx.Client, site: Site) -> None:
    forms = _forms(site)
    csrf = login(client, site[1])
    for path, data in forms:
        for token in ({}, {"csrf_token": "not-the-token"}):
            response = client.post(path, data={**data, **token})
            assert response.status_code == 403, (path, token, response.text)
            assert "security token" in response.text
    _nothing_changed(site[1])
    assert client.get("/editor/stories").status_code == 200  # still logged in: a real token
    assert csrf


@pytest.mark.parametrize("who", ["viewer", "anonymous"])
def test_only_editors_change_stories_and_signatures(
    client: httpx.Client, site: Site, who: str
) -> None:
    forms = _forms(site)
    csrf = "none"
    if who == "viewer":
        csrf = login(client, site[1], role="viewer")
        assert client.get("/editor/stories").status_code == 200  # a viewer may read
    else:
        response = client.get("/editor/stories")
        assert response.status_code == 303
        assert response.headers["location"].startswith("/editor/login")
    for path, data in forms:
        response = client.post(path, data={**data, "csrf_token": csrf})
        assert response.status_code == 403, (path, response.text)
    _nothing_changed(site[1])

"""The stories stage's suggestions in the newsroom: an editor starts a compilation from the
inbox, readers find it on the public site, and a later voice is added from its suggestion."""

from __future__ import annotations

import html
import re

import httpx2 as httpx
from seed import Seeded
from seedstories import add_late_voice, seed_strike
from websupport import CLI, login

from tribune.db.engine import Database
from tribune.newsroom.users import add_token
from tribune.understand import story_stage

Site = tuple[str, Database, Seeded]
TOPIC = "Statements by the parties on the general strike in Greece"


def _compilation_form(page: str) -> str:
    """The story public id of the compilation suggested with KKE and TKP."""
    for found in re.finditer(r'<li class="compilation-suggestion">(.*?)</form>', page, re.S):
        block = html.unescape(found.group(1))
        if "KKE, TKP" in block and "Γενική απεργία" in block:
            action = re.search(r'action="/editor/stories/([^/]+)/suggestion"', block)
            assert action is not None
            return action.group(1)
    raise AssertionError("no compilation suggested for the strike")


def test_an_editor_starts_a_compilation_from_the_inbox(client: httpx.Client, site: Site) -> None:
    db = site[1]
    seed = seed_strike(db)
    csrf = login(client, db, "editor")
    inbox = client.get("/editor/inbox")
    assert inbox.status_code == 200
    assert "Compilations to start" in inbox.text
    story = _compilation_form(inbox.text)
    answered = client.post(
        f"/editor/stories/{story}/suggestion",
        data={"csrf_token": csrf, "answer": "accept", "topic": TOPIC, "back": "/editor/inbox"},
    )
    assert answered.status_code == 303
    assert answered.headers["location"] == f"/editor/stories/{story}?done=compilation-started"
    public = client.get(f"/stories/{story}", follow_redirects=True)
    assert public.status_code == 200
    text = html.unescape(public.text)
    assert f"{TOPIC}: KKE, TKP (To be updated)" in text
    assert seed.ids["tkp"] in public.text
    # the later voice is suggested as an entry, and once accepted it is on the public page
    late = add_late_voice(db, seed)
    story_stage.run(db, pending=True)
    stories_page = client.get("/editor/stories")
    assert "Entries to add" in stories_page.text
    assert late in stories_page.text
    added = client.post(
        f"/editor/stories/{story}/suggested-entries",
        data={"csrf_token": csrf, "item": late, "answer": "accept", "back": "/editor/stories"},
    )
    assert added.status_code == 303
    public = client.get(f"/stories/{story}", follow_redirects=True)
    assert late in public.text
    assert f"{TOPIC}: KKE, TKP, PCP (To be updated)" in html.unescape(public.text)


def test_refusals_and_wrong_answers(client: httpx.Client, site: Site) -> None:
    db = site[1]
    seed_strike(db)
    csrf = login(client, db, "editor")
    story = _compilation_form(client.get("/editor/inbox").text)
    wrong = client.post(
        f"/editor/stories/{story}/suggestion", data={"csrf_token": csrf, "answer": "maybe"}
    )
    assert wrong.status_code == 409
    assert "answer accept or reject" in wrong.text
    missing = client.post(
        "/editor/stories/no-such-story/suggestion", data={"csrf_token": csrf, "answer": "accept"}
    )
    assert missing.status_code == 404
    refused = client.post(
        f"/editor/stories/{story}/suggestion",
        data={"csrf_token": csrf, "answer": "reject", "back": "/editor/inbox"},
    )
    assert refused.status_code == 303
    assert refused.headers["location"] == "/editor/inbox?done=compilation-refused"
    assert story not in client.get("/editor/inbox").text
    assert client.get(f"/stories/{story}").status_code == 404  # never public


def test_the_api_lists_and_answers_story_suggestions(site: Site) -> None:
    url, db, _ = site
    seed = seed_strike(db)
    writer = add_token(db, "stories-writer", ["stories:write"], CLI)
    reader = add_token(db, "stories-reader", ["read"], CLI)
    with httpx.Client(base_url=url, timeout=20) as api:
        assert api.get("/api/v1/story-suggestions").status_code == 401
        listed = api.get("/api/v1/story-suggestions", headers=_bearer(reader))
        assert listed.status_code == 200
        (found,) = [c for c in listed.json()["compilations"] if "Γενική" in c["summary"]]
        assert found["organizations"] == ["gr-kke", "tr-tkp"]
        assert found["headline"].endswith(": KKE, TKP (To be updated)")
        path = f"/api/v1/stories/{found['story']}"
        refused = api.post(f"{path}/accept-compilation", json={}, headers=_bearer(reader))
        assert refused.status_code == 403
        accepted = api.post(
            f"{path}/accept-compilation", json={"topic": TOPIC}, headers=_bearer(writer)
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["slug"]
        again = api.post(f"{path}/accept-compilation", json={}, headers=_bearer(writer))
        assert again.status_code == 409
        story = api.get(path).json()
        assert story["title"] == f"{TOPIC}: KKE, TKP (To be updated)"
        late = add_late_voice(db, seed)
        story_stage.run(db, pending=True)
        entries = api.get("/api/v1/story-suggestions", headers=_bearer(writer)).json()["entries"]
        assert [(e["story"], e["item"]) for e in entries] == [(found["story"], late)]
        added = api.post(f"{path}/suggested-entries/{late}/accept", headers=_bearer(writer))
        assert added.status_code == 200, added.text
        assert added.json()["position"] == 3
        gone = api.post(f"{path}/suggested-entries/{late}/reject", headers=_bearer(writer))
        assert gone.status_code == 409


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}

"""Hostile HTML never runs: not when a party's feed carries it, not when an editor types it.

The statement goes the real way: a feed served on loopback by the replay server, a poll that
stores it, an editor who publishes and edits it through the newsroom. Then Chromium opens the
pages readers see; no dialog may fire and no injected element or handler may exist.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx
import sqlalchemy as sa
from playwright.sync_api import Browser, Page
from seed import Seeded
from websupport import PASSWORD, csrf_of, login

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import items
from tribune.ingest.poll import poll
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer

Site = tuple[str, Database, Seeded]
PAYLOAD = (
    '<p>The party salutes the strike.</p><script>window.__xss = "script"; alert(1)</script>'
    '<img src="x" onerror="window.__xss=\'onerror\'; alert(2)">'
    '<a href="javascript:alert(3)" id="js-link">click</a>'
    '<svg><script>alert(4)</script></svg><iframe src="javascript:alert(5)"></iframe>'
    '<p onclick="alert(6)" style="background:url(javascript:alert(7))">More text about the '
    "working class and its struggle, long enough to be an article.</p>"
)
TYPED = '<img src=x onerror="alert(8)"><script>alert(9)</script>'


def _feed(tmp_path: Path) -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "id": "xss-1",
                "url": "{{site}}/s/xss",
                "title": "A statement with hostile markup",
                "content_html": PAYLOAD,
            }
        ],
    }
    (tmp_path / "party").mkdir()
    (tmp_path / "party" / "feed.json").write_text(json.dumps(feed), encoding="utf-8")


def _assert_inert(page: Page, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.evaluate("window.__xss") is None
    injected = page.evaluate(
        """() => ({
            handlers: [...document.querySelectorAll('*')].filter(
                e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
            scripts: [...document.scripts].filter(
                s => s.type !== 'application/ld+json' && !s.src.endsWith('/static/editor.js')
            ).length,
            jsLinks: [...document.querySelectorAll('a[href^="javascript:"]')].length,
            frames: document.querySelectorAll('iframe, svg script').length,
        })"""
    )
    assert injected == {"handlers": 0, "scripts": 0, "jsLinks": 0, "frames": 0}


def test_hostile_markup_from_a_feed_and_from_an_editor_never_runs(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    url, db, _seeded = site
    _feed(tmp_path)
    with ReplayServer(tmp_path) as replay:
        add_source(db, NewSource(url=replay.url("party", "/feed.json"), org_id="gr-kke"))
        settings = Settings(database_url=db.url, allow_private_networks=True)
        # Playwright's event loop runs in this thread: the poll gets a thread of its own
        with ThreadPoolExecutor(1) as pool:
            pool.submit(poll, db, which="all", settings=settings).result()
    with db.read() as conn:
        public_id, stored = conn.execute(
            sa.select(items.c.public_id, items.c.body_html).where(
                items.c.title == "A statement with hostile markup"
            )
        ).one()
    assert "<script" not in stored
    assert "onerror" not in stored
    assert "javascript:" not in stored

    with httpx.Client(base_url=url, follow_redirects=False, timeout=20) as client:
        token = login(client, db)
        for action in ("publish",):
            done = client.post(f"/editor/items/{public_id}/{action}", data={"csrf_token": token})
            assert done.status_code == 303
        form = client.get(f"/editor/items/{public_id}")
        saved = client.post(
            f"/editor/items/{public_id}",
            data={
                "csrf_token": csrf_of(form.text),
                "title": f"Headline {TYPED}",
                "lead": f"Lead {TYPED}",
                "body_html": f"<p>Body</p>{TYPED}{PAYLOAD}",
                "correction": f"Note {TYPED}",
            },
        )
        assert saved.status_code == 303

    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ("/", f"/items/{public_id}", "/editor/login"):
        page.goto(url + path)
        _assert_inert(page, dialogs)
    # the typed headline is shown as text, not as markup
    page.goto(f"{url}/items/{public_id}")
    assert page.locator("h1").inner_text() == f"Headline {TYPED}"
    assert page.locator(".correction").inner_text().endswith(f"Note {TYPED}")
    # and in the newsroom, where an editor meets it
    page.goto(f"{url}/editor/login")
    page.fill("#name", "editor-user")
    page.fill("#password", PASSWORD)
    page.click("form[action='/editor/login'] button")
    page.wait_for_url(f"{url}/editor/inbox")
    for path in ("/editor/inbox?status=published", f"/editor/items/{public_id}", "/editor/audit"):
        page.goto(url + path)
        _assert_inert(page, dialogs)

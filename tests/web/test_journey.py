"""The newsroom's day, end to end in Chromium: an editor logs in, publishes an inbox item, adds
it to a compilation and adds a signature to a joint statement; a reader then finds each change
on the front page, the organisation page, the compilation page, the joint statement's page and
in the Atom feed. Screenshots of each step are kept in ``test-output/screenshots/``."""

from __future__ import annotations

import os
from pathlib import Path

import feedparser
from playwright.sync_api import Browser, Page, expect
from seed import Seeded
from websupport import CLI, PASSWORD

from tribune.db.engine import Database
from tribune.newsroom.users import add_user

Site = tuple[str, Database, Seeded]
SHOTS = Path(os.environ.get("TRIBUNE_TEST_OUTPUT", "test-output")) / "screenshots"
STORY = "Statements by the parties on Venezuela's elections"


def _shot(page: Page, backend: str, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"journey-{backend}-{name}.png"), full_page=True)


def test_an_editors_changes_reach_the_readers(browser: Browser, site: Site, backend: str) -> None:
    url, db, seeded = site
    waiting, joint_item = seeded.ids["kke-inbox"], seeded.ids["tkp-izmir"]
    add_user(db, "maria", PASSWORD, "editor", CLI)
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    # log in
    page.goto(f"{url}/editor/login")
    page.fill("#name", "maria")
    page.fill("#password", PASSWORD)
    page.click("form[action='/editor/login'] button")
    page.wait_for_url(f"{url}/editor/inbox")
    _shot(page, backend, "1-inbox")

    # publish the waiting item from the inbox, with the keyboard
    expect(page.locator("tr.current")).to_have_attribute("data-item", waiting)
    page.keyboard.press("p")
    page.wait_for_url("**done=publish**")

    # a compilation, and the item in it with its own sub-headline
    page.goto(f"{url}/editor/stories")
    page.fill("#story-title", STORY)
    page.click("text=Create the story")
    page.goto(f"{url}/editor/items/{waiting}")
    page.select_option("#tools-story", label=f"{STORY} (0)")  # no entry yet
    page.fill("#tools-subheadline", "KKE: the will of the working class")
    page.click("text=Add to the story")
    page.wait_for_url(f"**/editor/items/{waiting}**")
    expect(page.locator("section.story-tools").first).to_contain_text(STORY)
    _shot(page, backend, "2-item-in-story")

    # a joint statement and a signature
    page.goto(f"{url}/editor/items/{joint_item}")
    page.fill("#joint-initiators", "tr-tkp")
    page.click("#mark-joint button")
    page.fill("#sign-org", "gr-kke")
    page.fill("#sign-group", "SolidNet parties")
    page.click("#add-signatory button")
    page.wait_for_url(f"**/editor/items/{joint_item}**")
    expect(page.locator("table.signatories")).to_contain_text("Communist Party of Greece")
    _shot(page, backend, "3-signature")

    # what a reader sees
    reader = browser.new_page()
    reader.goto(url)
    expect(reader.locator("main")).to_contain_text("Statement still waiting in the inbox")
    _shot(reader, backend, "4-front")
    reader.goto(f"{url}/orgs/gr-kke")
    expect(reader.locator("main")).to_contain_text("Statement still waiting in the inbox")
    _shot(reader, backend, "5-organisation")
    reader.goto(f"{url}/stories")
    reader.click(f"text={STORY}")
    expect(reader.locator("main")).to_contain_text("To be updated")
    expect(reader.locator("main")).to_contain_text("KKE: the will of the working class")
    _shot(reader, backend, "6-compilation")
    reader.goto(f"{url}/items/{joint_item}")
    reader.click("a[href^='/joint-statements/']")
    expect(reader.locator("main")).to_contain_text("SolidNet parties")
    expect(reader.locator("main")).to_contain_text("Communist Party of Greece")
    _shot(reader, backend, "7-joint-statement")
    atom = reader.request.get(f"{url}/index.atom")
    feed = feedparser.parse(atom.body())
    assert feed.bozo == 0
    assert "Statement still waiting in the inbox" in [e.title for e in feed.entries]
    assert dialogs == []

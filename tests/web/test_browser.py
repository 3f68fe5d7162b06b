"""In a real browser (Debian's Chromium through Playwright): the newsroom's keyboard works, the
pages run no inline script and break no Content-Security-Policy rule. Screenshots are kept in
the test's output directory."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page
from seed import Seeded
from websupport import CLI, PASSWORD

from tribune.db.engine import Database
from tribune.newsroom.users import add_user

Site = tuple[str, Database, Seeded]


def _watch(page: Page) -> list[str]:
    """Console errors (a CSP violation is one) and dialogs, as they happen."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_editor_publishes_with_the_keyboard(browser: Browser, site: Site, tmp_path: Path) -> None:
    url, db, seeded = site
    add_user(db, "keys", PASSWORD, "editor", CLI)
    page = browser.new_page()
    problems = _watch(page)
    page.goto(f"{url}/editor/inbox")
    assert "/editor/login" in page.url  # sent to log in first
    page.fill("#name", "keys")
    page.fill("#password", PASSWORD)
    page.click("form[action='/editor/login'] button")
    page.wait_for_url(f"{url}/editor/inbox")
    row = page.locator("tr.current")
    assert row.get_attribute("data-item") == seeded.ids["kke-inbox"]
    page.screenshot(path=str(tmp_path / "inbox.png"), full_page=True)
    page.keyboard.press("p")  # publish the current item
    page.wait_for_url("**done=publish**")
    page.goto(url)
    assert page.locator("text=Statement still waiting in the inbox").count() == 1
    page.screenshot(path=str(tmp_path / "front.png"), full_page=True)
    assert problems == []


def test_reader_pages_work_without_breaking_the_policy(browser: Browser, site: Site) -> None:
    url, _db, seeded = site
    page = browser.new_page(java_script_enabled=False)
    page.goto(url)
    assert page.locator("h2#latest-heading").inner_text() == "Latest statements"
    page.click("text=KKE on the elections in Venezuela")
    assert page.locator("h1").inner_text() == "KKE on the elections in Venezuela"
    scripted = browser.new_page()
    problems = _watch(scripted)
    scripted.goto(f"{url}/items/{seeded.ids['tkp-izmir']}")
    assert scripted.locator("h1").inner_text() == "The 21st IMCWP has started in İzmir"
    assert problems == []

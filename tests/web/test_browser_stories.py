"""In Chromium: an editor starts a suggested compilation from the inbox, typing its headline
(the inbox's keys do not fire inside the field), and readers find it on the public site."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser
from seed import Seeded
from seedstories import seed_strike
from websupport import CLI, PASSWORD

from tribune.db.engine import Database
from tribune.newsroom.users import add_user

Site = tuple[str, Database, Seeded]
TOPIC = "Statements by the parties on the general strike in Greece"


def test_an_editor_starts_a_compilation_in_the_browser(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    url, db, _ = site
    seed = seed_strike(db)
    add_user(db, "compiler", PASSWORD, "editor", CLI)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{url}/editor/login")
    page.fill("#name", "compiler")
    page.fill("#password", PASSWORD)
    page.click("form[action='/editor/login'] button")
    page.wait_for_url(f"{url}/editor/inbox")
    suggestion = page.locator("li.compilation-suggestion", has_text="Γενική απεργία")
    assert suggestion.count() == 1
    assert "2 parties have spoken on" in suggestion.inner_text()
    # "p" and "r" typed in the headline field stay in it: nothing is published or rejected
    suggestion.locator("input[name=topic]").fill("")
    suggestion.locator("input[name=topic]").type(TOPIC)
    assert suggestion.locator("input[name=topic]").input_value() == TOPIC
    page.screenshot(path=str(tmp_path / "suggestion.png"), full_page=True)
    suggestion.locator("button[value=accept]").click()
    page.wait_for_url("**done=compilation-started**")
    assert page.locator("h1").inner_text().startswith(TOPIC)
    page.goto(f"{url}/stories")
    page.click(f"text={TOPIC}: KKE, TKP (To be updated)")
    assert page.locator("h1").inner_text() == f"{TOPIC}: KKE, TKP (To be updated)"
    assert page.locator(f'a[href*="{seed.ids["tkp"]}"]').count() >= 1
    assert page.locator("section.responses").count() == 1
    page.screenshot(path=str(tmp_path / "compilation.png"), full_page=True)
    assert errors == []

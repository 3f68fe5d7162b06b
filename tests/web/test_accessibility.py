"""axe-core (bundled by axe-playwright-python) on every page type, in Debian's Chromium: no
serious or critical violation. Each page type is listed here; a new one belongs in PAGES."""

from __future__ import annotations

from playwright.sync_api import Browser
from seed import Seeded
from websupport import CLI, PASSWORD

from tribune.db.engine import Database
from tribune.newsroom.users import add_user

Site = tuple[str, Database, Seeded]

# (name, path): {ids[...]} is filled with the seeded items' public ids
READER_PAGES = [
    ("front page", "/"),
    ("item page", "/items/{kke-venezuela}/kke-on-the-elections-in-venezuela"),
    ("not found", "/items/none/none"),
]
EDITOR_PAGES = [
    ("login", "/editor/login"),
    ("inbox", "/editor/inbox"),
    ("published list", "/editor/inbox?status=published"),
    ("item editor", "/editor/items/{kke-inbox}"),
    ("audit log", "/editor/audit"),
]


def _serious(browser: Browser, url: str, cookies: list[dict[str, str]] | None = None) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    if cookies:
        context.add_cookies(cookies)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url)
    results = Axe().run(page)
    context.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _fill(path: str, seeded: Seeded) -> str:
    for name, public_id in seeded.ids.items():
        path = path.replace("{" + name + "}", public_id)
    return path


def test_reader_pages_have_no_serious_violations(browser: Browser, site: Site) -> None:
    url, _db, seeded = site
    found = {name: _serious(browser, url + _fill(path, seeded)) for name, path in READER_PAGES}
    assert found == {name: [] for name, _ in READER_PAGES}


def test_newsroom_pages_have_no_serious_violations(browser: Browser, site: Site) -> None:
    url, db, seeded = site
    add_user(db, "axe", PASSWORD, "editor", CLI)
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/editor/login")
    page.fill("#name", "axe")
    page.fill("#password", PASSWORD)
    page.click("form[action='/editor/login'] button")
    page.wait_for_url(f"{url}/editor/inbox")
    cookies = [c for c in context.cookies() if c["name"] == "tribune_session"]
    assert cookies, "logged in"
    session = [{"name": "tribune_session", "value": cookies[0]["value"], "url": url}]
    context.close()
    found = {
        name: _serious(browser, url + _fill(path, seeded), session) for name, path in EDITOR_PAGES
    }
    assert found == {name: [] for name, _ in EDITOR_PAGES}


def test_the_scan_finds_what_it_should(browser: Browser) -> None:
    """The scanner is not toothless: an image without alt text and an unlabelled input fail."""
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page()
    page.set_content(
        '<html lang="en"><body><main><h1>x</h1><img src="data:,">'
        '<input type="text"></main></body></html>'
    )
    ids = {v["id"] for v in Axe().run(page).response["violations"]}
    page.close()
    assert {"image-alt", "label"} <= ids

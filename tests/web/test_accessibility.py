"""axe-core (bundled by axe-playwright-python) on every page type, in Debian's Chromium: no
serious or critical violation. Each page type is listed here; a new one belongs in PAGES."""

from __future__ import annotations

from playwright.sync_api import Browser
from seed import Seeded, add_item
from seedstories import seed_strike
from websupport import CLI, PASSWORD

from tribune.db.engine import Database
from tribune.newsroom.signatures import add_signature, mark_joint
from tribune.newsroom.stories import add_entry, create_story
from tribune.newsroom.users import add_user
from tribune.understand import joint_stage

Site = tuple[str, Database, Seeded]

# (name, path): {ids[...]} is filled with the seeded items' public ids
READER_PAGES = [
    ("front page", "/"),
    ("item page", "/items/{kke-venezuela}/kke-on-the-elections-in-venezuela"),
    ("organisation", "/orgs/gr-kke"),
    ("country", "/countries/GR"),
    ("person", "/people/dimitris-koutsoumbas"),
    ("event", "/events/imcwp-21"),
    ("archive index", "/archive"),
    ("archive month", "/archive/2026/11"),
    ("search", "/search?q=venezuela"),
    ("stories", "/stories"),
    ("story", "/stories/{story}"),
    ("joint statements", "/joint-statements"),
    ("joint statement", "/joint-statements/{joint}"),
    ("not found", "/items/none/none"),
]
EDITOR_PAGES = [
    ("login", "/editor/login"),
    ("inbox", "/editor/inbox"),
    ("published list", "/editor/inbox?status=published"),
    ("item editor", "/editor/items/{kke-inbox}"),
    ("item entities", "/editor/items/{kke-venezuela}/entities"),
    ("stories", "/editor/stories"),
    ("story", "/editor/stories/{story-id}"),
    ("sources", "/editor/sources"),
    ("knowledge base", "/editor/kb"),
    ("audit log", "/editor/audit"),
    ("joint statements found", "/editor/joint-suggestions"),
    ("joint statement tools", "/editor/items/{tkp-izmir}"),
]


def _story_and_joint(db: Database, seeded: Seeded) -> None:
    """A compilation and a joint statement, so their pages have something to show."""
    story = create_story(db, CLI, "Statements on Venezuela's elections")
    add_entry(db, CLI, story.public_id, seeded.ids["kke-venezuela"], "KKE: solidarity")
    joint = mark_joint(db, CLI, seeded.ids["tkp-izmir"], ["tr-tkp"])
    add_signature(db, CLI, joint.public_id, org_id="gr-kke", group="SolidNet parties")
    seeded.ids.update({"story": story.slug, "story-id": story.public_id, "joint": joint.public_id})
    seed_strike(db)  # the stories stage's suggestions, shown in the inbox and on the stories page
    add_item(  # a joint statement the signatures stage finds, with a name kept raw
        db,
        seeded.sources["kke"],
        "Joint statement on Cuba",
        "We, the undersigned parties, call for the end of the blockade.\n\nSignatories:\n"
        "1. Communist Party of Greece\n2. Communist Party of Turkey\n3. Communist Party of Kenya",
    )
    joint_stage.run(db, pending=True)


def _serious(browser: Browser, url: str, cookies: list[dict[str, str]] | None = None) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context()
    if cookies:
        context.add_cookies(cookies)  # type: ignore[arg-type]
    page = context.new_page()
    response = page.goto(url)
    assert response is not None
    expected = 404 if url.endswith("/items/none/none") else 200
    assert response.status == expected, f"{url} answered {response.status}"
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
    url, db, seeded = site
    _story_and_joint(db, seeded)
    found = {name: _serious(browser, url + _fill(path, seeded)) for name, path in READER_PAGES}
    assert found == {name: [] for name, _ in READER_PAGES}


def test_newsroom_pages_have_no_serious_violations(browser: Browser, site: Site) -> None:
    url, db, seeded = site
    _story_and_joint(db, seeded)
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

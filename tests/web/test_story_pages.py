"""Reader pages of stories and joint statements, through a real server: a compilation's entries in
the order added with their sub-headlines and state, its feeds, a joint statement's groups and
dated history, and the "New signatures" marker on its page and on the front page."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import feedparser
import httpx2 as httpx
import sqlalchemy as sa
from seed import BASE, Seeded, add_item, add_source, publish_directly

from tribune.db.engine import Database
from tribune.db.tables import stories
from tribune.newsroom.items import set_status
from tribune.newsroom.policy import Actor
from tribune.newsroom.signatures import add_signature, mark_joint
from tribune.newsroom.stories import StoryRef, add_entry, create_story, set_state

Site = tuple[str, Database, Seeded]
CLI = Actor(name="tests", role="admin", via="cli")


def _days_ago(n: int) -> date:
    return datetime.now(UTC).date() - timedelta(days=n)


def _story(site: Site) -> tuple[StoryRef, str]:
    """A compilation on Venezuela: the TKP's item added first, though the KKE spoke earlier."""
    _, db, seeded = site
    ids = seeded.ids
    ids["pcp"] = add_item(
        db,
        add_source(db, "pt-pcp", "http://pcp.example/feed"),
        "PCP on Venezuela",
        "The Portuguese Communist Party salutes the people of Venezuela.",
        when=BASE + timedelta(hours=5),
    )
    publish_directly(db, ids["pcp"])
    ref = create_story(db, CLI, "Elections in Venezuela: the responses")
    add_entry(db, CLI, ref.public_id, ids["tkp-izmir"], "Turkey: the TKP speaks in İzmir")
    add_entry(db, CLI, ref.public_id, ids["kke-venezuela"], "Greece: the KKE's solidarity")
    add_entry(db, CLI, ref.public_id, ids["pcp"])  # no sub-headline: its headline stands in
    return ref, f"/stories/{ref.slug}"


def _positions(html: str, needles: list[str]) -> list[int]:
    found = [html.find(n) for n in needles]
    assert all(p >= 0 for p in found), [n for n, p in zip(needles, found, strict=True) if p < 0]
    return found


# -- stories -------------------------------------------------------------------------------------


def test_story_page_shows_entries_in_the_order_added(client: httpx.Client, site: Site) -> None:
    ref, path = _story(site)
    ids = site[2].ids
    page = client.get(path)
    assert page.status_code == 200
    html = page.text
    assert '<h1 id="story-heading">Elections in Venezuela: the responses</h1>' in html
    assert re.search(r'class="story-state state-open"><strong>To be updated</strong>', html)
    entries = html[html.index('<ol class="entries">') :]
    order = _positions(
        entries,
        [
            "Turkey: the TKP speaks in İzmir",
            "Greece: the KKE&#39;s solidarity",
            '<h2 class="subheadline">PCP on Venezuela</h2>',
        ],
    )
    assert order == sorted(order)
    # each entry names who spoke, links the item and dates it
    for org, name in (("tr-tkp", "TKP"), ("gr-kke", "KKE"), ("pt-pcp", "PCP")):
        assert re.search(rf'<a class="tag" href="/orgs/{org}" title="[^"]+">{name}</a>', entries)
    for key in ("tkp-izmir", "kke-venezuela", "pcp"):
        assert f'href="/items/{ids[key]}/' in entries
    assert "The 21st IMCWP has started in İzmir" in entries  # the item's own headline too
    assert '<time datetime="2026-11-20T09:00:00+00:00">20 November 2026</time>' in entries
    assert "3 statements from TKP, KKE, PCP" in html
    for fmt in ("atom", "rss", "json"):
        assert f'href="{path}.{fmt}"' in html
    # the item page names its story
    item = client.get(f"/items/{ids['pcp']}", follow_redirects=True)
    assert f'<a href="{path}">Elections in Venezuela: the responses</a>' in item.text
    # the index lists it with its state
    index = client.get("/stories")
    assert index.status_code == 200
    assert f'<a href="{path}">Elections in Venezuela: the responses</a>' in index.text
    assert "To be updated" in index.text
    # closing it changes the label at once (the cached page is rebuilt)
    etag = page.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    set_state(site[1], CLI, ref.public_id, "closed")
    closed = client.get(path, headers={"If-None-Match": etag})
    assert closed.status_code == 200
    assert re.search(r'class="story-state state-closed"><strong>Updated</strong>', closed.text)
    assert "To be updated" not in closed.text
    assert "Updated" in client.get("/stories").text
    item = client.get(f"/items/{ids['pcp']}", follow_redirects=True)
    assert '<span class="state">(Updated)</span>' in item.text


def test_story_addresses(client: httpx.Client, site: Site) -> None:
    ref, path = _story(site)
    by_id = client.get(f"/stories/{ref.public_id}")
    assert (by_id.status_code, by_id.headers["location"]) == (301, path)
    feed_by_id = client.get(f"/stories/{ref.public_id}.atom")
    assert (feed_by_id.status_code, feed_by_id.headers["location"]) == (301, f"{path}.atom")
    assert client.get("/stories/no-such-story").status_code == 404
    assert client.get("/stories/no-such-story.rss").status_code == 404
    assert client.get(f"{path}.xml").status_code == 404
    assert client.get("/stories?page=0").status_code == 404
    # a story the clustering stage proposed is not public until an editor accepts it
    with site[1].write() as conn:
        conn.execute(stories.update().where(stories.c.id == ref.id).values(accepted=False))
    publish_directly(site[1], site[2].ids["kke-inbox"])  # bumps the generation
    assert client.get(path).status_code == 404
    assert client.get(f"{path}.atom").status_code == 404
    assert path not in client.get("/stories").text


def test_story_feeds_hold_its_published_entries(client: httpx.Client, site: Site) -> None:
    _, path = _story(site)
    ids = site[2].ids
    set_status(site[1], CLI, ids["kke-venezuela"], "inbox")  # unpublished after it was added
    wanted = {ids["tkp-izmir"], ids["pcp"]}
    for fmt in ("atom", "rss"):
        response = client.get(f"{path}.{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["content-type"].startswith(f"application/{fmt}+xml")
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, (fmt, parsed.get("bozo_exception"))
        assert parsed.feed.title == "Elections in Venezuela: the responses"
        assert {e.link.split("/")[4] for e in parsed.entries} == wanted, fmt
    doc = json.loads(client.get(f"{path}.json").text)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["home_page_url"].endswith(path)
    assert {item["url"].split("/")[4] for item in doc["items"]} == wanted
    page = client.get(path).text
    assert "Greece: the KKE" not in page


# -- joint statements ----------------------------------------------------------------------------


def _joint(site: Site) -> str:
    """The İzmir statement as a joint statement whose list grew three days ago."""
    _, db, seeded = site
    ref = mark_joint(db, CLI, seeded.ids["tkp-izmir"], ["tr-tkp", "gr-kke"])
    first, later = _days_ago(10), _days_ago(3)
    add_signature(db, CLI, ref.public_id, org_id="tr-tkp", group="Parties", added_on=first)
    add_signature(db, CLI, ref.public_id, org_id="gr-kke", group="Parties", added_on=first)
    add_signature(
        db, CLI, ref.public_id, org_id="gr-kne", group="Youth organisations", added_on=first
    )
    add_signature(
        db,
        CLI,
        ref.public_id,
        raw_name="Workers' Party of Atlantis",
        group="Parties",
        added_on=later,
    )
    return ref.public_id


def test_joint_statement_page_groups_and_dates_its_signatories(
    client: httpx.Client, site: Site
) -> None:
    public_id = _joint(site)
    item_id = site[2].ids["tkp-izmir"]
    page = client.get(f"/joint-statements/{public_id}")
    assert page.status_code == 200
    html = page.text
    assert "The 21st IMCWP has started in İzmir" in html
    assert "Co-hosted by the Communist Party of Greece" in html  # the text itself
    assert '<span class="badge">New signatures updated</span>' in html
    initiators = html[html.index('id="initiators-heading"') : html.index('id="text-heading"')]
    assert _positions(initiators, ['href="/orgs/tr-tkp"', 'href="/orgs/gr-kke"']) == sorted(
        _positions(initiators, ['href="/orgs/tr-tkp"', 'href="/orgs/gr-kke"'])
    )
    signatories = html[html.index('id="signatories-heading"') : html.index('id="history-heading"')]
    groups = re.findall(r'<h3 class="group">([^<]+)</h3>', signatories)
    assert groups == ["Parties", "Youth organisations"]
    parties = signatories[signatories.index("Parties") : signatories.index("Youth organisations")]
    assert '<a href="/orgs/tr-tkp">Communist Party of Turkey</a> (TKP)' in parties
    assert '<a href="/orgs/gr-kke">Communist Party of Greece</a> (KKE)' in parties
    assert "Workers&#39; Party of Atlantis" in parties  # a raw name, not linked
    youth = signatories[signatories.index("Youth organisations") :]
    assert '<a href="/orgs/gr-kne">Communist Youth of Greece</a>' in youth
    history = html[html.index('id="history-heading"') :]
    days = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">', history)
    assert days == [_days_ago(10).isoformat(), _days_ago(3).isoformat()]
    assert "first signatories" in history
    assert "added later" in history
    later = history[history.index(_days_ago(3).isoformat()) :]
    assert "Workers&#39; Party of Atlantis" in later
    assert "Communist Party of Turkey" not in later
    # the marker on the listings, and the way there from the item's page
    front = client.get("/").text
    headline = rf'<h3 class="headline"><a href="/items/{item_id}/[^"]*">[^<]*</a>([^\n]*)</h3>'
    card = re.search(rf'<article class="card[^>]*>\s*{headline}', front)
    assert card, "the front page has no card of the statement"
    assert "New signatures" in card.group(1)
    assert "New signatures" not in front.replace(card.group(0), "")
    item = client.get(f"/items/{item_id}", follow_redirects=True).text
    assert f'<a href="/joint-statements/{public_id}">' in item
    index = client.get("/joint-statements")
    assert index.status_code == 200
    assert f'<a href="/joint-statements/{public_id}">The 21st IMCWP has started in İzmir</a>' in (
        index.text
    )
    assert "4 signatories" in index.text
    assert '<span class="badge">New signatures updated</span>' in index.text


def test_a_statement_signed_on_one_day_has_no_marker_and_excerpts_stay_short(
    client: httpx.Client, site: Site
) -> None:
    _, db, _ = site
    excerpt = add_source(db, "pt-pcp", "http://pcp.example/excerpts", rights="excerpt")
    item_id = add_item(
        db,
        excerpt,
        "Appeal of the parties",
        "Only an excerpt may be shown. The rest stays on the publisher's site.",
        when=BASE + timedelta(hours=6),
    )
    publish_directly(db, item_id)
    ref = mark_joint(db, CLI, item_id)
    for org in ("pt-pcp", "gr-kke"):
        add_signature(db, CLI, ref.public_id, org_id=org, added_on=_days_ago(1))
    html = client.get(f"/joint-statements/{ref.public_id}").text
    assert "New signatures" not in html
    assert "The full text is on the publisher's site." in html
    assert "The rest stays on the publisher" not in html
    assert '<h3 class="group">' not in html  # no groups, no group headings
    assert "Communist Party of Greece" in html
    assert "New signatures" not in client.get("/").text


def test_joint_statement_addresses(client: httpx.Client, site: Site) -> None:
    public_id = _joint(site)
    _, db, seeded = site
    by_item = client.get(f"/joint-statements/{seeded.ids['tkp-izmir']}")
    assert (by_item.status_code, by_item.headers["location"]) == (
        301,
        f"/joint-statements/{public_id}",
    )
    assert client.get("/joint-statements/no-such-statement").status_code == 404
    unread = mark_joint(db, CLI, seeded.ids["kke-inbox"])  # its item is not published
    assert client.get(f"/joint-statements/{unread.public_id}").status_code == 404
    assert unread.public_id not in client.get("/joint-statements").text
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(stories)).scalar() == 0


def test_story_page_tracks_who_has_spoken_by_region(client: httpx.Client, site: Site) -> None:
    _, path = _story(site)
    page = client.get(path)
    assert page.status_code == 200
    tracker = page.text[page.text.index('<section class="responses"') :]
    api = client.get(f"{path.replace('/stories/', '/api/v1/stories/')}/responses").json()
    assert api["spoken"] == 3
    assert (
        f"{api['spoken']} of the network's {api['members']} members have spoken; "
        f"{api['silent']} have not yet." in tracker
    )
    for region in api["regions"]:
        heading = f"<h3>{region['region'] or 'No country'}</h3>"
        assert heading in tracker
        block = tracker[tracker.index(heading) :].split("<h3>", 2)[1]
        for voice in region["spoken"]:
            assert f'<a href="/orgs/{voice["id"]}">' in block
        assert f"Not yet: {len(region['silent'])}" in block
    asia = next(r for r in api["regions"] if r["region"] == "Asia")
    assert [v["id"] for v in asia["spoken"]] == ["tr-tkp"]

"""Organisation, country, person, event and archive pages and their feeds, through a real server."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import httpx2 as httpx
import pytest
from seed import BASE, Seeded, add_item, publish_directly

from tribune.db.engine import Database
from tribune.db.tables import items, joint_statements, org_redirects, signatures
from tribune.db.types import new_public_id
from tribune.web.public import pages

Site = tuple[str, Database, Seeded]
OLD = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def seed_profiles(site: Site) -> dict[str, str]:
    """More items: a joint statement KKE signed, one about a person and an event, an older one,
    and inbox items that concern the same things and must stay out of every page."""
    _, db, seeded = site
    kke, tkp = seeded.sources["kke"], seeded.sources["tkp"]
    ids = dict(seeded.ids)
    ids["joint"] = add_item(
        db,
        tkp,
        "Joint statement on the war in Ukraine",
        "Communist and workers' parties condemn the imperialist war. They call for peace.",
        when=BASE - timedelta(days=3),
    )
    ids["joint-inbox"] = add_item(
        db, tkp, "Unread joint appeal", "Not yet read. It must not show.", when=BASE
    )
    ids["speech"] = add_item(
        db,
        kke,
        "Koutsoumbas speaks at the 21st meeting",
        "Dimitris Koutsoumbas addressed the meeting in İzmir. He spoke of the crisis.",
        when=BASE - timedelta(days=1),
        links=(("person", "dimitris-koutsoumbas"), ("event", "imcwp-21")),
    )
    ids["speech-inbox"] = add_item(
        db,
        kke,
        "Draft speech still unread",
        "An unread speech. Nobody may see it.",
        when=BASE - timedelta(days=2),
        links=(("person", "dimitris-koutsoumbas"), ("event", "imcwp-21"), ("country", "GR")),
    )
    ids["march"] = add_item(
        db, kke, "KKE statement of March 2025", "An older statement. From the spring.", when=OLD
    )
    for name in ("joint", "speech", "march"):
        publish_directly(db, ids[name])
    with db.write() as conn:
        for name in ("joint", "joint-inbox"):
            item_id = conn.execute(
                items.select().with_only_columns(items.c.id).where(items.c.public_id == ids[name])
            ).scalar_one()
            statement = conn.execute(
                joint_statements.insert().values(
                    public_id=new_public_id(), item_id=item_id, initiators=[]
                )
            ).inserted_primary_key[0]
            conn.execute(
                signatures.insert().values(
                    joint_statement_id=statement,
                    org_id="gr-kke",
                    raw_name="Communist Party of Greece",
                    added_at=BASE,
                )
            )
        conn.execute(org_redirects.insert().values(old_id="gr-kke-old", new_id="gr-kke"))
    return ids


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[ >]", html))


def section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by *heading_id*."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_org_page_shows_the_profile_statements_signatures_and_people(
    client: httpx.Client, site: Site
) -> None:
    ids = seed_profiles(site)
    page = client.get("/orgs/gr-kke")
    assert page.status_code == 200
    html = page.text
    assert h1_count(html) == 1
    assert ">Communist Party of Greece</h1>" in html
    assert "Κομμουνιστικό Κόμμα Ελλάδας" in html
    assert "ΚΚΕ" in html
    assert 'href="/countries/GR"' in html
    assert ">Greece</a>" in html
    assert 'href="https://inter.kke.gr"' in html
    assert 'href="/orgs/gr-kne"' in html  # its youth organisation
    people = section(html, "people-heading")
    assert 'href="/people/dimitris-koutsoumbas"' in people
    assert "Aleka Papariga" in people
    assert "General Secretary of the Central Committee" in people
    assert '<time datetime="2013-04-14">14 April 2013</time>' in people
    statements = section(html, "statements-heading")
    assert "KKE on the elections in Venezuela" in statements
    assert "Koutsoumbas speaks" in statements
    assert "March 2025" in statements
    assert "İzmir</a>" not in statements  # published by the TKP
    signed = section(html, "signed-heading")
    assert "Joint statement on the war in Ukraine" in signed
    assert "Unread joint appeal" not in html
    assert "Draft speech" not in html
    assert "waiting in the inbox" not in html
    assert 'rel="alternate" type="application/atom+xml"' in html
    assert 'href="/orgs/gr-kke.atom"' in html
    assert 'href="/orgs/gr-kke.json"' in html

    tkp = client.get("/orgs/tr-tkp").text
    assert h1_count(tkp) == 1
    assert "Communist Party of Turkey" in tkp
    names = section(tkp, "names-heading")
    assert "Komünist Parti" in names
    assert '<time datetime="2014-11-01">1 November 2014</time>' in names
    assert '<time datetime="2017-06-30">30 June 2017</time>' in names
    assert "Joint statements it signed" not in tkp  # shown only when there are some
    assert 'href="/orgs/tr-icp"' in tkp or 'href="/orgs/tr-halk-komiteleri"' in tkp

    moved = client.get("/orgs/gr-kke-old")
    assert moved.status_code == 301
    assert moved.headers["location"] == "/orgs/gr-kke"
    missing = client.get("/orgs/no-such-party")
    assert missing.status_code == 404
    assert "text/html" in missing.headers["content-type"]
    assert ids["joint"] in client.get("/orgs/tr-tkp").text


def test_listings_page_with_a_cursor(
    client: httpx.Client, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_profiles(site)
    monkeypatch.setattr(pages, "PER_PAGE", 2)
    first = client.get("/orgs/gr-kke").text
    assert "KKE on the elections in Venezuela" in first
    assert "Koutsoumbas speaks" in first
    assert "March 2025" not in section(first, "statements-heading")
    found = re.search(r'rel="next" href="(/orgs/gr-kke\?after=[^"]+)"', first)
    assert found
    second = client.get(found.group(1).replace("&amp;", "&"))
    assert second.status_code == 200
    assert "KKE statement of March 2025" in second.text
    assert "Venezuela" not in second.text
    assert 'rel="next"' not in second.text
    assert "Earlier statements" in second.text
    assert h1_count(second.text) == 1
    assert client.get("/orgs/gr-kke?after=garbage").status_code == 400


def test_country_page_lists_its_organisations_and_statements(
    client: httpx.Client, site: Site
) -> None:
    seed_profiles(site)
    lower = client.get("/countries/gr")
    assert lower.status_code == 301
    assert lower.headers["location"] == "/countries/GR"
    page = client.get("/countries/GR")
    assert page.status_code == 200
    html = page.text
    assert h1_count(html) == 1
    assert "<h1>Greece</h1>" in html
    assert "Europe" in html
    orgs = section(html, "orgs-heading")
    assert 'href="/orgs/gr-kke"' in orgs
    assert 'href="/orgs/gr-pame"' in orgs
    assert "Other parties on record" in orgs
    assert 'href="/orgs/pf-334"' in orgs
    statements = section(html, "statements-heading")
    assert "KKE on the elections in Venezuela" in statements  # the KKE is Greek
    assert "has started in İzmir" not in statements  # the TKP is not Greek; no country named
    assert "Draft speech" not in html  # mentions Greece, but unread
    assert 'href="/countries/GR.atom"' in html
    assert 'href="/countries/GR.rss"' in html

    venezuela = client.get("/countries/VE").text
    assert "KKE on the elections in Venezuela" in venezuela  # mentioned
    assert "Joint statement" not in venezuela
    for path in ("/countries/XX", "/countries/xx", "/countries/GRC", "/countries/G"):
        assert client.get(path).status_code == 404, path


def test_person_and_event_pages(client: httpx.Client, site: Site) -> None:
    seed_profiles(site)
    person = client.get("/people/dimitris-koutsoumbas")
    assert person.status_code == 200
    html = person.text
    assert h1_count(html) == 1
    assert "<h1>Dimitris Koutsoumbas</h1>" in html
    assert "Δημήτρης Κουτσούμπας" in html  # another spelling
    roles = section(html, "roles-heading")
    assert "General Secretary of the Central Committee" in roles
    assert 'href="/orgs/gr-kke"' in roles
    assert "in office" in roles
    assert "Koutsoumbas speaks at the 21st meeting" in html
    assert "Draft speech" not in html
    assert "Venezuela" not in html
    assert 'href="/people/dimitris-koutsoumbas.atom"' in html

    event = client.get("/events/imcwp-21")
    assert event.status_code == 200
    html = event.text
    assert h1_count(html) == 1
    assert "21st International Meeting of Communist and Workers&#39; Parties" in html
    assert "18–20 October 2019" in html
    assert "İzmir" in html
    assert 'href="/countries/TR"' in html
    hosts = section(html, "hosts-heading")
    assert hosts.index('href="/orgs/tr-tkp"') < hosts.index('href="/orgs/gr-kke"')
    assert "Koutsoumbas speaks at the 21st meeting" in html
    assert "Draft speech" not in html
    assert 'href="/events/imcwp-21.json"' in html

    minsk = client.get("/events/imcwp-9").text  # known to the month only
    assert "November 2007" in minsk
    assert "No published statement" in minsk
    for path in ("/people/nobody", "/events/imcwp-999", "/people/nobody.atom"):
        assert client.get(path).status_code == 404, path


def test_archive_pages(client: httpx.Client, site: Site) -> None:
    seed_profiles(site)
    index = client.get("/archive")
    assert index.status_code == 200
    assert h1_count(index.text) == 1
    assert 'href="/archive/2026/11"' in index.text
    assert "(4 statements)" in index.text
    assert 'href="/archive/2025/03"' in index.text
    assert "(1 statement)" in index.text
    assert index.text.index("2026/11") < index.text.index("2025/03")

    november = client.get("/archive/2026/11")
    assert november.status_code == 200
    html = november.text
    assert h1_count(html) == 1
    assert "Statements of November 2026" in html
    for title in ("Venezuela", "İzmir", "Koutsoumbas speaks", "Joint statement on the war"):
        assert title in html
    assert "March 2025</a>" in html  # the link to the month before that has items
    assert 'rel="prev" href="/archive/2025/03"' in html
    assert 'rel="next"' not in html
    assert "waiting in the inbox" not in html
    assert "Unread joint appeal" not in html
    assert 'href="/archive/2026/11.atom"' in html

    march = client.get("/archive/2025/03").text
    assert "KKE statement of March 2025" in march
    assert "Venezuela" not in march
    assert 'rel="next" href="/archive/2026/11"' in march

    empty = client.get("/archive/2026/10")
    assert empty.status_code == 200
    assert "Nothing was published in October 2026" in empty.text
    for path in ("/archive/2026/13", "/archive/2026/1", "/archive/26/11", "/archive/2026/00"):
        assert client.get(path).status_code == 404, path
    assert client.get("/archive/2026/13.atom").status_code == 404


def test_feeds_of_every_listing(client: httpx.Client, site: Site) -> None:
    ids = seed_profiles(site)
    expected = {
        "/orgs/gr-kke": {"kke-venezuela", "speech", "march"},  # its own statements, as the page
        "/countries/GR": {"kke-venezuela", "speech", "march"},
        "/countries/VE": {"kke-venezuela"},
        "/people/dimitris-koutsoumbas": {"speech"},
        "/events/imcwp-21": {"speech"},
        "/archive/2026/11": {"kke-venezuela", "tkp-izmir", "speech", "joint"},
        "/archive/2025/03": {"march"},
    }
    for path, names in expected.items():
        wanted = {ids[name] for name in names}
        for fmt in ("atom", "rss"):
            response = client.get(f"{path}.{fmt}")
            assert response.status_code == 200, (path, fmt)
            assert response.headers["content-type"].startswith(f"application/{fmt}+xml")
            parsed = feedparser.parse(response.content)
            assert parsed.bozo == 0, (path, fmt, parsed.get("bozo_exception"))
            links = {e.link for e in parsed.entries}
            assert {link.split("/")[4] for link in links} == wanted, (path, fmt)
            assert all(link.startswith(f"{site[0]}/items/") for link in links)
        doc = json.loads(client.get(f"{path}.json").text)
        assert doc["version"] == "https://jsonfeed.org/version/1.1"
        assert doc["home_page_url"].endswith(path)
        assert {item["url"].split("/")[4] for item in doc["items"]} == wanted, path
    atom = feedparser.parse(client.get("/people/dimitris-koutsoumbas.atom").content)
    assert atom.feed.title == "Dimitris Koutsoumbas"
    assert client.get("/countries/gr.atom").headers["location"] == "/countries/GR.atom"
    assert client.get("/countries/XX.atom").status_code == 404
    assert client.get("/events/nope.rss").status_code == 404
    assert client.get("/events/imcwp-21.xml").status_code == 404


def test_event_page_and_api_track_who_has_spoken(client: httpx.Client, site: Site) -> None:
    seed_profiles(site)
    page = client.get("/events/imcwp-21")
    tracker = section(page.text, "responses-heading")
    api = client.get("/api/v1/events/imcwp-21/responses")
    assert api.status_code == 200
    found = api.json()
    assert found["event"] == "imcwp-21"
    spoken = [v for r in found["regions"] for v in r["spoken"]]
    assert [v["id"] for v in spoken] == ["gr-kke"]  # KKE's speech; TKP's is in the inbox
    assert spoken[0]["first_added_at"] is not None
    assert '<a href="/orgs/gr-kke">' in tracker
    assert f"1 of the network's {found['members']} members have spoken" in tracker
    assert client.get("/api/v1/events/imcwp-999/responses").status_code == 404

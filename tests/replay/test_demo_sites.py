"""The demo's sample party websites, served by the replay server and read over real HTTP.

``data/demo/sites.json`` lists the sites the demo adds as sources; every claim the demo relies on
is checked here: the sources answer, the feeds and the sitemap parse and lead to live pages, the
listing pages page through every article (by their recipes where they have one), the article
count and the languages, and the later versions that ``publish_later`` serves.
"""

from __future__ import annotations

import csv
import http.client
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from lxml.cssselect import CSSSelector

import tribune
from tribune.ingest.feeds import parse_feed
from tribune.ingest.sitemaps import parse_sitemap
from tribune.replay import ReplayServer

DATA = Path(tribune.__file__).resolve().parent / "data"
SITES = DATA / "demo" / "sites"
MANIFEST: list[dict[str, object]] = json.loads((DATA / "demo" / "sites.json").read_text("utf-8"))
BY_SITE = {str(m["site"]): m for m in MANIFEST}
REPO = Path(__file__).resolve().parents[2]
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
ARTICLE = re.compile(r"<article\b[^>]*>(?:(?!</article>).)*?<h1\b", re.DOTALL)
NEXT_TEXT = re.compile(r"^\W*(next|older posts|siguiente|suivant|weiter)\W*$", re.I)


Response = tuple[int, Message, bytes]


def fetch(url: str) -> Response:
    """One GET with http.client: no redirect followed, nothing decoded."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", parts.path or "/")
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def text_of(response: Response) -> str:
    _, headers, body = response
    charset = headers.get_content_charset() or "utf-8"
    return body.decode(charset)


class _Links(HTMLParser):
    """The ``<a href>`` and ``<link rel=alternate>`` targets of a page."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.links: list[str] = []
        self.feeds: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.base, a["href"]).split("#")[0])
        rel = a.get("rel", "").lower().split()
        if tag == "link" and "alternate" in rel and a.get("type") in FEED_TYPES:
            self.feeds.append(urljoin(self.base, a.get("href", "")))


def links_of(html: str, url: str) -> _Links:
    parser = _Links(url)
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    with ReplayServer(SITES) as running:
        yield running


@pytest.fixture(scope="module")
def crawled(server: ReplayServer) -> dict[str, dict[str, str]]:
    """Every site crawled from its home page and its source: article URL -> HTML, by site."""
    out: dict[str, dict[str, str]] = {}
    for name, base in server.sites.items():
        seen: set[str] = set()
        todo = [base + "/", base + str(BY_SITE[name]["path"])]
        articles: dict[str, str] = {}
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            response = fetch(url)
            kind = response[1].get_content_type()
            if response[0] != 200 or kind != "text/html":
                continue
            html = text_of(response)
            if ARTICLE.search(html):
                articles[url] = html
            todo += [u for u in links_of(html, url).links if u.startswith(base + "/")]
        out[name] = articles
    return out


def feed_url(server: ReplayServer, site: str) -> str | None:
    """The feed a site's source leads to: the source itself, or the feed its page announces."""
    entry = BY_SITE[site]
    url = server.url(site, str(entry["path"]))
    if entry["kind"] == "feed":
        return url
    if entry["kind"] == "auto":
        feeds = links_of(text_of(fetch(url)), url).feeds
        return feeds[0] if feeds else None
    return None


def feed_sites(server: ReplayServer) -> list[str]:
    return [name for name in BY_SITE if feed_url(server, name)]


def listing_urls(server: ReplayServer, site: str) -> list[list[str]]:
    """The article links of each listing page of a site without a feed, following the pager."""
    entry = BY_SITE[site]
    recipe = entry["recipe"] if isinstance(entry["recipe"], dict) else None
    url: str | None = server.url(site, str(entry["path"]))
    pages: list[list[str]] = []
    while url and len(pages) < 10:
        tree = lxml.html.document_fromstring(text_of(fetch(url)))
        tree.make_links_absolute(url)
        if recipe:
            scopes = CSSSelector(recipe["item"])(tree) if recipe.get("item") else [tree]
            links = [a.get("href") for s in scopes for a in CSSSelector(recipe["links"])(s)]
            nxt = CSSSelector(recipe["next"])(tree)
        else:
            shape = _article_shape(site)
            links = [a.get("href") for a in tree.iter("a") if shape.search(a.get("href") or "")]
            nxt = [e for e in tree.iter("a", "link") if "next" in (e.get("rel") or "").split()]
            nxt = nxt or [a for a in tree.iter("a") if NEXT_TEXT.search(a.text_content())]
        pages.append(list(dict.fromkeys(links)))
        url = nxt[0].get("href") if nxt else None
    return pages


def _article_shape(site: str) -> re.Pattern[str]:
    """How the articles of the sites without a recipe are linked (read off their listings)."""
    return {
        "dkp-de": re.compile(r"/artikel/[a-z0-9-]+$"),
        "pcf-fr": re.compile(r"/actualites/2026-\d\d-\d\d-[a-z0-9-]+\.html$"),
    }[site]


def sitemap_urls(server: ReplayServer, site: str) -> list[str]:
    index = parse_sitemap(fetch(server.url(site, str(BY_SITE[site]["path"])))[2])
    assert index.children
    urls: list[str] = []
    for child in index.children:
        sitemap = parse_sitemap(fetch(child)[2])
        assert sitemap.language == BY_SITE[site]["language"]
        assert all(e.title and e.published for e in sitemap.entries)
        urls += [str(e.url) for e in sitemap.entries]
    return urls


# --- the manifest --------------------------------------------------------------------------


def test_the_manifest_describes_at_least_twelve_sites() -> None:
    assert len(MANIFEST) >= 12
    assert {p.name for p in SITES.iterdir() if p.is_dir()} == set(BY_SITE)
    keys = {"site", "org", "kind", "path", "language", "rights", "recipe", "title"}
    for entry in MANIFEST:
        assert set(entry) == keys, entry["site"]
        assert entry["kind"] in ("feed", "page", "sitemap", "auto")
        assert entry["rights"] in ("full-text", "excerpt")
        assert str(entry["path"]).startswith("/")
        assert entry["title"]
    kinds = [e["kind"] for e in MANIFEST]
    assert kinds.count("feed") >= 4
    assert kinds.count("sitemap") >= 1
    assert 1 <= kinds.count("auto") <= 2
    recipes = [e for e in MANIFEST if e["recipe"]]
    assert len(recipes) == 2
    assert all(e["kind"] == "page" and "links" in e["recipe"] for e in recipes)
    assert {"en", "es", "pt", "el", "tr", "ru"} <= {e["language"] for e in MANIFEST}


def test_the_organisations_exist_in_the_knowledge_base() -> None:
    with (DATA / "kb" / "organizations.csv").open(encoding="utf-8") as f:
        known = {row["id"] for row in csv.DictReader(f)}
    orgs = [e["org"] for e in MANIFEST]
    assert all(org in known for org in orgs if org is not None)
    portals = [e for e in MANIFEST if e["org"] is None]
    assert [e["rights"] for e in portals] == ["excerpt"]
    assert all(e["rights"] == "full-text" for e in MANIFEST if e["org"] is not None)


def test_the_generated_files_are_up_to_date() -> None:
    generator = REPO / "tools" / "gen_demo_sites.py"
    if not generator.is_file():
        pytest.skip("the generator is not here (installed package)")
    done = subprocess.run(
        [sys.executable, str(generator), "--check"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- the sources ---------------------------------------------------------------------------


def test_every_source_answers(server: ReplayServer) -> None:
    for entry in MANIFEST:
        assert fetch(server.url(str(entry["site"]), str(entry["path"])))[0] == 200, entry["site"]


def test_the_feeds_parse_and_lead_to_live_pages(server: ReplayServer) -> None:
    formats: set[str] = set()
    full_text, summaries = [], []
    for site in feed_sites(server):
        url = feed_url(server, site)
        assert url is not None
        body = fetch(url)[2]
        feed = parse_feed(body)
        formats.add("rdf" if b"<rdf:RDF" in body else feed.kind)
        assert len(feed.entries) >= 10, site
        base = server.sites[site] + "/"
        for entry in feed.entries:
            assert entry.url, site
            assert entry.url.startswith(base), (site, entry.url)
            assert entry.title, entry.url
            assert entry.published, entry.url
            assert fetch(entry.url)[0] == 200, entry.url
        (full_text if all(e.content_html for e in feed.entries) else summaries).append(site)
        home = server.url(site, "/")
        assert url in links_of(text_of(fetch(home)), home).feeds, site
    assert formats == {"rss", "atom", "json", "rdf"}
    assert full_text
    assert len(summaries) > len(full_text)


def test_the_news_sitemap(server: ReplayServer) -> None:
    (site,) = [str(e["site"]) for e in MANIFEST if e["kind"] == "sitemap"]
    urls = sitemap_urls(server, site)
    assert len(urls) >= 10
    assert all(fetch(u)[0] == 200 for u in urls)


def test_the_listing_pages_page_through_every_article(
    server: ReplayServer, crawled: dict[str, dict[str, str]]
) -> None:
    listed = [s for s, e in BY_SITE.items() if e["kind"] != "sitemap" and not feed_url(server, s)]
    assert len(listed) >= 4
    for site in listed:
        pages = listing_urls(server, site)
        assert len(pages) >= 2, site
        assert all(8 <= len(p) <= 12 for p in pages[:-1]), (site, [len(p) for p in pages])
        found = {u for page in pages for u in page}
        assert found == set(crawled[site]), site


def test_each_site_lists_all_its_articles(
    server: ReplayServer, crawled: dict[str, dict[str, str]]
) -> None:
    for site in BY_SITE:
        url = feed_url(server, site)
        if url:
            listed = {e.url for e in parse_feed(fetch(url)[2]).entries}
        elif BY_SITE[site]["kind"] == "sitemap":
            listed = set(sitemap_urls(server, site))
        else:
            listed = {u for page in listing_urls(server, site) for u in page}
        assert listed == set(crawled[site]), site


def test_about_two_hundred_articles_in_the_languages_of_the_network(
    crawled: dict[str, dict[str, str]],
) -> None:
    total = sum(len(articles) for articles in crawled.values())
    assert 180 <= total <= 220
    for site, articles in crawled.items():
        language = str(BY_SITE[site]["language"])
        for url, html in articles.items():
            assert re.search(rf'<html lang="{language}\b', html, re.I), url
            block = ARTICLE.search(html)
            assert block is not None
            article = html[block.start() : html.index("</article>", block.start())]
            assert re.search(r'datetime="2026-|\b2026\b', article), url
            assert len(re.findall(r"<p>", article)) >= 3, url


def test_robots_disallow_nothing_that_is_linked(
    server: ReplayServer, crawled: dict[str, dict[str, str]]
) -> None:
    with_robots = 0
    for site, base in server.sites.items():
        status, _, body = fetch(base + "/robots.txt")
        if status != 200:
            continue
        with_robots += 1
        rules = re.findall(r"(?m)^Disallow:\s*(\S+)", body.decode())
        for url, html in crawled[site].items():
            for link in links_of(html, url).links:
                path = urlsplit(link).path
                assert not any(path.startswith(rule) for rule in rules), (site, link)
    assert with_robots >= 4


def test_one_site_speaks_windows_1251(server: ReplayServer) -> None:
    status, headers, body = fetch(server.url("kprf-ru", "/"))
    assert status == 200
    assert headers.get_content_charset() == "windows-1251"
    assert "КПРФ" in body.decode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    feed = parse_feed(fetch(feed_url(server, "kprf-ru") or "")[2])
    assert any("КПРФ" in entry.title for entry in feed.entries)


def test_the_server_keeps_its_own_files(server: ReplayServer) -> None:
    for path in ("/_later/feed.json", "/_later/", "/_replay.json"):
        assert fetch(server.url("sacp-za", path))[0] == 404
    assert fetch(server.url("kprf-ru", "/_replay.json"))[0] == 404


# --- the special stories -------------------------------------------------------------------


def test_a_statement_republished_by_the_portal(server: ReplayServer) -> None:
    portal = parse_feed(fetch(server.url("solidarity-dispatch", "/rss.xml"))[2])
    (copy,) = [e for e in portal.entries if "stand with Palestine" in e.title]
    assert copy.url is not None
    copy_html = text_of(fetch(copy.url))
    original = server.sites["cpi-in"] + "/index.php/news/item/"
    source = re.search(rf'href="({re.escape(original)}\d+-cpi-condemns-[a-z-]+)"', copy_html)
    assert source is not None  # the portal links the original, on the party's own site
    assert source.group(1) != copy.url
    source_html = text_of(fetch(source.group(1)))
    paragraphs = re.findall(r"<p>([^<]{80,})</p>", source_html)
    assert len(paragraphs) >= 4
    assert all(p in copy_html for p in paragraphs)
    assert "9 October 2026" in copy_html
    assert "2026-10-10" in copy_html  # published a day later, at another URL


def _signatories(html: str) -> int:
    return len(re.findall(r"<p>\d+\. [^<]+</p>", html))


def test_the_portal_copies_the_joint_statement_with_more_signatories(server: ReplayServer) -> None:
    portal = parse_feed(fetch(server.url("solidarity-dispatch", "/rss.xml"))[2])
    (copy,) = [e for e in portal.entries if e.title.startswith("Joint Statement of")]
    copy_html = text_of(fetch(copy.url or ""))
    original = text_of(
        fetch(server.url("sacp-za", "/news/joint-statement-end-the-blockade-of-cuba/"))
    )
    assert _signatories(original) == 25
    assert _signatories(copy_html) == 28  # three parties more than the original's first version
    for added in ("Jordanian Communist Party", "Communist Party of Kenya", "(SKP)"):
        assert added in copy_html
        assert added not in original


def test_publish_later_edits_extends_and_adds(server: ReplayServer) -> None:
    joint = server.url("sacp-za", "/news/joint-statement-end-the-blockade-of-cuba/")
    edited = server.url("cpb-uk", "/2026/09/care-workers-strike-ballot/")
    before_joint, before_edit = fetch(joint), fetch(edited)
    assert _signatories(text_of(before_joint)) == 25
    assert "Communist and Workers&#x27; Parties" in text_of(before_joint)
    assert "Youth organisations" in text_of(before_joint)
    assert "More than 40,000 care workers" in text_of(before_edit)
    feeds = {s: feed_url(server, s) or "" for s in ("kke-gr", "tkp-tr", "sacp-za", "cpb-uk")}
    counts = {s: len(parse_feed(fetch(u)[2]).entries) for s, u in feeds.items()}
    new_page = server.url("pce-es", "/2026/11/huelga-metal-bahia-cadiz/")
    assert fetch(new_page)[0] == 404
    try:
        published = server.publish_later()
        assert set(published) == {"kke-gr", "tkp-tr", "sacp-za", "cpb-uk", "pce-es"}
        after_joint, after_edit = fetch(joint), fetch(edited)
        assert after_joint[1]["ETag"] != before_joint[1]["ETag"]
        assert _signatories(text_of(after_joint)) == 33
        assert "Union of Young Communists of Spain (UJCE)" in text_of(after_joint)
        assert "More than 46,000 care workers" in text_of(after_edit)
        assert "40,000" not in text_of(after_edit)
        assert after_edit[1]["ETag"] != before_edit[1]["ETag"]
        sacp = parse_feed(fetch(feeds["sacp-za"])[2])
        (statement,) = [e for e in sacp.entries if e.url and "blockade-of-cuba" in e.url]
        assert _signatories(statement.content_html) == 33
        cpb = parse_feed(fetch(feeds["cpb-uk"])[2])
        assert any("46,000" in e.content_html for e in cpb.entries)
        for site in ("kke-gr", "tkp-tr"):
            entries = parse_feed(fetch(feeds[site])[2]).entries
            assert len(entries) == counts[site] + 1
            assert fetch(entries[0].url or "")[0] == 200
        first_page = listing_urls(server, "pce-es")[0]
        assert len(first_page) == 11
        assert first_page[0] == new_page
        assert fetch(new_page)[0] == 200
    finally:
        server.restore()
    assert text_of(fetch(joint)) == text_of(before_joint)
    assert "More than 40,000 care workers" in text_of(fetch(edited))
    assert len(listing_urls(server, "pce-es")[0]) == 10
    assert fetch(new_page)[0] == 404

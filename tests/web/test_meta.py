"""robots.txt and the sitemap, through a real server on both databases."""

from __future__ import annotations

import re

import httpx2 as httpx
import pytest
from lxml import etree
from seed import Seeded

from tribune.db.engine import Database
from tribune.web.public import meta

Site = tuple[str, Database, Seeded]
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
W3C_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def test_sitemap_lists_published_items_and_their_publishers(
    client: httpx.Client, site: Site
) -> None:
    base, _, seeded = site
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locs = root.xpath("/s:urlset/s:url/s:loc/text()", namespaces=NS)
    assert f"{base}/" in locs
    assert f"{base}/orgs/gr-kke" in locs
    assert f"{base}/orgs/tr-tkp" in locs
    for name in ("kke-venezuela", "tkp-izmir"):
        assert any(loc.startswith(f"{base}/items/{seeded.ids[name]}/") for loc in locs), name
    assert not any(seeded.ids["kke-inbox"] in loc for loc in locs)
    assert len(locs) == len(set(locs)) == 5
    lastmods = root.xpath("/s:urlset/s:url/s:lastmod/text()", namespaces=NS)
    assert len(lastmods) == 5
    assert all(W3C_DATETIME.fullmatch(m) for m in lastmods)
    assert client.get("/sitemap-1.xml").status_code == 404  # one file is enough


def test_a_large_sitemap_becomes_an_index(
    client: httpx.Client, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = site[0]
    monkeypatch.setattr(meta, "MAX_URLS", 2)
    index = etree.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = index.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=NS)
    assert parts == [f"{base}/sitemap-{n}.xml" for n in (1, 2, 3)]
    locs: list[str] = []
    for n in (1, 2, 3):
        part = etree.fromstring(client.get(f"/sitemap-{n}.xml").content)
        locs += part.xpath("/s:urlset/s:url/s:loc/text()", namespaces=NS)
    assert len(locs) == len(set(locs)) == 5
    for path in ("/sitemap-4.xml", "/sitemap-0.xml", "/sitemap-x.xml"):
        assert client.get(path).status_code == 404, path


def test_robots_txt(client: httpx.Client, site: Site) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    assert "Disallow: /editor" in lines
    assert "Disallow: /api/" in lines
    assert f"Sitemap: {site[0]}/sitemap.xml" in lines

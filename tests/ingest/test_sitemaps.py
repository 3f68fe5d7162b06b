from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import items
from tribune.ingest.feeds import FeedError
from tribune.ingest.poll import poll
from tribune.ingest.sitemaps import MAX_CHILDREN, parse_sitemap
from tribune.ingest.sources import NewSource, add_source
from tribune.replay import ReplayServer

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{base}/noticias/1.html</loc>
    <news:news><news:publication><news:name>PCP</news:name><news:language>pt</news:language>
    </news:publication><news:publication_date>2024-05-01T10:00:00+01:00</news:publication_date>
    <news:title>Nota do Gabinete de Imprensa</news:title></news:news></url>
  <url><loc>{base}/noticias/2.html</loc><lastmod>2024-05-02</lastmod></url>
  <url><loc> </loc></url>
</urlset>"""


def _index(base: str, n: int) -> str:
    entries = "".join(
        f"<sitemap><loc>{base}/sitemap-{i}.xml</loc><lastmod>2024-0{i}-01</lastmod></sitemap>"
        for i in range(1, n + 1)
    )
    return (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</sitemapindex>"
    )


def test_news_sitemap() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP.format(base="https://pcp.example").encode())
    assert sitemap.language == "pt"
    first, second = sitemap.entries
    assert first.url == "https://pcp.example/noticias/1.html"
    assert first.title == "Nota do Gabinete de Imprensa"
    assert first.published is not None
    assert first.published.offset == 60
    assert second.published is not None
    assert second.published.precision == "day"


def test_index_keeps_the_newest_children() -> None:
    sitemap = parse_sitemap(_index("https://pcp.example", 5).encode())
    assert sitemap.entries == []
    assert sitemap.children == [
        f"https://pcp.example/sitemap-{i}.xml" for i in range(5, 5 - MAX_CHILDREN, -1)
    ]


@pytest.mark.parametrize("text", ["<html><body/></html>", "<urlset", "not xml"])
def test_not_a_sitemap(text: str) -> None:
    with pytest.raises(FeedError, match="not a sitemap"):
        parse_sitemap(text.encode())


ARTICLE = """<html><head><title>{title}</title></head><body><article><h1>{title}</h1>
<p>O Partido Comunista Português saúda os trabalhadores que fizeram greve hoje em todo o país.
A greve mostrou a força dos trabalhadores contra a política de direita do governo.</p>
<p>Nota {n} do Gabinete de Imprensa do PCP.</p></article></body></html>"""


@pytest.fixture
def site(tmp_path: Path) -> Iterator[ReplayServer]:
    pcp = tmp_path / "pcp"
    (pcp / "noticias").mkdir(parents=True)
    (pcp / "sitemap.xml").write_text(_index("{{site}}", 1), encoding="utf-8")
    (pcp / "sitemap-1.xml").write_text(NEWS_SITEMAP.format(base="{{site}}"), encoding="utf-8")
    for n in (1, 2):
        page = ARTICLE.format(title=f"Nota {n}", n=n)
        (pcp / "noticias" / f"{n}.html").write_text(page, encoding="utf-8")
    with ReplayServer(tmp_path) as server:
        yield server


def test_a_sitemap_source_is_polled_through_its_index(db: Database, site: ReplayServer) -> None:
    url = site.url("pcp", "/sitemap.xml")
    add_source(db, NewSource(url=url, org_id="pt-pcp", kind="sitemap"))
    (report,) = poll(db, which="all", settings=Settings(allow_private_networks=True))
    assert (report.outcome, report.counts) == ("ok", {"new": 2})
    with db.read() as conn:
        rows = conn.execute(sa.select(items.c.url, items.c.language, items.c.title)).all()
    assert sorted(r.url for r in rows) == [site.url("pcp", f"/noticias/{n}.html") for n in (1, 2)]
    assert {r.language for r in rows} == {"pt"}

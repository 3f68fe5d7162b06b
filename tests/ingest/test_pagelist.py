"""Listing pages: recipes, link-pattern detection on CMS-shaped pages, pagination."""

from __future__ import annotations

from pathlib import Path

import pytest

from tribune.ingest.pagelist import RecipeError, announced_feeds, check_recipe, read_listing, shape

LISTINGS = Path(__file__).parent / "listings"


def test_a_wordpress_category_page_gives_its_posts_not_its_tags_archives_or_pager() -> None:
    listing = read_listing(
        (LISTINGS / "wordpress.html").read_text(encoding="utf-8"),
        "https://party.example/category/news/",
    )
    urls = [e.url for e in listing.entries]
    assert len(urls) == 8
    assert urls[0] == "https://party.example/2026/11/03/no-to-nato-bases-in-crete/"
    assert all("/tag/" not in u and "/page/" not in u and "/author/" not in u for u in urls)
    # the title is the headline's text, not "Continue reading" or the date link's
    assert listing.entries[1].title == "Solidarity with the people of Cuba"
    published = listing.entries[0].published
    assert published is not None
    assert published.at.isoformat() == "2026-11-03T07:10:00+00:00"
    assert published.offset == 120
    assert listing.next_url == "https://party.example/category/news/page/2/"


def test_a_drupal_view_gives_its_rows_and_follows_rel_next() -> None:
    listing = read_listing(
        (LISTINGS / "drupal.html").read_text(encoding="utf-8"),
        "https://kke.example/el/anakoinoseis",
    )
    titles = [e.title for e in listing.entries]
    assert len(titles) == 10
    assert titles[0] == "Δήλωση για τις εκλογές στη Βενεζουέλα"
    # the sidebar's "popular" links share the shape but not the listing
    assert "Παλαιότερη δήλωση για τους μισθούς" not in titles
    assert all(e.url and "/el/articles/" in e.url for e in listing.entries)
    dates = [e.published.at.date().isoformat() for e in listing.entries if e.published]
    assert dates[:2] == ["2026-11-05", "2026-11-03"]  # dd/mm/yyyy read as day first
    assert listing.next_url == "https://kke.example/el/anakoinoseis?page=1"


def test_a_joomla_blog_gives_its_items_and_the_russian_pager_link() -> None:
    listing = read_listing(
        (LISTINGS / "joomla.html").read_text(encoding="utf-8"),
        "https://cprf.example/index.php/novosti",
    )
    urls = [e.url for e in listing.entries]
    assert (
        len(urls) == 7
    )  # "Подробнее…" links repeat the headline's URL; the module's does not count
    assert "https://cprf.example/index.php/novosti/2100-staraya-statya" not in urls
    assert listing.entries[0].title == "Заявление о выборах в Венесуэле"
    assert listing.next_url == "https://cprf.example/index.php/novosti?start=7"


def test_a_recipe_with_css_selectors_and_an_item_container() -> None:
    recipe = {
        "item": "div.views-row",
        "links": ".views-field-title a",
        "date": ".views-field-created span",
        "next": "li.pager__item--next a",
    }
    check_recipe(recipe)
    listing = read_listing(
        (LISTINGS / "drupal.html").read_text(encoding="utf-8"),
        "https://kke.example/el/anakoinoseis",
        recipe,
    )
    assert len(listing.entries) == 10
    assert listing.entries[9].title == "Κοινή δήλωση κομμουνιστικών κομμάτων για την ειρήνη"
    assert listing.entries[9].published is not None
    assert listing.entries[9].published.at.date().isoformat() == "2026-10-02"
    assert listing.next_url == "https://kke.example/el/anakoinoseis?page=1"


def test_a_recipe_with_xpath() -> None:
    recipe = {
        "links": "//div[@itemprop='blogPost']//h2/a",
        "next": "//li[@class='pagination-next']/a",
    }
    listing = read_listing(
        (LISTINGS / "joomla.html").read_text(encoding="utf-8"),
        "https://cprf.example/index.php/novosti",
        recipe,
    )
    assert [e.title for e in listing.entries][-1] == "Соболезнование в связи с кончиной товарища"
    assert len(listing.entries) == 7
    assert listing.next_url == "https://cprf.example/index.php/novosti?start=7"


@pytest.mark.parametrize(
    ("recipe", "message"),
    [
        ({"links": "div[[["}, "bad selector"),
        ({"links": "//a[", "next": "a"}, "bad selector"),
        ({"links": "a", "title": 3}, "'title' must be a selector"),
    ],
)
def test_a_bad_recipe_is_refused_with_the_selector_named(
    recipe: dict[str, object], message: str
) -> None:
    with pytest.raises(RecipeError, match=message):
        check_recipe(recipe)


def test_a_page_without_a_repeated_pattern_lists_nothing() -> None:
    html = """<html><body><nav><a href="/a">A</a><a href="/b">B</a></nav>
    <main><p>Welcome. Read <a href="/about-the-party">about the party</a>.</p></main>
    </body></html>"""
    listing = read_listing(html, "https://x.example/")
    assert listing.entries == []
    assert listing.next_url is None


def test_url_shapes_keep_words_and_generalise_numbers_and_slugs() -> None:
    assert shape("https://x/2026/10/on-the-strike/") == "/{year}/{n}/{slug}/"
    assert shape("https://x/en/news/1234-on-the-strike.html") == "/en/news/{slug}.html"
    assert shape("https://x/index.php?option=com_content&id=7") == "/index.php?id=*&option=*"
    assert shape("https://x/tag/cuba/") == "/tag/cuba/"
    assert shape("https://x/2026/10/03/condolences/") == "/{year}/{n}/{n}/{slug}/"


def test_announced_feeds_are_read_from_link_alternate() -> None:
    html = """<html><head><base href="https://x.example/en/">
    <link rel="alternate" type="application/rss+xml" href="feed.xml">
    <link rel="alternate" type="application/atom+xml; charset=utf-8" href="/atom">
    <link rel="alternate" hreflang="el" href="/el/">
    <link rel="stylesheet" href="s.css"></head><body></body></html>"""
    assert announced_feeds(html, "https://x.example/en/news") == [
        "https://x.example/en/feed.xml",
        "https://x.example/atom",
    ]


def test_a_latest_box_before_the_listing_does_not_hide_the_listing() -> None:
    latest = "".join(
        f'<li><a href="/news/{n}-statement-{n}">Statement {n}, in full, with all that the party '
        f"said about the events of the day</a></li>"
        for n in (9, 8, 7)
    )
    entries = "".join(
        f'<div class="entry"><h3><a href="/news/{n}-statement-{n}">The party’s statement '
        f"number {n} on the events</a></h3><p>Date: 2026-10-{n:02d}</p></div>"
        for n in range(9, 1, -1)
    )
    html = (
        f"<html><body><div class='top'><h2>Latest</h2><ul>{latest}</ul></div>"
        f"<div class='list'>{entries}</div></body></html>"
    )
    listing = read_listing(html, "https://x.example/news/")
    assert [e.url for e in listing.entries] == [
        f"https://x.example/news/{n}-statement-{n}" for n in range(9, 1, -1)
    ]
    assert listing.entries[0].title == "The party’s statement number 9 on the events"
    published = listing.entries[0].published
    assert published is not None
    assert published.at.date().isoformat() == "2026-10-09"

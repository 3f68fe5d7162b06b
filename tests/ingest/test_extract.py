from __future__ import annotations

from tribune.ingest.extract import draft_lead, extract_page, from_feed_html, sanitise

CMS_PAGE = """<!doctype html><html lang="en"><head>
<title>Statement on the general strike | KKE</title>
<meta name="author" content="Press Office of the CC">
<meta property="article:published_time" content="2024-05-01T10:00:00+03:00">
<style>body { color: red }</style><script>track()</script></head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/docs">Documents</a></li></ul></nav></header>
<main><article><h1>Statement on the general strike</h1>
<p class="meta">1 May 2024</p>
<p>The Communist Party of Greece salutes the workers who took part in today's general strike
in every city of the country. The strike showed the strength of the working class.</p>
<p>It calls on the people to join the rallies on Saturday, against the anti-labour law of the
government and the increases in prices that squeeze working families.</p>
<p><img src="x.png" onerror="steal()"> The full text of the law that the government passed
last night is published in <a href="https://kke.example/docs/1">the party's documents</a>, and
the workers' answer in <a href="javascript:alert(1)" onclick="evil()">the strike</a> of today.</p>
</article></main>
<aside><h3>Tags</h3><a href="/t/strike">strike</a> <a href="/t/kke">KKE</a></aside>
<footer>© KKE — all rights reserved</footer></body></html>"""


def test_the_article_is_found_and_the_page_around_it_dropped() -> None:
    page = extract_page(CMS_PAGE, url="https://kke.example/a/1")
    assert page is not None
    assert page.title.startswith("Statement on the general strike")
    assert "salutes the workers" in page.text
    assert "rallies on Saturday" in page.text
    for chrome in ("Home", "Documents", "all rights reserved", "Tags"):
        assert chrome not in page.text
    assert page.author.startswith("Press Office")
    assert page.published is not None
    assert page.published.at.year == 2024


def test_a_title_from_the_feed_spares_the_metadata_search() -> None:
    """With the feed's title (and date), the article is the same and the page's own title,
    date and author are not looked for; the feed's title is the article's, and its repetition
    at the top of the article is dropped."""
    searched = extract_page(CMS_PAGE, url="https://kke.example/a/1")
    assert searched is not None
    given = extract_page(CMS_PAGE, url="https://kke.example/a/1", title=f" {searched.title} ")
    assert given is not None
    assert (given.title, given.text, given.html) == (searched.title, searched.text, searched.html)
    assert not given.text.startswith(searched.title)  # the headline is the title, kept once
    assert (given.author, given.published) == ("", None)
    other = extract_page(CMS_PAGE, url="https://kke.example/a/1", title="The feed's own title")
    assert other is not None
    assert other.title == "The feed's own title"
    assert other.text.startswith(searched.title)  # not the same words: the page's headline stays


def test_stored_html_is_sanitised() -> None:
    page = extract_page(CMS_PAGE, url="https://kke.example/a/1")
    assert page is not None
    for bad in ("<script", "<style", "onerror", "onclick", "javascript:"):
        assert bad not in page.html
    assert 'href="https://kke.example/docs/1"' in page.html
    assert 'rel="noopener noreferrer"' in page.html


def test_sanitise_allowlist() -> None:
    dirty = (
        '<p style="x" onmouseover="a()">Hi <b>you</b></p><iframe src="http://x"></iframe>'
        '<a href="JAVASCRIPT:alert(1)">a</a><a href="mailto:cc@kke.example">m</a><svg onload=x>'
    )
    clean = sanitise(dirty)
    assert clean.startswith("<p>Hi <b>you</b></p>")
    for bad in ("iframe", "style=", "onmouseover", "svg", "onload", "JAVASCRIPT", "javascript"):
        assert bad not in clean
    assert 'href="mailto:cc@kke.example"' in clean


def test_a_page_without_an_article() -> None:
    assert extract_page("<html><body><nav><a href='/'>Home</a></nav></body></html>") is None


def test_draft_lead_is_a_sentence_or_two_up_to_about_300_characters() -> None:
    text = (
        "The KKE calls a rally on Saturday. "
        + "It demands the withdrawal of the law and wage rises for all workers in the country. " * 3
        + "A third long sentence follows here and it should not be part of the lead at all."
    )
    lead = draft_lead(text)
    assert lead.startswith("The KKE calls a rally on Saturday.")
    assert lead.endswith(".")
    assert len(lead) <= 300
    assert draft_lead("Short.") == "Short."
    endless = "word " * 200
    cut = draft_lead(endless)
    assert cut.endswith("…")
    assert len(cut) <= 301
    greek = "Το ΚΚΕ καλεί σε συλλαλητήριο. Η απεργία ήταν επιτυχία. " * 10
    assert draft_lead(greek).startswith("Το ΚΚΕ καλεί σε συλλαλητήριο.")


def test_full_text_from_a_feed() -> None:
    done = from_feed_html(" Nota ", "<p>Primeira frase. Segunda.</p><script>x()</script><p>Fim</p>")
    assert done.title == "Nota"
    assert done.html == "<p>Primeira frase. Segunda.</p><p>Fim</p>"
    assert done.text == "Primeira frase. Segunda.\n\nFim"
    assert done.lead == "Primeira frase. Segunda. Fim"

"""From a page (or a feed's full text) to what Tribune stores: sanitised HTML, plain text, a
draft lead, title, date and author.

trafilatura finds the article in the page (dropping navigation, sidebars and comments) and
returns it as HTML and as text, with the metadata it can find. The HTML is sanitised once,
here, with an nh3 allowlist: no script, style or event handler, no ``javascript:`` URL; links
keep ``rel="noopener noreferrer"``. The draft lead is the first sentence or two, up to about
300 characters: the editor's starting point, never published unseen.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import lxml.html
import nh3
import trafilatura
from lxml import etree
from trafilatura.htmlprocessing import convert_to_html

from tribune.ingest.feeds import Published, parse_date

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "strong", "em",
    "b", "i", "u", "a", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
    "hr", "pre", "code", "sub", "sup", "span", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan"}}
LEAD_CHARS = 300
MIN_TEXT_CHARS = 40
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "pre", "div", "br"}
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'“«(]?[A-ZÀ-ÞΑ-ΩА-Я0-9])")


@dataclass(frozen=True)
class Extracted:
    title: str
    html: str  # sanitised
    text: str
    lead: str
    author: str = ""
    published: Published | None = None


def sanitise(html: str) -> str:
    """The allowlisted HTML Tribune stores and serves."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def draft_lead(text: str, limit: int = LEAD_CHARS) -> str:
    """The first sentence or two of *text*, up to about *limit* characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    lead = ""
    for sentence in _SENTENCE_END.split(flat):
        candidate = f"{lead} {sentence}".strip()
        if lead and len(candidate) > limit:
            break
        lead = candidate
        if len(lead) >= limit * 0.6:
            break
    if len(lead) > limit + 100:  # one endless sentence: cut at a word
        lead = flat[:limit].rsplit(" ", 1)[0] + "…"
    return lead


def extract_page(
    html: str, *, url: str | None = None, title: str | None = None
) -> Extracted | None:
    """The article of a web page; None when the page holds no article text.

    One trafilatura pass gives the article tree and the metadata; the HTML and the text are
    both made from that tree, so the page is parsed and scored once. A caller that already has
    the title and the date (a feed's entry) gives the *title*: trafilatura then does not search
    the page for its metadata (title, date, author: about a third of its time on an article
    page), and that title is the article's.
    """
    doc: Any = trafilatura.bare_extraction(
        html,
        url=url,
        output_format="python",
        include_formatting=True,
        include_links=True,
        with_metadata=title is None,
    )
    if doc is None or getattr(doc, "body", None) is None:
        return None
    tree = convert_to_html(copy.deepcopy(doc.body))
    title = str(doc.title or "").strip() if title is None else title.strip()
    _drop_headline(tree, title)
    body_html = etree.tostring(tree, encoding="unicode")
    text = _text_of(tree)
    if len(text) < MIN_TEXT_CHARS:
        return None  # a menu or a "Home" link is not an article
    return Extracted(
        title=title,
        html=sanitise(body_html),
        text=text,
        lead=draft_lead(text),
        author=str(doc.author or "").strip(),
        published=parse_date(str(doc.date or "")),
    )


def _text_of(tree: Any) -> str:
    """Plain text with a blank line between blocks."""
    for element in tree.iter():
        if element.tag in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in tree.xpath("string()").splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _drop_headline(tree: Any, title: str) -> None:
    """The article's own headline repeats the title: keep it once, as the title."""
    for element in tree.iter("h1", "h2"):
        if " ".join(element.xpath("string()").split()) == title:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
        break


def from_feed_html(title: str, html: str) -> Extracted:
    """A feed that carries the full text: sanitise it and take its text, no page fetch."""
    clean = sanitise(html)
    text = text_of_html(clean)
    return Extracted(title=title.strip(), html=clean, text=text, lead=draft_lead(text))


XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text_of_html(clean: str) -> str:
    """The plain text of sanitised HTML, a blank line between blocks (control characters,
    which no HTML text may hold, are dropped)."""
    clean = XML_ILLEGAL.sub("", clean)
    return _text_of(lxml.html.fragment_fromstring(clean, create_parent="div")) if clean else ""

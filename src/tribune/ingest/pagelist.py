"""Article links on an HTML listing page, by recipe or by the page's repeated link patterns.

Many party sites have no feed, only a list of their latest statements inside the site's
navigation, sidebars, tag clouds and pager. A *recipe* names the links with CSS selectors or
XPath (``links``, optionally relative to an ``item`` container, with ``title``, ``date`` and
``next``). Without a recipe the links are found as a CMS writes them: article URLs on one
listing share a shape (``/2026/10/some-slug/``, ``/en/news/1234-slug.html``,
``/index.php/item/77``) while navigation, category and tag links do not repeat that shape or
carry short anchor texts. So links outside ``nav``/``header``/``footer``/``aside`` are grouped
by the shape of their path, and the group with the most title-like text wins. The next page is
the ``rel=next`` link, or a pager link saying "next"/"older" in one of the network's languages,
or the pager's next number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from tribune.ingest.feeds import FeedEntry, Published, parse_date

MIN_GROUP = 3  # a pattern must repeat this often to be a listing
_CHROME = {"nav", "header", "footer", "aside", "form"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_CHROME_NAMES = re.compile(
    r"\b(sidebar|aside|widget|module|moduletable|tag-?cloud|tags-?popular|menu|breadcrumbs?|"
    r"pag(er|ination))\b"
)
_NEXT_WORDS = re.compile(
    r"^\W*(next|older|more|siguiente|siguientes|anterior(es)?|próxima|seguinte|mais antigos|"
    r"επόμενη|παλαιότερα|sonraki|önceki|следующая|далее|ранее|вперёд|вперед|weiter|ältere|suivant|"
    r"plus anciens|successivo|volgende)\b|^\s*[»›→>]+\s*$",
    re.IGNORECASE,
)
_DATE_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b")


class RecipeError(ValueError):
    """A recipe's selector cannot be compiled."""


@dataclass
class Listing:
    """What one listing page gave: its entries in page order and the next page, if any."""

    entries: list[FeedEntry] = field(default_factory=list)
    next_url: str | None = None
    pattern: str = ""  # the link shape that was chosen (empty with a recipe)


def read_listing(html: str, url: str, recipe: dict[str, Any] | None = None) -> Listing:
    """The article entries of one listing page, and the URL of the next page."""
    try:
        tree = lxml.html.document_fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError):
        return Listing()
    base = _base_url(tree, url)
    if recipe and recipe.get("links"):
        listing = _by_recipe(tree, base, recipe)
        nxt = _select(tree, recipe["next"]) if recipe.get("next") else []
        listing.next_url = _href(nxt[0], base) if nxt else _next_page(tree, base, url)
    else:
        listing = _by_pattern(tree, base, url)
        listing.next_url = _next_page(tree, base, url)
    if listing.next_url == url:
        listing.next_url = None
    return listing


def check_recipe(recipe: dict[str, Any]) -> None:
    """Raise :class:`RecipeError` unless every selector of the recipe compiles."""
    for key in ("links", "item", "title", "date", "next"):
        value = recipe.get(key)
        if value is not None:
            if not isinstance(value, str) or not value.strip():
                raise RecipeError(f"the recipe's {key!r} must be a selector (a string)")
            _compile(value)


# --- recipes -------------------------------------------------------------------------------


def _is_xpath(selector: str) -> bool:
    return selector.lstrip().startswith(("/", "(", "./"))


def _compile(selector: str) -> Any:
    try:
        if _is_xpath(selector):
            return etree.XPath(selector)
        return CSSSelector(selector)
    except (SelectorError, etree.XPathSyntaxError) as exc:
        raise RecipeError(f"bad selector {selector!r}: {exc}") from None


def _select(node: Any, selector: str) -> list[Any]:
    found = _compile(selector)(node)
    return [n for n in found if isinstance(n, etree._Element)] if isinstance(found, list) else []


def _by_recipe(tree: Any, base: str, recipe: dict[str, Any]) -> Listing:
    listing = Listing()
    containers = _select(tree, recipe["item"]) if recipe.get("item") else [tree]
    seen: set[str] = set()
    for container in containers:
        for node in _select(container, recipe["links"]):
            link = node if node.tag == "a" else next(iter(node.iter("a")), None)
            href = _href(link, base) if link is not None else None
            if not href or href in seen:
                continue
            seen.add(href)
            scope = container if recipe.get("item") else node
            title = _first_text(scope, recipe.get("title")) or _text(link)
            date = _first_date(scope, recipe["date"]) if recipe.get("date") else None
            if date is None and recipe.get("item"):
                date = _date_near(container)
            listing.entries.append(FeedEntry(url=href, guid=None, title=title, published=date))
    return listing


def _first_text(scope: Any, selector: str | None) -> str:
    if not selector:
        return ""
    found = _select(scope, selector)
    return _text(found[0]) if found else ""


def _first_date(scope: Any, selector: str) -> Published | None:
    found = _select(scope, selector)
    return _date_of(found[0]) if found else None


# --- link patterns -------------------------------------------------------------------------


def shape(url: str) -> str:
    """The shape of a URL's path: variable parts (numbers, slugs) as classes, words kept."""
    parts = urlsplit(url)
    segments = [p for p in parts.path.split("/") if p]
    shapes: list[str] = []
    for segment in segments:
        # after a date or an id, any word is the entry's own (/2026/10/03/condolences/)
        own = _segment_shape(segment)
        after_variable = bool(shapes) and shapes[-1] in ("{year}", "{n}")
        shapes.append("{slug}" if after_variable and not own.startswith("{") else own)
    path = "/" + "/".join(shapes)
    if parts.path.endswith("/") and segments:
        path += "/"
    if parts.query:
        keys = sorted(pair.split("=")[0] for pair in parts.query.split("&"))
        path += "?" + "&".join(f"{key}=*" for key in keys)
    return path


def _segment_shape(segment: str) -> str:
    stem, dot, ext = segment.rpartition(".") if "." in segment else (segment, "", "")
    if segment.isdigit():
        return "{year}" if len(segment) == 4 and segment[:2] in ("19", "20") else "{n}"
    if any(c.isdigit() for c in stem) or "-" in stem or "_" in stem or len(stem) > 24:
        return "{slug}" + (dot + ext if ext else "")
    return segment


def _in_chrome(node: Any) -> bool:
    """Whether a link sits in the page's navigation, banner, footer or sidebar.

    A ``header`` or ``footer`` inside an ``article`` is the entry's own (its title, its date),
    not the page's.
    """
    ancestors = list(node.iterancestors())
    for i, ancestor in enumerate(ancestors):
        tag = ancestor.tag
        if tag in ("header", "footer") and any(
            a.tag in ("article", "main") for a in ancestors[i + 1 :]
        ):
            continue
        if tag in _CHROME or (ancestor.get("role") or "").lower() in _CHROME_ROLES:
            return True
        names = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}".lower()
        if _CHROME_NAMES.search(names):
            return True
    return False


def _by_pattern(tree: Any, base: str, page_url: str) -> Listing:
    host = urlsplit(page_url).netloc.lower()
    page = page_url.split("#")[0]
    # every occurrence of every link, by the shape of its URL: one URL may appear in a "latest"
    # box, as the headline and as "read more"
    groups: dict[str, dict[str, list[tuple[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for link in tree.iter("a"):
        href = _href(link, base)
        if not href or urlsplit(href).netloc.lower() != host or href == page:
            continue
        if _in_chrome(link) or _looks_like_pager(link):
            continue
        groups[shape(href)][href].append((_text(link), link))
    best, best_score = "", 0.0
    for pattern, links in groups.items():
        if len(links) < MIN_GROUP or pattern in ("/", ""):
            continue
        lengths = [min(max(len(t) for t, _ in seen), 120) for seen in links.values()]
        score = len(links) * (sum(lengths) / len(lengths))
        if score > best_score:
            best, best_score = pattern, score
    listing = Listing(pattern=best)
    for href, seen in _main_run(tree, groups.get(best, {})).items():
        text, link = max(seen, key=lambda pair: len(pair[0]))
        title = text or _heading_near(link)
        listing.entries.append(
            FeedEntry(url=href, guid=None, title=title, published=_date_near(_item_of(link)))
        )
    return listing


def _main_run(
    tree: Any, links: dict[str, list[tuple[str, Any]]]
) -> dict[str, list[tuple[str, Any]]]:
    """The links of the listing proper: the occurrences whose entries share a container with
    many others (a "most read" box elsewhere on the page repeats the shape, not the container).
    URLs keep the listing's order."""
    parent_of: dict[int, Any] = {}
    hrefs_in: dict[Any, set[str]] = defaultdict(set)
    for href, seen in links.items():
        for _, link in seen:
            parent = _item_of(link).getparent()
            parent_of[id(link)] = parent
            hrefs_in[parent].add(href)
    if not hrefs_in:
        return links
    largest = max(len(h) for h in hrefs_in.values())
    keep = {id(p) for p, h in hrefs_in.items() if len(h) * 2 >= largest}
    kept: dict[str, list[tuple[str, Any]]] = {}
    order: list[tuple[int, str]] = []
    position = {
        id(a): i
        for i, a in enumerate(links and next(iter(links.values()))[0][1].getroottree().iter("a"))
    }
    for href, seen in links.items():
        inside = [(t, a) for t, a in seen if id(parent_of[id(a)]) in keep]
        if inside:
            kept[href] = inside
            order.append((min(position.get(id(a), 0) for _, a in inside), href))
    return {href: kept[href] for _, href in sorted(order)}


def _item_of(link: Any) -> Any:
    """The largest ancestor of a link that holds no other link of its shape: its entry."""
    own = link.get("href") or ""
    pattern = shape(own)
    node = link
    for ancestor in link.iterancestors():
        for a in ancestor.iter("a"):
            href = a.get("href") or ""
            if href and href != own and shape(href) == pattern:
                return node
        node = ancestor
    return node


def _heading_near(link: Any) -> str:
    for heading in _item_of(link).iter("h1", "h2", "h3", "h4"):
        return _text(heading)
    return ""


# --- pagination ----------------------------------------------------------------------------


def _looks_like_pager(link: Any) -> bool:
    rel = (link.get("rel") or "").lower().split()
    return "next" in rel or "prev" in rel or bool(_NEXT_WORDS.search(_text(link)))


def _next_page(tree: Any, base: str, page_url: str) -> str | None:
    for node in tree.iter("link", "a"):
        if "next" in (node.get("rel") or "").lower().split() and node.get("href"):
            return _href(node, base)
    host = urlsplit(page_url).netloc.lower()
    pagers = [
        a
        for a in tree.iter("a")
        if _in_pager(a) and (href := _href(a, base)) and urlsplit(href).netloc.lower() == host
    ]
    for a in pagers or tree.iter("a"):
        if _NEXT_WORDS.search(_text(a)) and _href(a, base) not in (None, page_url):
            return _href(a, base)
    current = _current_page_number(pagers)
    for a in pagers:
        if _text(a).strip() == str(current + 1):
            return _href(a, base)
    return None


def _in_pager(link: Any) -> bool:
    for ancestor in link.iterancestors():
        classes = (ancestor.get("class") or "") + " " + (ancestor.get("id") or "")
        if re.search(r"pag(er|ination|es|enav)", classes, re.IGNORECASE):
            return True
        if ancestor.tag == "nav" and re.search(
            r"pag", ancestor.get("aria-label") or "", re.IGNORECASE
        ):
            return True
    return False


def _current_page_number(pagers: list[Any]) -> int:
    for a in pagers:
        parent = a.getparent()
        current = a.get("aria-current") or ""
        classes = (a.get("class") or "") + " " + (parent.get("class") if parent is not None else "")
        if current == "page" or re.search(r"\b(current|active)\b", classes or ""):
            text = _text(a).strip()
            if text.isdigit():
                return int(text)
    if pagers:
        parent = pagers[0].getparent()
        container = parent.getparent() if parent is not None else None
        if container is not None:
            for span in container.iter("span", "strong", "li"):
                text = (span.text or "").strip()
                if text.isdigit() and span.find("a") is None:
                    return int(text)
    return 1


# --- small readers -------------------------------------------------------------------------


def _base_url(tree: Any, url: str) -> str:
    base = tree.find(".//base")
    href = base.get("href") if base is not None else None
    return urljoin(url, href) if href else url


def _href(node: Any, base: str) -> str | None:
    href = (node.get("href") or "").strip() if node is not None else ""
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    absolute = urljoin(base, href).split("#")[0]
    return absolute if absolute.startswith(("http://", "https://")) else None


def _text(node: Any) -> str:
    return " ".join((node.text_content() or "").split()) if node is not None else ""


def _date_near(node: Any) -> Published | None:
    for time in node.iter("time"):
        found = _date_of(time)
        if found is not None:
            return found
    return _date_of(node)


def _date_of(node: Any) -> Published | None:
    found = parse_date(node.get("datetime") or node.get("content") or "")
    if found is not None:
        return found
    match = _DATE_IN_TEXT.search(_text(node))
    if match is None:
        return None
    if match.group(1):
        return parse_date(f"{match.group(1)}-{match.group(2)}-{match.group(3)}")
    day, month, year = int(match.group(4)), int(match.group(5)), match.group(6)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return parse_date(f"{year}-{month:02d}-{day:02d}")


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


def announced_feeds(html: str, url: str) -> list[str]:
    """The feeds an HTML page announces with ``<link rel="alternate" type=...>``, in order."""
    try:
        tree = lxml.html.document_fromstring(html or "<html></html>")
    except (etree.ParserError, ValueError):
        return []
    base = _base_url(tree, url)
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = _href(link, base)
        if "alternate" in rel and kind in FEED_TYPES and href and href not in found:
            found.append(href)
    return found

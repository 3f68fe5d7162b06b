"""Turning a fetched body into text: which character encoding, and why that one.

The order of evidence, strongest first:

1. A byte-order mark. The issue lists it after the header and meta tag, but a BOM is unambiguous
   and is what browsers obey over everything else (WHATWG "decode"), so a BOM that contradicts the
   declarations wins.
2. The ``charset`` of the Content-Type header.
3. A ``<meta charset>`` / ``<meta http-equiv="Content-Type" content="...; charset=...">`` or an XML
   declaration in the first 2 KB.
4. ``charset_normalizer`` detection, re-ranked by alphabet fit (see :func:`_detect`).

A declared charset is tried strictly: if the bytes do not decode, the declaration is wrong and the
next step is tried (a server saying utf-8 over windows-1253 Greek is common). Two more corrections
for mislabelling seen in the wild: ``iso-8859-1`` and ``ascii`` mean windows-1252 (as in browsers),
and when a single-byte charset is declared but the body is valid UTF-8 with non-ASCII bytes, UTF-8
is taken, since legacy text almost never happens to form valid UTF-8 multibyte sequences.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
from charset_normalizer.constant import FREQUENCIES

_SNIFF_BYTES = 2048
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\b[^>]*?encoding\s*=\s*["']([\w.:-]+)["']""")
# Labels that browsers read as windows-1252, a superset that also decodes 0x80-0x9F.
_AS_WINDOWS_1252 = {"latin_1", "iso8859_1", "ascii", "cp1252"}
_SINGLE_BYTE = ("cp12", "cp8", "iso8859", "koi8", "mac_")
_WEB_ENCODINGS = (
    *("cp125", "cp874", "cp932", "cp949", "iso8859", "koi8", "mac_cyrillic", "utf"),
    *("big5", "gb", "euc", "shift_jis", "iso2022", "tis"),
)
_ALPHABETS = [frozenset(letters) for letters in FREQUENCIES.values()]


def _codec(label: str) -> str | None:
    """Python's codec name for a charset label, or ``None`` if unknown."""
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    return name.replace("-", "_")


def _try(body: bytes, label: str | None, *, in_document: bool = False) -> tuple[str, str] | None:
    """``(text, encoding)`` if ``body`` decodes strictly as ``label`` (corrected), else ``None``."""
    codec = _codec(label) if label else None
    if codec is None:
        return None
    if in_document and codec.startswith(("utf_16", "utf_32")):
        codec = "utf_8"  # a tag readable as ASCII cannot really be UTF-16 (WHATWG says UTF-8)
    if codec in _AS_WINDOWS_1252:
        codec = "cp1252"
    if codec.startswith(_SINGLE_BYTE) and not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"  # valid UTF-8 labelled as legacy is UTF-8
        except UnicodeDecodeError:
            pass
    try:
        return body.decode(codec), codecs.lookup(codec).name
    except UnicodeDecodeError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type value, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def declared_in_document(body: bytes) -> str | None:
    """The charset an XML declaration or HTML meta tag in the first 2 KB names, if any."""
    head = body[:_SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    """Decode ``body`` and return ``(text, encoding used)``; see the module docstring for how."""
    if not body:
        return "", "utf-8"
    for bom, codec in _BOMS:
        if body.startswith(bom):
            try:
                return body.decode(codec), codec
            except UnicodeDecodeError:
                break
    for label, in_document in (
        (charset_from_content_type(content_type), False),
        (declared_in_document(body), True),
    ):
        decoded = _try(body, label, in_document=in_document)
        if decoded is not None:
            return decoded
    if body.isascii():
        return body.decode("ascii"), "ascii"
    return _detect(body)


def _alphabet_fit(text: str) -> float:
    """Share of non-ASCII letters that belong to the commonest letters of one single language."""
    letters = [c for c in text.lower() if c.isalpha() and not c.isascii()]
    if not letters:
        return 1.0
    return max(sum(c in alphabet for c in letters) for alphabet in _ALPHABETS) / len(letters)


def _detect(body: bytes) -> tuple[str, str]:
    """``charset_normalizer``, re-ranked among its near-best web encodings by alphabet fit.

    Its own ranking confuses the Latin legacy charsets (Turkish iso-8859-9 comes out as
    iso-8859-10, with þ for ş and ý for ı). A wrong decoding mixes letters of several languages, so
    among candidates whose "chaos" is close to the best, the one whose letters fit one language's
    alphabet best wins; DOS code pages, never served on the web, are dropped.
    """
    matches = list(charset_normalizer.from_bytes(body))
    if not matches:
        return body.decode("utf-8", errors="replace"), "utf-8"
    floor = matches[0].chaos + 0.15
    close = [m for m in matches if m.chaos <= floor and m.encoding.startswith(_WEB_ENCODINGS)]
    if not close:
        return str(matches[0]), matches[0].encoding
    ranked = [(round(_alphabet_fit(str(m)), 2), -rank, m) for rank, m in enumerate(close)]
    best = max(ranked, key=lambda r: (r[0], r[1]))[2]
    return str(best), best.encoding

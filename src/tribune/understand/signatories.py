"""The signatory list at the end of a joint statement: its signers, their groups, their KB ids.

Lists come in a few shapes, often mixed:

- one signer a line, numbered (``1.``, ``1)``, ``01-``) or bulleted (``-``, ``•``, ``*``);
- "Country, Party", "Country – Party" and "Party (Country)" lines: one signer each, the country
  helping the linker choose between parties of the same name;
- runs in a paragraph, separated by semicolons, or by commas (three or more names), the last
  one joined by "and" in the list's language;
- headings that group the signers ("SolidNet parties", "Other parties:", "Youth
  organisations:"): a line ending with a colon, or an unnumbered line among numbered ones.

The lead-in ("Signatory parties:", "Firman:", "Подписали:") is the first line when it ends
with a colon. Each signer is resolved through the entity linker: the organisation mention that
covers most of the signer's text; none leaves the signer unresolved, kept as written for an
editor (never guessed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from tribune.understand.link import Linker

_MARKER = re.compile(r"^\s*(?:\(?\d{1,3}\s*[.)\-]\)?|[-–—•*·▪])\s+")
_AND = re.compile(r"\s+(?:and|y|e|et|und|и|ve|και|ή)\s+", re.I)
_MIN_COVER = 0.8  # of the signer's own name: a mention of part of it ("Partido del Trabajo" in
# "Partido del Trabajo de Austria") is another party more often than not


@dataclass(frozen=True)
class Signer:
    name: str  # as the list writes it
    group: str  # the heading it stands under, or ""
    org_id: str | None  # None: unresolved, kept raw
    confidence: float = 0.0


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0].endswith(":"):
        lines = lines[1:]  # the lead-in
    return lines


def entries(text: str) -> Iterator[tuple[str, str, bool]]:
    """(signer as written, group, whether it ends a run of names on one line) in list order,
    before resolution."""
    lines = _lines(text)
    marked = sum(1 for line in lines if _MARKER.match(line))
    group = ""
    for line in lines:
        is_marked = bool(_MARKER.match(line))
        unmarked_among_marked = marked >= 2 and not is_marked and ";" not in line
        if line.endswith(":") or (unmarked_among_marked and line.count(",") < 2):
            group = line.rstrip(":").strip()
            continue
        body = _MARKER.sub("", line, count=1).strip().rstrip(".").strip()
        if ";" in body:
            parts = [p.strip() for p in body.split(";")]
        elif body.count(",") >= 2:
            parts = [p.strip() for p in body.split(",")]
        else:
            parts = [body]
        parts = [p for p in parts if p]
        for n, part in enumerate(parts):
            yield part, group, len(parts) > 1 and n == len(parts) - 1


_QUALIFIER = (
    # "Party (Country)", "Party (ACR)"; not "(M)" nor "(marxista)", which are part of a name
    re.compile(r"\s*\((?=[^()]{2})[A-ZÀ-ÞΑ-ΩА-ЯİÇŞĞÖÜ][^()]*\)\s*$"),
    re.compile(r"^[^–—:]{2,30}\s[–—]\s*"),  # "Country – Party"
    re.compile(r",\s*[^,]{2,30}$"),  # "Party, Country"
    re.compile(r"^[^,]{2,30},\s*"),  # "Country, Party"
)


def _core(text: str) -> str:
    """The signer's own name, without a country or acronym standing beside it."""
    for pattern in _QUALIFIER:
        shorter = pattern.sub("", text).strip()
        if len(shorter) >= 2:
            text = shorter
    return text


def _cover(linker: Linker, text: str, day: date | None) -> tuple[str | None, float, float]:
    """The organisation that covers most of *text*: (id, its share of the signer's own name,
    confidence). The whole line is linked, so a country beside the name helps choose."""
    best: tuple[str | None, float, float] = (None, 0.0, 0.0)
    size = max(1, len(_core(text)))
    for m in linker.link(text, date=day):
        if m.type != "org" or not m.id:
            continue
        share = min(1.0, (m.end - m.start) / size)
        if (share, m.confidence) > (best[1], best[2]):
            best = (m.id, share, m.confidence)
    return best


def parse(text: str, linker: Linker, *, day: date | None = None) -> list[Signer]:
    """The signers of a list, resolved to KB ids where the linker is sure of one. The last
    name of a run may hold two ("A and B"), unless one organisation covers it whole."""
    out: list[Signer] = []
    for part, group, ends_run in entries(text):
        found = _cover(linker, part, day)
        pieces = _AND.split(part, maxsplit=1) if ends_run and found[1] < _MIN_COVER else [part]
        if len(pieces) < 2:
            out.append(_signer(part, group, found))
            continue
        for piece in (p.strip() for p in pieces):
            if piece:
                out.append(_signer(piece, group, _cover(linker, piece, day)))
    return out


def _signer(name: str, group: str, found: tuple[str | None, float, float]) -> Signer:
    org_id, share, confidence = found
    if org_id and share >= _MIN_COVER:
        return Signer(name, group, org_id, confidence)
    return Signer(name, group, None)

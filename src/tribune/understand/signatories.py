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
with a colon. The last name of a run loses its "and" ("…, AKEL, and Communist Party of Malta").

Each signer is resolved through the entity linker. First its own name is told from what stands
beside it: a country ("Cyprus, AKEL", "Tudeh Party, Iran", "Almanya – …", "(Czech Republic)")
only when the country table knows the words as a country, so that "Union of Communist Parties –
CPSU" stays whole, and an acronym in brackets ("(KSM)", "[PKP-1930]"). The name is linked with
the country after it in brackets, which gives the linker its context without letting a match
run across the comma ("Iraq, Communist Party" is not a name). The organisation mention that
covers most of the name resolves the signer; a name the KB does not know (or only part of it)
is resolved by the acronym beside it, when the linker resolves that acronym; otherwise the
signer is unresolved, kept as written for an editor (never guessed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from tribune.understand.link import Linker

_MARKER = re.compile(r"^\s*(?:\(?\d{1,3}\s*[.)\-]\)?|[-–—•*·▪])\s+")
_AND = re.compile(r"\s+(?:and|y|e|et|und|и|ve|και|ή)\s+", re.I)
_LEADING_AND = re.compile(r"^(?:and|y|e|et|und|и|ve|και)\s+(?=\S)", re.I)
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
        if len(parts) > 1:  # "…, AKEL, and Communist Party of Malta"
            parts = [_LEADING_AND.sub("", p) for p in parts]
        for n, part in enumerate(parts):
            yield part, group, len(parts) > 1 and n == len(parts) - 1


# what may stand beside a signer's name: a bracketed note at the end, a country before a dash
# or a comma, a country after a comma
_BRACKETED = re.compile(r"^(?P<rest>.*\S)\s*[(\[](?P<note>[^()\[\]]+)[)\]]$")
_BEFORE_DASH = re.compile(r"^(?P<note>[^–—:]{2,40}?)\s+[–—-]\s*(?P<rest>\S.*)$")
_AFTER_COMMA = re.compile(r"^(?P<rest>.*\S)\s*,\s*(?P<note>[^,]{2,40})$")
_BEFORE_COMMA = re.compile(r"^(?P<note>[^,]{2,40}),\s*(?P<rest>\S.*)$")


def _is_acronym(note: str) -> bool:
    """ "KSM", "PKP-1930", "PCdoB", "ЛКСМ РФ": one or two short words, mostly capitals; not
    "(Marxist)" nor "(Proletarian Action)", which are part of a name."""
    words = note.split()
    letters = [ch for ch in note if ch.isalpha()]
    capitals = sum(1 for ch in letters if ch.isupper())
    return (
        0 < len(words) <= 2
        and all(len(w) <= 12 for w in words)
        and capitals >= 2
        and capitals * 2 > len(letters)
    )


@dataclass(frozen=True)
class _Parts:
    name: str  # the signer's own name
    country: str | None  # a country written beside it
    acronyms: tuple[str, ...]  # acronyms written beside it, in brackets


def _parts(linker: Linker, text: str) -> _Parts:
    """The signer's own name, without the country and the acronyms written beside it."""
    countries = linker.lexicon.countries
    name, country, acronyms = text.strip(), None, []
    changed = True
    while changed:
        changed = False
        for pattern in (_BRACKETED, _BEFORE_DASH, _AFTER_COMMA, _BEFORE_COMMA):
            match = pattern.match(name)
            if match is None:
                continue
            note = match.group("note").strip()
            if country is None and countries.lookup(note):
                country = note
            elif pattern is _BRACKETED and _is_acronym(note):
                acronyms.append(note)
            else:
                continue
            name = match.group("rest").strip()
            changed = True
            break
    return _Parts(name, country, tuple(acronyms))


def _cover(
    linker: Linker, name: str, country: str | None, day: date | None
) -> tuple[str | None, float, float]:
    """The organisation that covers most of *name*: (id, its share of the name, confidence).
    The name is linked with the country after it, in brackets, which gives the linker its
    context."""
    probe = f"{name} ({country})" if country else name
    best: tuple[str | None, float, float] = (None, 0.0, 0.0)
    size = max(1, len(name))
    for m in linker.link(probe, date=day):
        if m.type != "org" or not m.id or m.start >= len(name):
            continue
        share = min(1.0, (min(m.end, len(name)) - m.start) / size)
        if (share, m.confidence) > (best[1], best[2]):
            best = (m.id, share, m.confidence)
    return best


def _acronym_cover(
    linker: Linker, parts: _Parts, day: date | None
) -> tuple[str | None, float, float] | None:
    """The organisation an acronym beside the name stands for, linked with the name beside it
    (its context): None when no acronym resolves, or two resolve to different ones."""
    found: dict[str, float] = {}
    for acronym in parts.acronyms:
        start = len(parts.name) + 2  # after "name ("
        probe = f"{parts.name} ({acronym})" + (f" ({parts.country})" if parts.country else "")
        for m in linker.link(probe, date=day):
            if m.type == "org" and m.id and m.start == start and m.end == start + len(acronym):
                found[m.id] = max(found.get(m.id, 0.0), m.confidence)
    if len(found) != 1:
        return None
    ((org_id, confidence),) = found.items()
    return org_id, 1.0, confidence


def _resolve(linker: Linker, text: str, day: date | None) -> tuple[str | None, float, float]:
    parts = _parts(linker, text)
    found = _cover(linker, parts.name, parts.country, day)
    if found[1] < 1.0 and parts.country:
        # the country's support can make a part of the name ("Communist Party") win over the
        # whole name misspelt ("Lebannese Communist Party"): the name alone is linked too
        alone = _cover(linker, parts.name, None, day)
        if alone[1] > found[1]:
            found = alone
    if found[1] < _MIN_COVER and parts.acronyms:
        return _acronym_cover(linker, parts, day) or found
    return found


def parse(text: str, linker: Linker, *, day: date | None = None) -> list[Signer]:
    """The signers of a list, resolved to KB ids where the linker is sure of one. The last
    name of a run may hold two ("A and B"), unless one organisation covers it whole."""
    out: list[Signer] = []
    for part, group, ends_run in entries(text):
        found = _resolve(linker, part, day)
        pieces = _AND.split(part, maxsplit=1) if ends_run and found[1] < _MIN_COVER else [part]
        if len(pieces) < 2:
            out.append(_signer(part, group, found))
            continue
        for piece in (p.strip() for p in pieces):
            if piece:
                out.append(_signer(piece, group, _resolve(linker, piece, day)))
    return out


def _signer(name: str, group: str, found: tuple[str | None, float, float]) -> Signer:
    org_id, share, confidence = found
    if org_id and share >= _MIN_COVER:
        return Signer(name, group, org_id, confidence)
    return Signer(name, group, None)

"""Finding candidate spans in a text: one Aho-Corasick pass, then the surface checks.

A raw match is kept for a candidate only when the text shows it the way the KB means it:
acronyms match case-sensitively ("CPI", not "cpi"), single-word names and country names must be
capitalised, and a name must be valid on the text's date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from tribune.understand.lexicon import Candidate, Lexicon
from tribune.understand.textnorm import NormalisedText, fold_cased


@dataclass(slots=True)
class Span:
    start: int
    end: int
    key: str
    candidates: list[Candidate]

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    key: str
    candidates: list[Candidate]


def find_spans(lexicon: Lexicon, text: str, day: date | None) -> tuple[list[Span], list[Span]]:
    """The organisation spans and the country/person spans of a text.

    Organisation spans never overlap: the longest wins, then the leftmost. Country and person
    spans fill what organisations leave. Candidates are checked against the surface lazily, in
    that order, so the many short matches inside a long name ("Communist Party" inside
    "Communist Party of Greece") cost nothing.
    """
    ordered = sorted(_raw_matches(lexicon, text), key=lambda r: (r.start - r.end, r.start))
    taken = bytearray(len(text) + 1)
    orgs = _claim(lexicon, text, ordered, day, "org", taken)
    others = _claim(lexicon, text, ordered, day, "other", taken)
    return orgs, others


def _claim(
    lexicon: Lexicon,
    text: str,
    ordered: list[_Raw],
    day: date | None,
    kind: str,
    taken: bytearray,
) -> list[Span]:
    """Spans of one kind, in the order given, on characters no earlier span has taken."""
    found: list[Span] = []
    for r in ordered:
        if 1 in taken[r.start : r.end]:
            continue
        kept = _allowed(lexicon, text, r, day, kind)
        if kept:
            found.append(Span(r.start, r.end, r.key, kept))
            taken[r.start : r.end] = b"\x01" * (r.end - r.start)
    found.sort(key=lambda s: s.start)
    return found


def _raw_matches(lexicon: Lexicon, text: str) -> list[_Raw]:
    nt = NormalisedText(text)
    found: dict[tuple[int, int], _Raw] = {}
    to_original = nt.to_original
    for end_idx, key, cands in _matches(lexicon, nt):
        start = to_original(end_idx - len(key))
        end = to_original(end_idx)
        if _glued(text, start, end):
            continue
        if text[end : end + 1] == ")" and text.count("(", start, end) > text.count(")", start, end):
            end += 1  # "Communist Party of India (Marxist)" keeps its closing parenthesis
        raw = found.get((start, end))
        if raw is None:
            found[(start, end)] = _Raw(start, end, key, list(cands))
        else:
            raw.candidates.extend(cands)
    return list(found.values())


_CACHE_LIMIT = 200_000


def _allowed(
    lexicon: Lexicon, text: str, raw: _Raw, day: date | None, kind: str
) -> list[Candidate]:
    """The candidates of one kind the surface allows; remembered, as surfaces repeat."""
    surface = text[raw.start : raw.end]
    cache = lexicon.surface_cache
    memo = (raw.key, surface, day, kind)
    found = cache.get(memo)
    if found is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        found = cache[memo] = _check(lexicon, raw, surface, day, kind)
    return found


def _check(
    lexicon: Lexicon, raw: _Raw, surface: str, day: date | None, kind: str
) -> list[Candidate]:
    if kind == "org":
        cands = [c for c in raw.candidates if c.type == "org"]
        if any(c.type == "country" for c in raw.candidates):
            # "USA", "Czech": a country first; only a network organisation may share the name
            cands = [c for c in cands if lexicon.orgs[c.id].seed]
    else:
        cands = [c for c in raw.candidates if c.type != "org"]
    if not cands:
        return []
    if cands[0].generic and all(c.generic for c in cands) and not _generic_surface(surface):
        return []
    return [c for c in cands if _surface_allows(c, surface, raw.key, day, lexicon)]


def _generic_surface(surface: str) -> bool:
    """ "Communist Party" names someone only when written as a name."""
    return all(w[:1].isupper() for w in surface.split() if len(w) > 3)


def _matches(
    lexicon: Lexicon, nt: NormalisedText
) -> Iterator[tuple[int, str, tuple[Candidate, ...]]]:
    for automaton, entries, norm in (
        (lexicon.automaton, lexicon.entries, nt.norm),
        (lexicon.acronym_automaton, lexicon.acronym_entries, nt.cased),
        (lexicon.country_automaton, lexicon.country_entries, nt.norm),
    ):
        if automaton is None:
            continue
        for end_idx, index in automaton.iter(norm):
            key, cands = entries[index]
            yield end_idx, key, cands


def _glued(text: str, start: int, end: int) -> bool:
    """A match that is only part of a hyphenated word: "anti-Communist", "Co-hosted"."""
    if start >= 2 and text[start - 1] == "-" and text[start - 2].islower():
        return True
    return (
        end + 1 < len(text)
        and text[end] == "-"
        and text[end + 1].islower()
        and (not text[start:end].isupper())
    )


def _capitalised(surface: str) -> bool:
    return not surface[:1].islower()


def _surface_allows(
    cand: Candidate, surface: str, key: str, day: date | None, lexicon: Lexicon
) -> bool:
    if cand.acronym:
        return fold_cased(surface) == cand.form and cand.valid_on(day)
    if cand.type == "country":
        if len(cand.form) <= 3:
            return fold_cased(surface) == cand.form
        return _capitalised(surface)
    if cand.type == "person":
        return _capitalised(surface) and " " in key
    if not cand.valid_on(day):
        return False
    info = lexicon.orgs.get(cand.id)
    if info is None or not info.existed_in(day):
        return False
    if " " not in key:
        # a one-word name ("Akahata", "Hadash") is a proper noun: capitalised, not tiny
        return _capitalised(surface) and len(key) >= 3
    if not info.seed and not _capitalised(surface):
        # world parties' names are often common phrases ("New Country", "Right-wing")
        return False
    if cand.generic:
        return _generic_surface(surface)
    return True

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


def find_spans(lexicon: Lexicon, text: str, day: date | None) -> list[Span]:
    """Every whole-word match of a KB key, with the candidates its surface allows."""
    nt = NormalisedText(text)
    found: dict[tuple[int, int], Span] = {}
    to_original = nt.to_original
    for end_idx, key, cands in _matches(lexicon, nt.norm):
        start = to_original(end_idx - len(key))
        end = to_original(end_idx)
        if _glued(text, start, end):
            continue
        surface = text[start:end]
        if surface.count("(") > surface.count(")") and text[end : end + 1] == ")":
            end += 1  # "Communist Party of India (Marxist)" keeps its closing parenthesis
            surface = text[start:end]
        kept = [c for c in cands if _surface_allows(c, surface, key, day, lexicon)]
        if not kept:
            continue
        span = found.get((start, end))
        if span is None:
            found[(start, end)] = Span(start, end, key, kept)
        else:
            span.candidates.extend(kept)
    spans = list(found.values())
    for span in spans:
        if any(c.type == "country" for c in span.candidates):
            # "USA", "Czech": a country first; only a network organisation may share the name
            span.candidates = [
                c for c in span.candidates if c.type != "org" or lexicon.orgs[c.id].seed
            ]
    return spans


def _matches(lexicon: Lexicon, norm: str) -> Iterator[tuple[int, str, tuple[Candidate, ...]]]:
    for automaton, entries in (
        (lexicon.automaton, lexicon.entries),
        (lexicon.country_automaton, lexicon.country_entries),
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
        # "Communist Party" names someone only when written as a name
        return all(w[:1].isupper() for w in surface.split() if len(w) > 3)
    return True


def select_longest(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, longest first, then leftmost."""
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (-s.length, s.start)):
        if not any(span.overlaps(c) for c in chosen):
            chosen.append(span)
    chosen.sort(key=lambda s: s.start)
    return chosen

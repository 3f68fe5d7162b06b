"""Matching what exact matching misses: misspelt long names, misspelt acronyms, events.

* Long names (three words or more) match a stretch of capitalised words with a similarity of
  at least 90 (rapidfuzz ratio on normalised text), so "Communist Part of Turkey" and
  "Paraguyan Communist Party" link. A country named in the stretch must be named in the
  candidate too, so "Communist Party of Iran" never becomes "...of Iraq".
* An acronym with two letters swapped ("SCAP" for SACP) links only when the same text names
  that organisation otherwise: a typo is believable only next to its correct form.
* Events are an ordinal and a series name or acronym: "21st IMCWP", "the 21st International
  Meeting of Communist and Workers' Parties".
"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from tribune.understand.lexicon import Candidate, Lexicon
from tribune.understand.mention import Mention
from tribune.understand.spans import Span
from tribune.understand.textnorm import normalise_name

FUZZY_MIN_SCORE = 90.0
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-Я][\w'’.-]*"
_CONNECTOR = r"(?:of|the|de|do|da|di|del|della|du|des|in|and|y|e|i|for)"
_RUN = re.compile(rf"{_CAP}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)*{_CAP})+")
_WORD = re.compile(r"[\w'’]+")
_TRIGGERS = frozenset("part comm comu komm komu work labo soci unio fron yout leag kome".split())
_CAPS_WORD = re.compile(r"\b[A-Z]{4,7}\b")


def fuzzy_org_spans(lexicon: Lexicon, text: str, day: date | None, taken: list[Span]) -> list[Span]:
    index = lexicon.fuzzy
    if index is None:
        return []
    found: list[Span] = []
    for run in _RUN.finditer(text):
        if any(t.start <= run.start() and run.end() <= t.end for t in taken):
            continue
        words = [
            (m.start(), m.end(), normalise_name(m.group()))
            for m in _WORD.finditer(text, run.start(), run.end())
        ]
        folded = [w[2] for w in words if w[2]]
        if not any(w[:4] in _TRIGGERS for w in folded):
            continue
        best: tuple[float, int, int, tuple[Candidate, ...]] | None = None
        for name_index in index.candidates(folded):
            key, cands = index.names[name_index]
            n = key.count(" ") + 1
            for size in (n - 1, n, n + 1):
                for i in range(0, len(words) - size + 1):
                    window = words[i : i + size]
                    if not text[window[0][0]].isupper():
                        continue
                    start, end = window[0][0], window[-1][1]
                    if any(start < t.end and t.start < end for t in taken):
                        continue
                    stretch = " ".join(w[2] for w in window)
                    if stretch == key:
                        continue  # an exact match the resolver already judged
                    score = fuzz.ratio(stretch, key, score_cutoff=FUZZY_MIN_SCORE)
                    if score and (best is None or score > best[0]) and not _plural_of(stretch, key):
                        agreeing = _countries_agree(lexicon, stretch, cands)
                        if agreeing:
                            best = (score, start, end, agreeing)
        if best is not None:
            score, start, end, cands = best
            valid = [
                Candidate(c.type, c.id, priority=c.priority + 1, certain=c.certain)
                for c in cands
                if c.valid_on(day) and lexicon.orgs[c.id].existed_in(day)
            ]
            if valid:
                found.append(Span(start, end, normalise_name(text[start:end]), valid))
    return found


def _plural_of(stretch: str, key: str) -> bool:
    """ "Partidos Comunistas de Argentina" is a plural, not a misspelt party name."""
    words = set(key.split())
    return any(
        w.endswith("s") and bool({w[:-1], w[:-2], w[:-3] + "y"} & words) for w in stretch.split()
    )


def _countries_agree(
    lexicon: Lexicon, stretch: str, cands: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """The candidates whose country is the one the stretch names, if it names one."""
    named: set[str] = set()
    for word in stretch.split():
        named |= _country_codes(lexicon, word)
    if not named:
        return cands
    return tuple(c for c in cands if lexicon.orgs[c.id].country in named)


def _country_codes(lexicon: Lexicon, word: str) -> frozenset[str]:
    """Countries a word names, also as a stem ("colombiano", "turkiye"s)."""
    if len(word) <= 3:
        return frozenset()
    codes = lexicon.countries.lookup(word)
    if codes:
        return codes
    for cut in range(len(word) - 1, 4, -1):
        codes = lexicon.countries.lookup(word[:cut])
        if codes:
            return codes
    return frozenset()


def typo_acronyms(
    lexicon: Lexicon, text: str, mentions: list[Mention], taken: list[tuple[int, int]]
) -> list[Mention]:
    linked = {m.id for m in mentions if m.type == "org" and m.id is not None}
    acronyms = [
        (acr, org_id)
        for org_id in linked
        for acr in lexicon.orgs[org_id].acronyms
        if len(acr) >= 4 and acr.isupper()
    ]
    if not acronyms:
        return []
    out: list[Mention] = []
    for match in _CAPS_WORD.finditer(text):
        start, end = match.span()
        if any(start < e and s < end for s, e in taken):
            continue
        word = match.group()
        for acr, org_id in acronyms:
            if word != acr and sorted(word) == sorted(acr) and OSA.distance(word, acr) == 1:
                out.append(Mention(start, end, word, "org", org_id, 0.6))
                break
    return out


def find_event_mentions(lexicon: Lexicon, text: str, mentions: list[Mention]) -> list[Mention]:
    pattern = lexicon.event_pattern
    if pattern is None:
        return []
    out: list[Mention] = []
    for match in pattern.finditer(text):
        series = lexicon.event_labels.get(normalise_name(match.group("label")))
        if series is None:
            continue
        event_id = lexicon.event_numbers.get((series, int(match.group("num"))))
        if event_id is None:
            continue
        start, end = match.span()
        if any(start < m.end and m.start < end for m in mentions if m.id and m.type != "country"):
            continue
        out.append(Mention(start, end, match.group(), "event", event_id, 0.9))
    return out

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

import itertools
import re
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from tribune.understand.fuzzy_index import TRIGGERS as _TRIGGERS
from tribune.understand.lexicon import Candidate, Lexicon
from tribune.understand.mention import Mention
from tribune.understand.spans import Span
from tribune.understand.textnorm import normalise_name

FUZZY_MIN_SCORE = 90.0
_RUN_REACH = 120  # how far around a trigger word its run of capitalised words may reach
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-Я][\w'’.-]*"
_CONNECTOR = r"(?:of|the|de|do|da|di|del|della|du|des|in|and|y|e|i|for)"
_RUN = re.compile(rf"{_CAP}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)*{_CAP})+")
_CONNECTOR_WORDS = frozenset(_CONNECTOR[3:-1].split("|"))
_WORD = re.compile(r"[\w'’]+")
_TRIGGER = re.compile(r"\b(?:" + "|".join(sorted(_TRIGGERS)) + ")", re.IGNORECASE)
_CAPS_WORD = re.compile(r"\b[A-Z]{4,7}\b")


def fuzzy_org_spans(lexicon: Lexicon, text: str, day: date | None, taken: list[Span]) -> list[Span]:
    """Long names written with a typo, in stretches of capitalised words the exact pass missed.

    Only words that no resolved mention covers are compared, and only stretches holding a word
    typical of organisation names ("party", "communist", "workers", ...): most capitalised runs
    in news text are people, places and titles, and are skipped before any comparison.
    """
    index = lexicon.fuzzy
    if index is None:
        return []
    found: list[Span] = []
    covered = bytearray(len(text) + 1)
    for t in taken:
        covered[t.start : t.end] = b"\x01" * (t.end - t.start)
    seen_until = -1
    for trigger in _TRIGGER.finditer(text):
        if covered[trigger.start()] or trigger.start() < seen_until:
            continue  # inside a resolved name, or in a run already compared
        run = _run_around(text, trigger.start())
        if run is None:
            continue
        seen_until = run[1]
        words = [
            (m.start(), m.end(), normalise_name(m.group()))
            for m in _WORD.finditer(text, run[0], run[1])
            if 1 not in covered[m.start() : m.end()]
        ]
        if len(words) < 2:
            continue
        best = _best_window(lexicon, text, words)
        if best is not None:
            start, end, cands = best
            valid = [
                Candidate(c.type, c.id, priority=c.priority + 1, certain=c.certain)
                for c in cands
                if c.valid_on(day) and lexicon.orgs[c.id].existed_in(day)
            ]
            if valid:
                found.append(Span(start, end, normalise_name(text[start:end]), valid))
    return found


def _run_around(text: str, pos: int) -> tuple[int, int] | None:
    """The stretch of capitalised words (with connectors) that contains ``pos``, if any."""
    lo = max(0, pos - _RUN_REACH)
    for run in _RUN.finditer(text, lo, min(len(text), pos + _RUN_REACH)):
        if run.start() <= pos < run.end():
            return run.start(), run.end()
        if run.start() > pos:
            break
    return None


def _best_window(
    lexicon: Lexicon, text: str, words: list[tuple[int, int, str]]
) -> tuple[int, int, tuple[Candidate, ...]] | None:
    """The stretch of ``words`` most similar to a long name (rapidfuzz, in C), if any."""
    index = lexicon.fuzzy
    assert index is not None
    ids = sorted(index.candidates([w[2] for w in words]))
    if not ids:
        return None
    keys = [index.names[i][0] for i in ids]
    sizes = [index.sizes[i] for i in ids]
    lo, hi = max(2, min(sizes) - 1), max(sizes) + 1
    best: tuple[float, int, int, tuple[Candidate, ...]] | None = None
    for i in range(len(words)):
        if not text[words[i][0]].isupper():
            continue
        for size in range(lo, min(hi, len(words) - i) + 1):
            window = words[i : i + size]
            if any(b[0] - a[1] > 3 for a, b in itertools.pairwise(window)):
                break  # a covered word lies between: not one stretch of text
            if window[-1][2] in _CONNECTOR_WORDS:
                continue  # "Revolutionary Communist Party of" is not a name
            stretch = " ".join(w[2] for w in window)
            hit = process.extractOne(stretch, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
            if hit is None or (best is not None and hit[1] <= best[0]):
                continue
            key, score, position = hit
            if key == stretch or _plural_of(stretch, key):
                continue  # an exact match the resolver already judged, or a plural
            agreeing = _countries_agree(lexicon, stretch, index.names[ids[position]][1])
            if agreeing:
                best = (score, window[0][0], window[-1][1], agreeing)
    return None if best is None else best[1:]


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

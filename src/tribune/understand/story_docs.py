"""What the stories stage compares: an item reduced to words, names, entities and numbers.

Stories are told in many languages at once, so an item carries four kinds of evidence:

- **words**, for items in one language: the title (counted twice: it names the subject) and
  the text, folded (lower case, no diacritics) and cut to their first :data:`STEM` letters, a
  crude stemmer that serves inflected languages (Greek, Russian, Turkish) well enough, since
  "απεργία", "απεργίας" and "απεργιακή" then share a stem;
- **names**: capitalised words of Latin script, folded and cut the same way. A place, a person
  or a ship keeps its name across languages written in that script ("Zonguldak", "Sosa
  Benítez", "Khan Younis"), so names compare items in different languages;
- **entities**: what the linker resolved in the item (events, people, countries,
  organisations), except the publisher and its parent, which say who speaks, not about what;
- **countries** named in any inflected form: the linker matches a country's names as they
  are listed (nominative), and "Кубы", "Кубу", "Yunanistan'da" or "Греции" are not; each word
  is also looked up by its longest prefix among the countries' one-word names in the
  network's main languages, each cut before its final vowels (:func:`country_stems`). The
  rest of the word may be an ending of at most four letters (two after a four-letter stem,
  one after a three-letter one), so "Кубы", "Греции" and "Venezuelan" match, but "industry"
  is not India, "children" not Chile and "fight" not Fiji;
- **numbers** of two digits or more ("8 per cent", "301 miners", "35 years"), which are the
  same in every language, and **dates**: a day and a month ("16 April", "16 de abril", "16
  Απριλίου", "16 апреля", "8 Mart") become one token ``date:04-16``, from babel's month
  names in the network's main languages, matched on their first four letters.

Every part is weighted by its rarity in the pool the item is compared within (inverse
document frequency), so the words every statement uses ("party", "workers") and the country a
party always talks about weigh little.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from tribune.kb.countries import load_countries
from tribune.understand.textnorm import fold_chars

STEM = 6
MAX_WORDS = 60  # of an item's words, the heaviest compared
MIN_WORD = 4

_WORD = re.compile(rf"[^\W\d_]{{{MIN_WORD},}}")
_NAME = re.compile(r"\b[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]{3,}")
STEM_LANGUAGES = frozenset({"en", "es", "pt", "el", "tr", "ru", "fr", "de", "it"})
MIN_COUNTRY_STEM = 3
_ENDING = {3: 1, 4: 2}  # the letters an inflection may add to a short stem
_VOWELS = frozenset("aeiouyаеёиоуыэюяьйαεηιουωςy")
_NUMBER = re.compile(r"(?<![\d.,])\d{2,}(?:[.,]\d+)?(?![\d])")


@dataclass(frozen=True)
class Doc:
    """One item as the stories stage sees it."""

    key: int
    org: str | None
    language: str
    when: datetime
    words: Counter[str] = field(default_factory=Counter)
    names: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()  # "type:id"
    numbers: frozenset[str] = frozenset()


# a shared event or person says more about the subject than a shared country
TYPE_WEIGHTS = {"event": 2.0, "person": 1.5, "org": 1.0, "country": 0.5}
SUPPORT = 5.0  # the weight of shared entities that counts fully: an event, or two people
MONTH_STEM = 4
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:\.|st|nd|rd|th|η|-?го)?\s+(?:de\s+)?([^\W\d_]{3,})")
_MONTH_DAY = re.compile(r"\b([^\W\d_]{3,})\s+(\d{1,2})\b")


@functools.cache
def month_stems() -> dict[str, int]:
    """Folded first letters of a month's names -> its number (1–12), for every form babel
    gives in :data:`STEM_LANGUAGES` (wide and abbreviated, format and stand-alone, so the
    Greek and Russian genitives are in). A stem two months share is dropped."""
    from babel.dates import get_month_names

    found: dict[str, set[int]] = {}
    for language in STEM_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, language).items():
                    stem = fold_chars(name.lower().rstrip("."))[:MONTH_STEM]
                    if len(stem) >= 3 and stem.isalpha():
                        found.setdefault(stem, set()).add(int(number))
    return {stem: months.pop() for stem, months in found.items() if len(months) == 1}


def _dates_in(text: str) -> set[str]:
    stems, out = month_stems(), set()
    lowered = text.lower()
    for day, word in _DAY_MONTH.findall(lowered):
        month = stems.get(fold_chars(word)[:MONTH_STEM])
        if month is not None and 1 <= int(day) <= 31:
            out.add(f"date:{month:02d}-{int(day):02d}")
    for word, day in _MONTH_DAY.findall(lowered):
        month = stems.get(fold_chars(word)[:MONTH_STEM])
        if month is not None and 1 <= int(day) <= 31:
            out.add(f"date:{month:02d}-{int(day):02d}")
    return out


def _stem(word: str) -> str:
    return fold_chars(word)[:STEM]


@functools.cache
def country_stems() -> dict[str, str]:
    """Folded stem -> country code, from the one-word names of every country in
    :data:`STEM_LANGUAGES` ("Куба" -> "куб", "Yunanistan" -> "yunanistan", "Grécia" ->
    "grec"). A stem two countries share is dropped: it names neither."""
    found: dict[str, set[str]] = {}
    for country in load_countries():
        for name, languages in country.names.items():
            if " " in name.strip() or not STEM_LANGUAGES.intersection(languages):
                continue
            stem = fold_chars(name.strip().lower())
            while stem and stem[-1] in _VOWELS:
                stem = stem[:-1]
            if len(stem) >= MIN_COUNTRY_STEM and stem.isalpha():
                found.setdefault(stem, set()).add(country.code)
    return {stem: next(iter(codes)) for stem, codes in found.items() if len(codes) == 1}


def _countries_in(words: Iterable[str]) -> set[str]:
    stems, out = country_stems(), set()
    for word in words:
        for end in range(len(word), MIN_COUNTRY_STEM - 1, -1):
            code = stems.get(word[:end])
            if code is not None and len(word) - end <= _ENDING.get(end, 4):
                out.add(f"country:{code}")
                break
    return out


def make_doc(
    key: int,
    *,
    org: str | None,
    language: str,
    when: datetime,
    title: str,
    text: str,
    entities: Iterable[tuple[str, str]] = (),
    publisher: Iterable[str] = (),
) -> Doc:
    """The item's :class:`Doc`; *entities* are (type, id) pairs from the linker and
    *publisher* the organisation ids that speak rather than are spoken about."""
    words: Counter[str] = Counter()
    folded: set[str] = set()
    for part, weight in ((title, 2), (text, 1)):
        # folding keeps the length and turns non-letters to spaces: fold once, then split
        found_words = _WORD.findall(fold_chars(part.lower()))
        folded.update(found_words)
        for word in found_words:
            words[word[:STEM]] += weight
    names = frozenset(_stem(m.group()) for m in _NAME.finditer(f"{title}\n{text}"))
    skip = set(publisher)
    found = frozenset(
        {f"{kind}:{ident}" for kind, ident in entities if not (kind == "org" and ident in skip)}
        | _countries_in(folded)
    )
    numbers = frozenset(
        {m.group().replace(",", ".") for m in _NUMBER.finditer(f"{title}\n{text}")}
        | _dates_in(f"{title}\n{text}")
    )
    return Doc(key, org, language, when, words, names, found, numbers)


class Rarity:
    """Inverse document frequencies over a pool of docs, for each kind of evidence."""

    def __init__(self, docs: Iterable[Doc]) -> None:
        self.size = 0
        self.words: Counter[str] = Counter()
        self.names: Counter[str] = Counter()
        self.entities: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()
        for doc in docs:
            self.add(doc)

    def add(self, doc: Doc) -> None:
        self.size += 1
        self.words.update(doc.words.keys())
        self.names.update(doc.names)
        self.entities.update(doc.entities)
        self.numbers.update(doc.numbers)

    def idf(self, counts: Mapping[str, int], term: str) -> float:
        return math.log((1 + self.size) / (1 + counts.get(term, 0))) + 1.0


def _cosine(a: dict[str, float], b: dict[str, float], norm_a: float, norm_b: float) -> float:
    if not norm_a or not norm_b:
        return 0.0
    shared = a.keys() & b.keys()  # intersected in C: most pairs share few terms
    return sum(a[k] * b[k] for k in shared) / (norm_a * norm_b) if shared else 0.0


@dataclass
class Vectors:
    """A doc's weighted vectors under one :class:`Rarity`, with their norms."""

    words: dict[str, float]
    names: dict[str, float]
    entities: dict[str, float]
    numbers: dict[str, float]
    norms: tuple[float, float, float, float]

    @classmethod
    def of(cls, doc: Doc, rarity: Rarity) -> Vectors:
        weighed = {w: (1 + math.log(n)) * rarity.idf(rarity.words, w) for w, n in doc.words.items()}
        # the heaviest words carry the subject; the rest adds cost, not meaning
        words = dict(heapq.nlargest(MAX_WORDS, weighed.items(), key=lambda kv: kv[1]))
        names = {n: rarity.idf(rarity.names, n) for n in doc.names}
        entities = {
            e: rarity.idf(rarity.entities, e) * TYPE_WEIGHTS.get(e.split(":", 1)[0], 1.0)
            for e in doc.entities
        }
        numbers = {n: rarity.idf(rarity.numbers, n) for n in doc.numbers}
        norms = tuple(
            math.sqrt(sum(v * v for v in vec.values())) for vec in (words, names, entities, numbers)
        )
        return cls(words, names, entities, numbers, norms)  # type: ignore[arg-type]

    def words_like(self, other: Vectors) -> float:
        return _cosine(self.words, other.words, self.norms[0], other.norms[0])

    def names_like(self, other: Vectors) -> float:
        return _cosine(self.names, other.names, self.norms[1], other.norms[1])

    def entities_like(self, other: Vectors) -> float:
        """The cosine of the entities, scaled down while the shared evidence is thin: one
        shared country must not make two texts alike (:data:`SUPPORT`)."""
        shared = sum(v for k, v in self.entities.items() if k in other.entities)
        cosine = _cosine(self.entities, other.entities, self.norms[2], other.norms[2])
        return cosine * min(1.0, shared / SUPPORT)

    def numbers_like(self, other: Vectors) -> float:
        return _cosine(self.numbers, other.numbers, self.norms[3], other.norms[3])

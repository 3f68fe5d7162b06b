"""The words organisation names are made of, in the network's languages: the vocabulary of
``data/name_words.csv`` (party, communist, workers', labour, youth...), and each country's
names, adjectives and genitives (CLDR, ``data/country_adjectives_by_language.csv`` and
``data/country_names_extra.csv``). :mod:`tribune.understand.translations` composes names from
them.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from importlib import resources

from tribune.kb.countries import load_countries
from tribune.understand.inflection import genitives
from tribune.understand.textnorm import normalise_name

LANGUAGES = ("es", "pt", "it", "fr", "ca", "de", "el", "ru", "tr")
_VOCABULARY_FILE = "name_words.csv"
_ADJECTIVES_FILE = "country_adjectives_by_language.csv"
_EXTRA_NAMES_FILE = "country_names_extra.csv"
# English words that name no one in particular (the same list as variants.GENERIC_WORDS): a
# vocabulary entry made of them is generic in every language.
GENERIC_ENGLISH = frozenset(
    "communist communists party parties workers worker labour labor socialist socialists "
    "people peoples s the of and union youth young league front democratic progressive national "
    "new united unified revolutionary marxist leninist left green popular social unity".split()
)


@dataclass(frozen=True, slots=True)
class Noun:
    form: str  # nominative
    gender: str  # m, f, n; mp, fp, np or p for a plural
    genitive: str  # Greek, Russian, German: the genitive; Turkish: the compound form

    @property
    def plural(self) -> bool:
        return self.gender.endswith("p")

    @property
    def base_gender(self) -> str:
        return self.gender.rstrip("p") or "m"


@dataclass(frozen=True, slots=True)
class Adjective:
    lemma: str  # masculine singular nominative; German: the stem; "x-": a compound's first part
    feminine: str = ""  # where the language's rule would get it wrong ("francesa")
    before: bool = False  # before the noun in the Romance languages ("nuevo", "joven")
    in_complements: bool = False  # also renders a complement ("of trade unions")

    @property
    def compound(self) -> bool:
        return self.lemma.endswith("-")


@dataclass
class Word:
    """One entry of the vocabulary: its nouns and adjectives in each language."""

    english: str
    generic: bool
    nouns: dict[str, list[Noun]] = field(default_factory=dict)
    adjectives: dict[str, list[Adjective]] = field(default_factory=dict)


COUNTRY = None  # a modifier slot taken by the country's adjective ("French Communist Party")
Modifier = Word | None


@dataclass(frozen=True, slots=True)
class Complement:
    modifiers: tuple[Modifier, ...]
    noun: Word


@dataclass(frozen=True, slots=True)
class Shape:
    """An English name parsed: "New Communist Party of the Netherlands"."""

    modifiers: tuple[Modifier, ...]  # in the English order
    head: Word
    complements: tuple[Complement, ...] = ()
    country: str = ""  # "of", "in", "adj" (the COUNTRY slot is among the modifiers) or ""
    trailing: tuple[Word, ...] = ()  # "Communist Party of India (Marxist)"


@dataclass
class CountryWords:
    """One country in every language: names, genitives and adjectives."""

    english_names: set[str] = field(default_factory=set)  # normalised
    english_adjectives: set[str] = field(default_factory=set)  # normalised
    english: frozenset[str] = frozenset()  # both
    names: dict[str, set[str]] = field(default_factory=dict)
    genitives: dict[str, set[str]] = field(default_factory=dict)
    adjectives: dict[str, list[Adjective]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# data


def _read_csv(name: str) -> list[dict[str, str]]:
    text = resources.files("tribune.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _adjective(cell: str) -> Adjective:
    """ "^nuevo", "francés/francesa", "=συνδικαλιστικός" -> an Adjective."""
    before = cell.startswith("^")
    in_complements = cell.startswith("=")
    cell = cell.lstrip("^=").strip()
    lemma, _, feminine = cell.partition("/")
    return Adjective(lemma, feminine, before, in_complements)


@functools.cache
def vocabulary() -> dict[tuple[str, ...], Word]:
    """The vocabulary by its English words ("trade unions" -> ("trade", "unions"))."""
    words: dict[str, Word] = {}
    for row in _read_csv(_VOCABULARY_FILE):
        english = row["en"].strip()
        word = words.get(english)
        if word is None:
            spellings = [normalise_name(s) for s in english.split("|")]
            generic = all(GENERIC_ENGLISH.issuperset(s.split()) for s in spellings)
            word = words[english] = Word(english, generic)
        language = row["language"].strip()
        form = row["form"].strip()
        if form:
            noun = Noun(form, row["gender"].strip(), row["genitive"].strip())
            word.nouns.setdefault(language, []).append(noun)
        for cell in row["adjective"].split("|"):
            if cell.strip():
                word.adjectives.setdefault(language, []).append(_adjective(cell))
    out: dict[tuple[str, ...], Word] = {}
    for english, word in words.items():
        for spelling in english.split("|"):
            out[tuple(normalise_name(spelling).split())] = word
    return out


@functools.cache
def _adjectives_by_country() -> dict[str, dict[str, list[Adjective]]]:
    out: dict[str, dict[str, list[Adjective]]] = {}
    for row in _read_csv(_ADJECTIVES_FILE):
        code = row.pop("code").strip()
        for language, cell in row.items():
            for value in (cell or "").split("|"):
                if value.strip():
                    out.setdefault(code, {}).setdefault(language, []).append(_adjective(value))
    return out


@functools.cache
def extra_names() -> dict[str, list[tuple[str, str, str]]]:
    """Names CLDR does not give ("Russian Federation", "Gran Bretaña"): code -> (language, name,
    genitive or "")."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for row in _read_csv(_EXTRA_NAMES_FILE):
        entry = (row["language"].strip(), row["name"].strip(), row["genitive"].strip())
        out.setdefault(row["code"].strip(), []).append(entry)
    return out


@functools.cache
def country_words(code: str) -> CountryWords | None:
    countries = load_countries()
    country = countries.get(code)
    if country is None:
        return None
    words = CountryWords()
    words.english_names.add(normalise_name(country.name_en))
    words.english_adjectives = {normalise_name(a) for a in countries.adjectives(code)}
    named: list[tuple[str, str, str]] = []
    for name, languages in country.names.items():
        for language in languages:
            if language == "en":
                words.english_names.add(normalise_name(name))
            elif language in LANGUAGES:
                named.append((language, name, ""))
    for language, name, genitive in extra_names().get(code, ()):
        if language == "en":
            words.english_names.add(normalise_name(name))
        else:
            named.append((language, name, genitive))
    for language, name, genitive in named:
        words.names.setdefault(language, set()).add(normalise_name(name))
        forms = [genitive] if genitive else genitives(language, name)
        for form in forms:
            words.genitives.setdefault(language, set()).add(normalise_name(form))
    words.adjectives = _adjectives_by_country().get(code, {})
    words.english = frozenset(words.english_names | words.english_adjectives)
    return words

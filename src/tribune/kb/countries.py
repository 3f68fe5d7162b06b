"""The country table: ISO 3166-1 codes, UN M.49 regions, names in every CLDR locale, adjectives.

The data is packaged with ``tribune.data``:

* ``countries.json``, generated from CLDR (through babel) by ``tools/gen_countries.py``;
* ``country_adjectives.csv``, hand-written English adjectives (``code,adjective``).

This module uses the standard library only. :func:`load_countries` reads both files once.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = ["Country", "CountryTable", "fold", "load_countries"]

_DATA_PACKAGE = "tribune.data"
_COUNTRIES_FILE = "countries.json"
_ADJECTIVES_FILE = "country_adjectives.csv"

# Typographic variants that NFKD leaves alone but that news text writes either way.
_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark (the usual typographic apostrophe)
        "\u02bc": "'",  # modifier letter apostrophe
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
    }
)


def fold(text: str) -> str:
    """Fold *text* for case-, diacritic- and whitespace-insensitive comparison.

    NFKD, combining marks dropped, typographic apostrophes and hyphens made ASCII, casefolded,
    runs of whitespace collapsed to one space and the ends stripped.
    """
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_PUNCTUATION).casefold().split())


@dataclass(frozen=True)
class Country:
    """One country or territory."""

    code: str
    """ISO 3166-1 alpha-2 code (or ``XK`` for Kosovo)."""
    name_en: str
    """CLDR English name."""
    region: str
    """UN M.49 region: Africa, Americas, Asia, Europe or Oceania; ``""`` for Antarctica."""
    subregion: str
    """UN M.49 sub-region (intermediate region where there is one), e.g. "South America"."""
    names: dict[str, tuple[str, ...]]
    """Every CLDR name of the country -> the languages that use it."""
    languages: tuple[str, ...] = ()
    """Official languages (de jure or de facto, per CLDR), e.g. ("de", "fr", "it", ...)."""


class CountryTable:
    """All countries, with a lookup by name or English adjective in any language."""

    def __init__(
        self,
        countries: Mapping[str, Country],
        adjectives: Mapping[str, tuple[str, ...]],
    ) -> None:
        self._countries: dict[str, Country] = dict(sorted(countries.items()))
        self._adjectives: dict[str, tuple[str, ...]] = {
            code: tuple(adjectives.get(code, ())) for code in self._countries
        }
        index: dict[str, set[str]] = {}
        for code, country in self._countries.items():
            for name in (country.name_en, *country.names, *self._adjectives[code]):
                key = fold(name)
                if key:
                    index.setdefault(key, set()).add(code)
        self._index: dict[str, frozenset[str]] = {
            key: frozenset(codes) for key, codes in index.items()
        }
        speakers: dict[str, set[str]] = {}
        for code, country in self._countries.items():
            for language in country.languages:
                speakers.setdefault(language, set()).add(code)
        self._speakers = {lang: frozenset(codes) for lang, codes in speakers.items()}

    def get(self, code: str) -> Country | None:
        """The country with ISO code *code* (exact, upper-case), or None."""
        return self._countries.get(code)

    def __iter__(self) -> Iterator[Country]:
        return iter(self._countries.values())

    def __len__(self) -> int:
        return len(self._countries)

    def is_valid_code(self, code: str) -> bool:
        """Whether *code* is an upper-case ISO 3166-1 alpha-2 code in the table, or ``XK``."""
        return code == "XK" or code in self._countries

    def lookup(self, name: str) -> frozenset[str]:
        """Codes of the countries called *name* in any CLDR locale, or with that English adjective.

        Matching is on :func:`fold`-ed text, so case, diacritics and spacing do not matter.
        An unknown name gives an empty set; an ambiguous one ("Congolese") several codes.
        """
        return self._index.get(fold(name), frozenset())

    def speaking(self, language: str) -> frozenset[str]:
        """Codes of the countries where *language* (ISO 639-1) is official."""
        return self._speakers.get(language, frozenset())

    def adjectives(self, code: str) -> tuple[str, ...]:
        """English adjectives for the country (empty for an unknown code)."""
        return self._adjectives.get(code, ())


def _parse_countries(raw: Mapping[str, Any]) -> dict[str, Country]:
    countries: dict[str, Country] = {}
    entries: Mapping[str, Any] = raw["countries"]
    for code, entry in entries.items():
        names: Mapping[str, list[str]] = entry["names"]
        countries[code] = Country(
            code=code,
            name_en=str(entry["name_en"]),
            region=str(entry["region"]),
            subregion=str(entry["subregion"]),
            names={name: tuple(languages) for name, languages in names.items()},
            languages=tuple(entry.get("languages", ())),
        )
    return countries


def _parse_adjectives(text: str) -> dict[str, tuple[str, ...]]:
    collected: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        code = row["code"].strip()
        adjective = " ".join(row["adjective"].split())
        if code and adjective and adjective not in collected.setdefault(code, []):
            collected[code].append(adjective)
    return {code: tuple(values) for code, values in collected.items()}


@functools.cache
def load_countries() -> CountryTable:
    """The packaged country table (read once, then cached)."""
    package = resources.files(_DATA_PACKAGE)
    raw = json.loads(package.joinpath(_COUNTRIES_FILE).read_text(encoding="utf-8"))
    adjectives = _parse_adjectives(package.joinpath(_ADJECTIVES_FILE).read_text(encoding="utf-8"))
    return CountryTable(_parse_countries(raw), adjectives)

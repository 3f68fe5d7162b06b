"""The country table: names in every CLDR locale, adjectives, M.49 regions, generated data."""

from __future__ import annotations

import csv
import importlib.util
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest
from babel import Locale
from babel.localedata import locale_identifiers

from tribune.kb.countries import Country, CountryTable, fold, load_countries

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "gen_countries.py"
SAMPLE_CODES = ("VE", "GR", "TR", "ZA", "DE", "CU")
# Territories that belong to no UN M.49 region.
NO_REGION = {"AQ"}
M49_REGIONS = {"Africa", "Americas", "Asia", "Europe", "Oceania"}


@pytest.fixture(scope="module")
def table() -> CountryTable:
    return load_countries()


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_countries", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_load_is_cached(table: CountryTable) -> None:
    assert load_countries() is table


def test_names_of_every_babel_locale_resolve(table: CountryTable) -> None:
    resolved: set[str] = set()
    failures: list[tuple[str, str, str]] = []
    for locale_id in sorted(locale_identifiers()):
        territories = Locale.parse(locale_id).territories
        ok = True
        for code in SAMPLE_CODES:
            name = territories.get(code)
            if not name or name == code:
                ok = False
                continue
            if code not in table.lookup(name):
                ok = False
                failures.append((locale_id, code, name))
        if ok:
            resolved.add(locale_id)
    # Every name a locale has resolves; some small locales lack names for a few countries.
    assert not failures, failures[:20]
    assert len(resolved) >= 100


def test_lookup_names_in_several_scripts(table: CountryTable) -> None:
    for name in ("Βενεζουέλα", "Venezuela", "Венесуэла", "VENEZUELA", "  venezuela "):
        assert table.lookup(name) == {"VE"}, name
    assert table.lookup("Deutschland") == {"DE"}
    assert table.lookup("Ελλάδα") == {"GR"}
    assert table.lookup("ελλαδα") == {"GR"}  # accents and case folded away
    assert table.lookup("Sudafrica") == {"ZA"}  # "Sudáfrica" without its accent


def test_lookup_adjectives(table: CountryTable) -> None:
    assert table.lookup("Turkish") == {"TR"}
    assert table.lookup("Greek") == {"GR"}
    assert table.lookup("Hellenic") == {"GR"}
    assert table.lookup("South African") == {"ZA"}
    assert table.lookup("south  african") == {"ZA"}
    assert table.lookup("venezuelan") == {"VE"}
    assert table.lookup("Filipino") == {"PH"}
    assert table.lookup("Philippine") == {"PH"}
    assert table.lookup("Dutch") == {"NL"}
    assert table.lookup("Czech") == {"CZ"}
    assert table.lookup("British") == {"GB"}
    assert table.lookup("American") == {"US"}


def test_lookup_ambiguous_and_unknown(table: CountryTable) -> None:
    assert table.lookup("Congolese") == {"CD", "CG"}
    assert table.lookup("Atlantis") == frozenset()
    assert table.lookup("") == frozenset()
    assert table.lookup("   ") == frozenset()


def test_every_country_has_adjectives(table: CountryTable) -> None:
    missing = [country.code for country in table if not table.adjectives(country.code)]
    assert missing == []
    assert table.adjectives("GR") == ("Greek", "Hellenic")
    assert "Filipino" in table.adjectives("PH")
    assert table.adjectives("ZZ") == ()


def test_adjectives_csv_codes_are_countries(table: CountryTable) -> None:
    text = resources.files("tribune.data").joinpath("country_adjectives.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert rows
    assert all(table.is_valid_code(row["code"]) for row in rows)
    assert all(row["adjective"].strip() == row["adjective"] and row["adjective"] for row in rows)
    pairs = [(row["code"], row["adjective"]) for row in rows]
    assert len(pairs) == len(set(pairs))


def test_regions(table: CountryTable) -> None:
    without = {country.code for country in table if not country.region}
    assert without == NO_REGION
    for country in table:
        if country.region:
            assert country.region in M49_REGIONS, country
            assert country.subregion, country
    expected = {
        "GR": ("Europe", "Southern Europe"),
        "VE": ("Americas", "South America"),
        "ZA": ("Africa", "Southern Africa"),
        "TR": ("Asia", "Western Asia"),
        "XK": ("Europe", "Southern Europe"),
        "AU": ("Oceania", "Australia and New Zealand"),
    }
    for code, (region, subregion) in expected.items():
        country = table.get(code)
        assert country is not None
        assert (country.region, country.subregion) == (region, subregion), code


def test_get_and_iteration(table: CountryTable) -> None:
    venezuela = table.get("VE")
    assert isinstance(venezuela, Country)
    assert venezuela.code == "VE"
    assert venezuela.name_en == "Venezuela"
    assert "es" in venezuela.names["Venezuela"]
    assert "ru" in venezuela.names["Венесуэла"]
    assert table.get("ve") is None
    assert table.get("EU") is None
    codes = [country.code for country in table]
    assert len(codes) == len(table) == len(set(codes))
    assert 245 <= len(table) <= 260  # the 249 ISO 3166-1 codes and XK


def test_is_valid_code(table: CountryTable) -> None:
    assert table.is_valid_code("XK")
    assert table.is_valid_code("GR")
    assert table.is_valid_code("US")
    for code in ("UK", "gr", "", "EU", "EZ", "UN", "ZZ", "001", "GRC", "AC", "XA"):
        assert not table.is_valid_code(code), code


def test_names_come_from_babel(table: CountryTable) -> None:
    for locale_id in ("en", "de", "el", "ru", "ja", "ar"):
        territories = Locale.parse(locale_id).territories
        for country in table:
            name = territories.get(country.code)
            if name:
                assert locale_id in country.names[name], (locale_id, country.code)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Côte d’Ivoire", "cote d'ivoire"),
        ("  São   Tomé\tand Príncipe ", "sao tome and principe"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
        ("Ελλάδα", "ελλαδα"),
        ("İspanya", "ispanya"),
        ("", ""),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_is_idempotent() -> None:
    for text in ("Βενεζουέλα", "Côte d’Ivoire", "Ñandú  X", "ÅLAND"):
        assert fold(fold(text)) == fold(text)


def test_generator_is_deterministic_and_committed_file_is_current(generator: ModuleType) -> None:
    first = generator.generate()
    second = generator.generate()
    assert first == second
    committed = resources.files("tribune.data").joinpath("countries.json").read_bytes()
    assert committed == first.encode("utf-8"), "run tools/gen_countries.py to regenerate"
    assert len(committed) < 3_000_000


def test_official_languages() -> None:
    table = load_countries()
    assert {"PT", "BR", "AO", "MZ"} <= table.speaking("pt")
    assert "GR" in table.speaking("el")
    assert "CY" in table.speaking("el")
    assert "de" in table.get("AT").languages  # type: ignore[union-attr]
    assert table.speaking("xx") == frozenset()

from __future__ import annotations

from tribune.kb.countries import load_countries
from tribune.understand.textnorm import normalise_name
from tribune.understand.variants import (
    CountryForms,
    acronym_forms,
    is_generic,
    name_variants,
    stated_forms,
)


def _keys(name: str, country: str) -> dict[str, int]:
    table = load_countries()
    forms = CountryForms(table.get(country), table.adjectives(country))  # type: ignore[arg-type]
    out: dict[str, int] = {}
    for v in name_variants(normalise_name(name), forms):
        out[v.key] = min(v.priority, out.get(v.key, 9))
    return out


def test_communist_party_of_x_variants() -> None:
    keys = _keys("Communist Party of Turkey", "TR")
    for written in (
        "CP of Turkey",
        "Turkish Communist Party",
        "Turkey's Communist Party",
        "Turkish CP",
        "Turkey CP",
        "Communist Party of Türkiye",
        "Partido Comunista de Turquía",
        "Parti communiste de Turquie",
    ):
        assert normalise_name(written) in keys, written
    assert keys["communist party of turkey"] == 0
    assert keys["communist party"] == 2  # the generic head, which needs context


def test_adjective_shape_gets_the_of_shape_at_lower_priority() -> None:
    keys = _keys("Brazilian Communist Party", "BR")
    assert keys["brazilian communist party"] == 0
    assert keys["brazilian communist party"] < keys["communist party of brazil"]


def test_workers_party_variants() -> None:
    keys = _keys("Workers' Party of Ireland", "IE")
    assert "workers party of ireland" in keys
    assert "wp of ireland" in keys
    assert "irish workers party" in keys


def test_native_name_without_its_country() -> None:
    keys = _keys("Partei der Arbeit Österreichs", "AT")
    assert "partei der arbeit" in keys


def test_stated_forms_drop_notes_and_articles() -> None:
    countries = {"lithuania"}
    assert ("Socialist Party of Lithuania", 0) in stated_forms(
        "Socialist Party (Lithuania)", countries
    )
    assert ("Communist Party of Great Britain", 0) in stated_forms(
        "Communist Party of Great Britain (1920-1991)", set()
    )
    assert ("Workers' Party of Ireland", 0) in stated_forms("The Workers' Party of Ireland", set())
    assert ("Communist Party of India (Marxist)", 0) in stated_forms(
        "Communist Party of India (Marxist)", set()
    )
    assert len(stated_forms("Communist Party of India (Marxist)", set())) == 1


def test_acronym_forms_and_generic_names() -> None:
    assert acronym_forms("PCdoB") == ["PCdoB", "PC do B"]
    assert acronym_forms("KKE") == ["KKE"]
    assert is_generic("communist party")
    assert is_generic("workers party")
    assert not is_generic("communist party of greece")


def test_turkish_greek_and_russian_forms_of_communist_party_of_x() -> None:
    greece = _keys("Communist Party of Greece", "GR")
    mexico = _keys("Communist Party of Mexico", "MX")
    sweden = _keys("Communist Party of Sweden", "SE")
    for keys, written in (
        (greece, "Yunanistan Komünist Partisi"),
        (greece, "Κομμουνιστικό Κόμμα Ελλάδας"),
        (greece, "Коммунистическая партия Греции"),
        (mexico, "Meksika Komünist Partisi"),
        (mexico, "Κομμουνιστικό Κόμμα Μεξικού"),
        (mexico, "Коммунистическая партия Мексики"),
        (sweden, "Κομμουνιστικό Κόμμα Σουηδίας"),
        (sweden, "Коммунистическая партия Швеции"),
    ):
        assert keys.get(normalise_name(written)) == 1, written
    # the nominative is not a form of the name in Greek or Russian
    assert normalise_name("Коммунистическая партия Греция") not in greece

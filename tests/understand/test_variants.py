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


# Names in the network's other languages, composed from the English name (translations.py).


def _all(name: str, country: str | None) -> dict[str, int]:
    """Every variant of an English name, in every language, with its best priority."""
    if country is None:
        variants = name_variants(normalise_name(name), None, translate=True)
    else:
        table = load_countries()
        forms = CountryForms(table.get(country), table.adjectives(country))  # type: ignore[arg-type]
        variants = name_variants(normalise_name(name), forms)
    out: dict[str, int] = {}
    for v in variants:
        out[v.key] = min(v.priority, out.get(v.key, 9))
    return out


def _has(keys: dict[str, int], *written: str, priority: int | None = None) -> None:
    for text in written:
        key = normalise_name(text)
        assert key in keys, text
        if priority is not None:
            assert keys[key] == priority, text


def test_romance_names_put_the_noun_first_and_agree_with_it() -> None:
    _has(
        _all("Party of Labour of Austria", "AT"),
        "Partido del Trabajo de Austria",
        "Parti du Travail d'Autriche",
        "Partito del Lavoro dell'Austria",
        priority=1,
    )
    french = _all("French Communist Party", "FR")
    _has(french, "Partido Comunista Francés", "Partido Comunista Francês", priority=1)
    _has(french, "Parti communiste français", "Partito Comunista Francese", priority=1)
    _has(french, "Partido Comunista de Francia", priority=2)  # the shape swapped
    # the adjective agrees with a feminine noun
    _has(_all("Portuguese Communist Youth", "PT"), "Juventud Comunista Portuguesa", priority=1)


def test_complements_take_de_and_the_article_and_the_country_adjective_agrees() -> None:
    keys = _all("Party of the Bulgarian Communists", "BG")
    _has(keys, "Partido de los Comunistas Búlgaros", "Partido dos Comunistas Búlgaros")
    _has(keys, "Parti des communistes bulgares", "Партия болгарских коммунистов")
    _has(keys, "Bulgar Komünistler Partisi")
    # "Workers'" as an adjective and as a complement
    _has(
        _all("Workers' Party of Ireland", "IE"),
        "Partido Obrero de Irlanda",
        "Partido de los Trabajadores de Irlanda",
        "Partido dos Trabalhadores da Irlanda",
        "Κόμμα Εργατών Ιρλανδίας",
        "Εργατικό Κόμμα Ιρλανδίας",
    )


def test_adjectives_in_the_english_order_or_the_reverse_and_new_before_the_noun() -> None:
    _has(_all("Russian Communist Workers' Party", "RU"), "Partido Comunista Obrero Ruso")
    _has(_all("Socialist German Workers' Youth", "DE"), "Juventud Obrera Socialista Alemana")
    _has(
        _all("New Communist Party of the Netherlands", "NL"),
        "Nuevo Partido Comunista de los Países Bajos",
        "Νέο Κομμουνιστικό Κόμμα Ολλανδίας",
        "Hollanda Yeni Komünist Partisi",
    )


def test_greek_russian_and_german_put_complements_and_country_in_the_genitive() -> None:
    _has(
        _all("Union of Communists of Ukraine", "UA"),
        "Ένωση Κομμουνιστών Ουκρανίας",
        "Союз коммунистов Украины",
        "Ukrayna Komünistler Birliği",
    )
    _has(
        _all("Communist Party of the Workers of Spain", "ES"),
        "Κομμουνιστικό Κόμμα Εργατών Ισπανίας",
    )
    _has(_all("Communist Party of China", "CN"), "Коммунистическая партия Китая")  # -й
    _has(_all("Communist Party of Belarus", "BY"), "Коммунистическая партия Беларуси")  # -ь
    _has(_all("Socialist Movement of Kazakhstan", "KZ"), "Социалистическое движение Казахстана")
    greece = _all("Communist Party of Greece", "GR")
    _has(greece, "Kommunistische Partei Griechenlands", "Griechische Kommunistische Partei")
    _has(_all("Party of Labour of Austria", "AT"), "Partei der Arbeit Österreichs")
    _has(
        _all("Hungarian Workers' Party", "HU"),
        "Ungarische Arbeiterpartei",
        "Partido Obrero Húngaro",
    )


def test_country_names_cldr_leaves_out_and_trailing_qualifiers() -> None:
    _has(
        _all("Communist Party of the Russian Federation", "RU"),
        "Partido Comunista de la Federación Rusa",
        "Partido Comunista da Federação Russa",
        "Κομμουνιστικό Κόμμα της Ρωσικής Ομοσπονδίας",
    )
    _has(_all("Communist Party of Britain", "GB"), "Partido Comunista de Gran Bretaña")
    _has(_all("Communist Party of Swaziland", "SZ"), "Κομμουνιστικό Κόμμα Σουαζιλάνδης")
    _has(
        _all("Communist Party of India (Marxist)", "IN"),
        "Коммунистическая партия Индии (марксистская)",
        "Partido Comunista de la India (Marxista)",
    )


def test_international_organisations_are_translated_without_a_country() -> None:
    _has(
        _all("World Federation of Democratic Youth", None),
        "Всемирная федерация демократической молодёжи",
        "Παγκόσμια Ομοσπονδία Δημοκρατικής Νεολαίας",
        "Federación Mundial de la Juventud Democrática",
        priority=1,
    )
    # a complement some languages make an adjective: only where the vocabulary says so
    _has(
        _all("World Federation of Trade Unions", None),
        "Federación Sindical Mundial",
        "Παγκόσμια Συνδικαλιστική Ομοσπονδία",
        "Всемирная федерация профсоюзов",
    )
    # without translate=True nothing is composed for a name without a country
    assert len(list(name_variants("world federation of trade unions", None))) == 1


def test_the_name_without_its_country_only_when_generic_and_marked_generic() -> None:
    keys = _all("Communist Party of Greece", "GR")
    _has(keys, "Partido Comunista", "Κομμουνιστικό Κόμμα", "Komünist Partisi", priority=2)
    table = load_countries()
    forms = CountryForms(table.get("GR"), table.adjectives("GR"))  # type: ignore[arg-type]
    generic = {v.key: v.generic for v in name_variants("communist party of greece", forms)}
    assert generic["partido comunista"] is True
    assert generic["partido comunista de grecia"] is False
    assert generic["communist party of greece"] is None  # English: as is_generic says
    # a German compound of generic words is generic too
    hungarian = {
        v.key: v.generic
        for v in name_variants(
            normalise_name("Hungarian Workers' Party"),
            CountryForms(table.get("HU"), table.adjectives("HU")),  # type: ignore[arg-type]
        )
    }
    assert hungarian["arbeiterpartei"] is True
    # "Movimiento Socialista" alone is no one's name: "movement" is not a generic word
    assert normalise_name("Movimiento Socialista") not in _all(
        "Socialist Movement of Kazakhstan", "KZ"
    )


def test_a_complement_is_not_turned_into_an_adjective() -> None:
    keys = _all("Communist Party of the Workers of Spain", "ES")
    _has(keys, "Partido Comunista de los Trabajadores de España")
    # that is another party, the Spanish Communist Workers' Party
    assert normalise_name("Partido Comunista Obrero Español") not in keys


def test_names_with_words_outside_the_vocabulary_are_not_translated() -> None:
    assert len(_all("Tudeh Party of Iran", "IR")) < 40  # English variants only
    assert not any(k.startswith("partido") for k in _all("Tudeh Party of Iran", "IR"))
    assert not any(
        k.startswith("partido") for k in _all("Communist Party of Bohemia and Moravia", "CZ")
    )


def test_stated_forms_split_two_names_and_drop_a_dashed_note() -> None:
    both = stated_forms("Parti du Travail de Belgique / Partij van de Arbeid van België", set())
    assert ("Parti du Travail de Belgique", 0) in both
    assert ("Partij van de Arbeid van België", 0) in both
    assert ("Communist Party of Kurdistan", 1) in stated_forms(
        "Communist Party of Kurdistan - Iraq", {"iraq"}
    )
    assert ("Union of Communist Parties", 1) in stated_forms(
        "Union of Communist Parties – CPSU", set()
    )
    # a note with lower-case words that is no country is part of the name
    assert [f for f, _ in stated_forms("Communist Party of Peru - Patria Roja", {"peru"})] == [
        "Communist Party of Peru - Patria Roja"
    ]


def test_acronyms_in_the_script_of_the_organisations_country() -> None:
    assert acronym_forms("AKEL", "CY") == ["AKEL", "ΑΚΕΛ"]
    assert acronym_forms("RKRP", "RU") == ["RKRP", "РКРП"]
    assert acronym_forms("SKP-KPSS", "RU") == ["SKP-KPSS", "СКП-КПСС"]
    assert acronym_forms("CPSU", "RU") == ["CPSU"]  # an English acronym: C is no Cyrillic letter
    assert acronym_forms("KKE") == ["KKE"]
    assert acronym_forms("PCE", "ES") == ["PCE"]


def test_young_is_a_generic_word() -> None:
    assert is_generic("young communist league")


def test_the_vocabulary_and_country_data_are_consistent() -> None:
    from tribune.understand import name_vocabulary as t

    table = load_countries()
    for words in t.vocabulary().values():
        assert set(words.nouns) | set(words.adjectives) <= set(t.LANGUAGES), words.english
        for nouns in words.nouns.values():
            assert all(n.gender in ("", "m", "f", "n", "mp", "fp", "np", "p") for n in nouns)
    for code, by_language in t._adjectives_by_country().items():
        assert table.get(code) is not None, code
        assert set(by_language) <= set(t.LANGUAGES), code
    for code, names in t.extra_names().items():
        assert table.get(code) is not None, code
        assert {language for language, _, _ in names} <= {"en", *t.LANGUAGES}, code

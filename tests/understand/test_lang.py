from __future__ import annotations

from tribune.understand.lang import detect_language


def test_languages_of_the_network() -> None:
    assert detect_language("Die DKP ruft zur Demonstration gegen den Krieg auf.") == "de"
    assert detect_language("Το ΚΚΕ και η ΚΝΕ καλούν στο συλλαλητήριο της Αθήνας.") == "el"
    spanish = (
        "El comité central denunció la represión contra los trabajadores y llamó a una huelga "
        "general en todo el país para el próximo jueves."
    )
    assert detect_language(spanish) == "es"
    assert (
        detect_language("The party said that the strike of the dockers is a victory and a lesson.")
        == "en"
    )


def test_no_language_without_letters() -> None:
    assert detect_language("2024-05-01 12:00 — 3,456") is None


def test_a_declared_language_decides_a_short_text_but_not_a_clear_one() -> None:
    assert detect_language("Solidaridad con Cuba") is None  # too short to be sure
    assert detect_language("Solidaridad con Cuba", prior="es") == "es"
    greek = "Η Κεντρική Επιτροπή του ΚΚΕ χαιρετίζει την απεργία των λιμενεργατών στον Πειραιά."
    assert detect_language(greek, prior="tr") == "el"  # a feed that says tr is wrong here
    assert detect_language(greek, prior="EL-gr") == "el"

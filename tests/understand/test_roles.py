"""Role statements found in texts, through the linker's real mentions, per language and shape."""

from __future__ import annotations

from datetime import date

import pytest

from tribune.understand.link import Linker
from tribune.understand.roles import RoleStatement, find_roles
from tribune.understand.titles import find_titles, fold, fold_spans, label_of, title_key

DAY = date(2026, 11, 20)


def roles_in(
    linker: Linker, text: str, source_org: str | None = None
) -> list[tuple[str | None, str, str, str]]:
    found = find_roles(text, linker.link(text, date=DAY, source_org=source_org))
    return [(r.person_id, r.person_name, r.org_id, r.title) for r in found]


@pytest.mark.parametrize(
    ("text", "source_org", "expected"),
    [
        # NAME, TITLE of ORG (with the acronym in parentheses)
        (
            "Kemal Okuyan, General Secretary of the Communist Party of Turkey (TKP), said that "
            "the struggle goes on.",
            None,
            ("kemal-okuyan", "Kemal Okuyan", "tr-tkp", "general-secretary"),
        ),
        # the abbreviation, and a person the KB does not know, kept by name
        (
            "Maria Lopes, GS of the Communist Party of Turkey (TKP), met the delegation.",
            None,
            (None, "Maria Lopes", "tr-tkp", "general-secretary"),
        ),
        # NAME, ORG TITLE
        (
            "Dimitris Koutsoumbas, KKE General Secretary, spoke at the rally.",
            None,
            ("dimitris-koutsoumbas", "Dimitris Koutsoumbas", "gr-kke", "general-secretary"),
        ),
        # ORG's TITLE NAME
        (
            "The KKE's MEP Lefteris Nikolaou-Alavanos asked the Commission.",
            None,
            (None, "Lefteris Nikolaou-Alavanos", "gr-kke", "mep"),
        ),
        # TITLE of the CC of ORG NAME
        (
            "The First Secretary of the Central Committee of the KKE Anna Petrou arrived.",
            None,
            (None, "Anna Petrou", "gr-kke", "first-secretary"),
        ),
        # Spanish: TITLE del ORG, NAME
        (
            "El secretario general del PCE, Enrique Santiago, presentó el informe.",
            "es-pce",
            (None, "Enrique Santiago", "es-pce", "general-secretary"),
        ),
        # Portuguese: TITLE do ORG, NAME
        (
            "O Secretário-Geral do PCP, Paulo Raimundo, afirmou que a luta continua.",
            None,
            ("paulo-raimundo", "Paulo Raimundo", "pt-pcp", "general-secretary"),
        ),
        # Greek: TITLE της ΚΕ του ORG NAME
        (
            "Ο Γενικός Γραμματέας της ΚΕ του ΚΚΕ Δημήτρης Κουτσούμπας μίλησε στη συγκέντρωση.",
            None,
            ("dimitris-koutsoumbas", "Δημήτρης Κουτσούμπας", "gr-kke", "general-secretary"),
        ),
        # Greek: a title in another case (genitive), a person the KB does not know
        (
            "Δήλωση του βουλευτή του ΚΚΕ Νίκου Καραθανασόπουλου για τους μισθούς.",
            None,
            (None, "Νίκου Καραθανασόπουλου", "gr-kke", "mp"),
        ),
        # Turkish: ORG TITLE NAME, the title with its possessive
        (
            "TKP Genel Sekreteri Kemal Okuyan, soL'un sorularını yanıtladı.",
            None,
            ("kemal-okuyan", "Kemal Okuyan", "tr-tkp", "general-secretary"),
        ),
        # Turkish: a case ending glued to an unknown name is not part of it
        (
            "KKE Genel Sekreteri Dimitris Kutsumbas'ın imzasını taşıyan açıklama yayımlandı.",
            None,
            (None, "Dimitris Kutsumbas", "gr-kke", "general-secretary"),
        ),
        # Russian: TITLE ЦК ORG NAME
        (
            "Председатель ЦК КПРФ Геннадий Зюганов выступил на пленуме.",
            None,
            ("gennady-zyuganov", "Геннадий Зюганов", "ru-kprf", "chair"),
        ),
        # Russian: initials glued together
        (
            "С докладом выступил Председатель ЦК КПРФ Г.А. Зюганов.",
            None,
            (None, "Г.А. Зюганов", "ru-kprf", "chair"),
        ),
        # Russian: NAME, TITLE от ORG
        (
            "Иван Петров, депутат Государственной думы от КПРФ, задал вопрос.",
            None,
            (None, "Иван Петров", "ru-kprf", "mp"),
        ),
        # a spokesperson, and "Comrade" before the name
        (
            "The spokesperson of the South African Communist Party, Comrade Alex Mashilo, said.",
            None,
            (None, "Alex Mashilo", "za-sacp", "spokesperson"),
        ),
    ],
)
def test_role_statements_per_language_and_shape(
    linker: Linker,
    text: str,
    source_org: str | None,
    expected: tuple[str | None, str, str, str] | None,
) -> None:
    assert roles_in(linker, text, source_org) == ([expected] if expected else [])


@pytest.mark.parametrize(
    "text",
    [
        # a title without a person: the linker's business (role_refs), not a statement
        "The General Secretary of the KKE said that the strike will go on.",
        "Η ΚΕ του ΚΚΕ και ο Γενικός Γραμματέας του ΚΚΕ χαιρέτισαν την απεργία.",
        # a person and a title, not joined
        "Kemal Okuyan met the General Secretary of the KKE in Athens.",
        # a former, deputy or honorary title is not the one held on the date
        "Aleka Papariga, former General Secretary of the KKE, spoke at the event.",
        "The former KKE General Secretary Aleka Papariga spoke at the event.",
        "Jerónimo de Sousa, antigo Secretário-Geral do PCP, falou no comício.",
        "The deputy General Secretary of the KKE Anna Petrou arrived.",
        "Genel Başkan Yardımcısı TKP Ali Veli açıkladı.",
        # a title with no organisation the linker resolved
        "Maria Lopes, General Secretary of the union, said.",
        # a place, not a person, before the comma; nothing after the title
        "In Athens, General Secretary of the KKE spoke.",
    ],
)
def test_no_statement_without_person_organisation_and_current_title(
    linker: Linker, text: str
) -> None:
    assert roles_in(linker, text) == []


def test_a_statement_keeps_its_sentence_and_its_parts(linker: Linker) -> None:
    text = (
        "The rally filled the square. Kemal Okuyan, General Secretary of the Communist Party of "
        "Turkey (TKP), addressed it. Then the march began."
    )
    (found,) = find_roles(text, linker.link(text, date=DAY))
    assert isinstance(found, RoleStatement)
    assert found.evidence == (
        "Kemal Okuyan, General Secretary of the Communist Party of Turkey (TKP), addressed it."
    )
    assert text[found.start : found.end] == (
        "Kemal Okuyan, General Secretary of the Communist Party of Turkey (TKP)"
    )
    assert found.title_surface == "General Secretary"
    assert found.org_surface == "Communist Party of Turkey"
    assert found.confidence == 0.9  # the linker knows the person


def test_one_statement_per_person_title_and_organisation(linker: Linker) -> None:
    text = (
        "Kemal Okuyan, General Secretary of the TKP, and Dimitris Koutsoumbas, General Secretary "
        "of the KKE, signed it. TKP General Secretary Kemal Okuyan said more."
    )
    assert roles_in(linker, text) == [
        ("kemal-okuyan", "Kemal Okuyan", "tr-tkp", "general-secretary"),
        ("dimitris-koutsoumbas", "Dimitris Koutsoumbas", "gr-kke", "general-secretary"),
    ]


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("General Secretary of the Central Committee", "general-secretary"),
        ("Secretary General", "general-secretary"),
        ("Chairman of the Central Committee", "chair"),
        ("Member of the European Parliament", "mep"),
        ("National Secretary", "national-secretary"),
        ("Secretário-Geral", "general-secretary"),
        ("Γενικού Γραμματέα", "general-secretary"),
        ("Генерального секретаря", "general-secretary"),
        ("eurodiputada", "mep"),
        ("diputada", "mp"),
        ("Sözcüsü", "spokesperson"),
        ("Member of the Political Bureau", "politburo-member"),
        ("Treasurer", None),
    ],
)
def test_free_text_titles_have_one_key(title: str, key: str | None) -> None:
    assert title_key(title) == key


def test_abbreviations_keep_their_case_and_folding_keeps_offsets() -> None:
    assert [t.key for t in find_titles("the KKE GS and an MP")] == ["general-secretary", "mp"]
    assert find_titles("gs and mp in lower case") == []
    for text in ("İzmir ΓΕΝΙΚΟΣ Γραμματέας", "Генеральный секретарь ЦК", "Secretário-Geral"):
        assert len(fold(text)) == len(text)
    assert label_of("mep") == "Member of the European Parliament"
    assert label_of("unknown-title") == "unknown-title"


def test_titles_are_searched_within_spans_as_in_the_whole_text() -> None:
    text = ("Words of a long text. " * 20) + "The KKE GS and the Secretário-Geral do PCP spoke."
    start = text.index("The KKE")
    spans = [(start - 10, len(text))]
    folded = fold_spans(text, spans)
    assert folded[: start - 10] == text[: start - 10]  # left as it was
    assert folded[start - 10 :] == fold(text[start - 10 :])
    within = find_titles(text, folded, spans)
    assert within == find_titles(text)
    assert [t.surface for t in within] == ["GS", "Secretário-Geral"]
    assert find_titles(text, folded, [(0, start)]) == []


def test_a_qualifier_is_a_whole_word(linker: Linker) -> None:
    # "...late" in "translate", "...then" in "strengthen" are no "late" or "then"
    for verb in ("translate", "strengthen"):
        text = f"To {verb} the General Secretary of the KKE Dimitris Koutsoumbas's words."
        assert roles_in(linker, text) == [
            ("dimitris-koutsoumbas", "Dimitris Koutsoumbas", "gr-kke", "general-secretary")
        ]

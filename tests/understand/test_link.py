"""The entity linker through its public API, on the packaged KB, on both databases."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from tribune.db.engine import Database
from tribune.understand.link import Linker, LinkInputError, get_linker
from tribune.understand.mention import Mention


def orgs(mentions: list[Mention]) -> list[tuple[str, str | None]]:
    return [(m.surface, m.id) for m in mentions if m.type == "org"]


def ids(mentions: list[Mention], kind: str = "org") -> set[str | None]:
    return {m.id for m in mentions if m.type == kind}


def test_the_typical_entry(linker: Linker) -> None:
    text = (
        "Co-hosted by the Communist Party of Greece (KKE) and the Communist Party of Turkey "
        "(TKP), the 21st IMCWP has started today in İzmir."
    )
    mentions = linker.link(text, date=date(2019, 10, 18))
    assert orgs(mentions) == [
        ("Communist Party of Greece", "gr-kke"),
        ("KKE", "gr-kke"),
        ("Communist Party of Turkey", "tr-tkp"),
        ("TKP", "tr-tkp"),
    ]
    assert ids(mentions, "event") == {"imcwp-21"}
    for m in mentions:
        assert text[m.start : m.end] == m.surface


def test_acronyms_are_case_sensitive_and_whole_words(linker: Linker) -> None:
    assert orgs(linker.link("the kke and the tkp")) == []
    assert orgs(linker.link("TKPs, ATKP and KKEs")) == []


def test_longest_match_wins_and_org_spans_never_overlap(linker: Linker) -> None:
    mentions = linker.link(
        "The Communist Party of India (Marxist) and the New Communist Party of Britain"
    )
    assert orgs(mentions) == [
        ("Communist Party of India (Marxist)", "in-cpim"),
        ("New Communist Party of Britain", "gb-ncp"),
    ]
    spans = sorted((m.start, m.end) for m in mentions if m.type == "org")
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_cpi_about_kerala_is_never_ireland(linker: Linker) -> None:
    for text in ("CPI wins two seats in Kerala", "CPI condemns the BJP government in Kerala"):
        assert "ie-cpi" not in ids(linker.link(text))
    assert ids(linker.link("CPI condemns the BJP government in India")) == {"in-cpi", "pf-422"}
    assert "ie-cpi" in ids(linker.link("CPI calls for a united Ireland"))
    assert "in-cpi" in ids(linker.link("CPI statement", source_org="in-cpi"))


def test_ambiguous_acronym_without_context_abstains(linker: Linker) -> None:
    (m,) = [m for m in linker.link("The CPI issued a statement.") if m.type == "org"]
    assert m.id is None
    assert {"in-cpi", "ie-cpi", "il-maki"} <= set(m.candidates)
    assert m.to_json()["candidates"] == list(m.candidates)


def test_a_list_of_members_and_their_countries(linker: Linker) -> None:
    text = "The PCP, the Portuguese Communist Party, said Portugal must leave NATO."
    assert ids(linker.link(text)) == {"pt-pcp"}
    assert "py-pcp" in ids(linker.link("Paraguay: the PCP denounced the arrests."))


def test_the_texts_language_speaks_when_nothing_else_does(linker: Linker) -> None:
    assert ids(linker.link("Die DKP ruft zur Demonstration gegen den Krieg auf.")) == {"de-dkp"}
    assert ids(
        linker.link("O PCP convocou a greve geral contra o governo e a política de direita.")
    ) == {"pt-pcp"}
    # English says nothing about the country: the linker abstains
    assert ids(linker.link("The DKP called for a demonstration against the war.")) == {None}


def test_world_parties_are_known_and_context_decides(linker: Linker) -> None:
    assert ids(linker.link("Erdoğan's AKP lost Istanbul, Turkey's largest city.")) == {"tr-akp"}
    assert ids(linker.link("The AKP of Azerbaijan held its congress in Baku, Azerbaijan.")) == {
        "az-akp"
    }
    psoe = linker.link("The PSOE government in Madrid")
    assert [m.id for m in psoe if m.type == "org"] != [None]
    assert all(m.id and m.id.startswith("pf-") for m in psoe if m.type == "org")


def test_two_letter_short_names_need_context(linker: Linker) -> None:
    assert ids(linker.link("The PS and the PP voted for the budget.")) <= {None}
    assert ids(linker.link("In Spain, the PP voted for the budget.")) - {None}


def test_network_member_wins_a_tie(linker: Linker) -> None:
    # CPC in Canada: the Communist Party of Canada (a member) and the Conservative Party of
    # Canada (Party Facts); the context ties, the member wins. The CP of China has no support.
    mentions = linker.link("In Canada, the CPC called for a general strike.")
    assert ("CPC", "ca-cpc") in orgs(mentions)
    # IU: Spain's United Left (seed, not a member) and Izquierda Unida of Party Facts
    mentions = linker.link("The IU, with the Communist Party of Spain, called a rally.")
    assert ("IU", "es-iu") in orgs(mentions)


def test_generic_names_need_context(linker: Linker) -> None:
    assert ids(linker.link("The Communist Party called a strike.")) <= {None}
    text = "Sudan: the Communist Party called a strike in Khartoum."
    assert ids(linker.link(text)) == {"sd-scp"}
    assert ids(linker.link("The Communist Party called a strike.", source_org="sd-scp")) == {
        "sd-scp"
    }


def test_longer_unknown_names_are_not_taken_for_known_ones(linker: Linker) -> None:
    for text in (
        "The Revolutionary Communist Party of Britain held a meeting.",
        "The Communist Party of Britain (Marxist-Leninist) held a meeting.",
        'The so-called "American Communist Party" was founded in 2024.',
        "International Solidarity Movement condemns the massacre.",
    ):
        assert ids(linker.link(text)) <= {None}, text


def test_variants_without_typed_aliases(linker: Linker) -> None:
    for text, org in (
        ("The CP of Turkey called for a vote.", "tr-tkp"),
        ("The Turkish Communist Party called for a vote.", "tr-tkp"),
        ("Turkey's Communist Party called for a vote.", "tr-tkp"),
        ("The Workers Party of Ireland called for a vote.", "ie-wp"),
        ("Le Parti communiste du Canada appelle à voter.", "ca-cpc"),
        ("O Partido Comunista Português convocou a greve.", "pt-pcp"),
    ):
        assert ids(linker.link(text)) == {org}, text


def test_misspelt_long_names_and_acronyms(linker: Linker) -> None:
    assert ids(linker.link("Greetings to the Communist Part of Turkey on its congress")) == {
        "tr-tkp"
    }
    text = "The South African Communist Party (SACP) said that SCAP may contest the elections."
    mentions = linker.link(text)
    assert ("SCAP", "za-sacp") in orgs(mentions)
    assert orgs(linker.link("SCAP may contest the elections.")) == []


def test_the_text_defines_its_acronyms(linker: Linker) -> None:
    text = "The Communist Party of Greece (CPG) hosted the meeting. The CPG thanked the guests."
    assert orgs(linker.link(text)) == [
        ("Communist Party of Greece", "gr-kke"),
        ("CPG", "gr-kke"),
        ("CPG", "gr-kke"),
    ]


def test_names_link_only_within_their_validity(linker: Linker) -> None:
    text = "In Turkey, the KP held a rally."
    assert ids(linker.link(text, date=date(2015, 6, 1))) == {"tr-tkp"}
    assert ids(linker.link(text, date=date(2019, 6, 1))) <= {None}
    assert ids(linker.link(text)) == {"tr-tkp"}  # no date: every period may match


def test_events_people_and_countries(linker: Linker) -> None:
    mentions = linker.link(
        "Dimitris Koutsoumbas spoke at the 22nd International Meeting of Communist and "
        "Workers' Parties in Havana; Δημήτρης Κουτσούμπας greeted Βενεζουέλα and Венесуэла."
    )
    assert ids(mentions, "person") == {"dimitris-koutsoumbas"}
    assert ids(mentions, "event") == {"imcwp-22"}
    assert ids(mentions, "country") == {"VE"}
    assert len([m for m in mentions if m.type == "person"]) == 2
    initial = linker.link("KKE General Secretary D. Koutsoumbas said")
    assert ("D. Koutsoumbas", "dimitris-koutsoumbas") in [(m.surface, m.id) for m in initial]


def test_bad_input_is_refused_clearly(linker: Linker) -> None:
    with pytest.raises(LinkInputError, match="empty"):
        linker.link("   ")
    with pytest.raises(LinkInputError, match="unknown source organisation 'xx-none'"):
        linker.link("KKE", source_org="xx-none")
    small = Linker(linker.lexicon, max_chars=100)
    with pytest.raises(LinkInputError, match="more than the limit of 100"):
        small.link("KKE " * 100)
    with pytest.raises(LinkInputError, match="must be a string"):
        linker.link(None)  # type: ignore[arg-type]


def test_editors_additions_count(db: Database) -> None:
    from tribune.kb.edit import add_org_name

    text = "Greetings from the Frente Obrero Imaginario del Sur."
    assert ids(get_linker(db).link(text)) <= {None}
    add_org_name(
        db, "ve-pcv", "Frente Obrero Imaginario del Sur", kind="variant", language="es", editor="ed"
    )
    assert ids(get_linker(db).link(text)) == {"ve-pcv"}

"""Signatory lists: their shapes, their groups, and signers resolved through the linker."""

from __future__ import annotations

import pytest

from tribune.db.engine import Database
from tribune.understand.link import Linker
from tribune.understand.signatories import entries, parse

# written for these tests
NUMBERED_GROUPED = """Signatory parties:

Parties of the network
1. Communist Party of Greece
2) Communist Party of Turkey
03- Portuguese Communist Party
Youth organisations:
- Communist Youth of Greece
"""
RUNS = (
    "The statement is signed by:\n"
    "Communist Party of Greece; Communist Party of Turkey; AKEL (Cyprus).\n"
    "Communist Party of Britain, Communist Party of Ireland, Communist Party of Sweden and "
    "Communist Party of Mexico.\n"
)
COUNTRY_PARTY = """Firman:
Grecia – Partido Comunista de Grecia (KKE)
Turkey, Communist Party of Turkey
Tudeh Party, Iran
"""


def test_numbered_and_bulleted_lines_under_their_headings() -> None:
    assert list(entries(NUMBERED_GROUPED)) == [
        ("Communist Party of Greece", "Parties of the network", False),
        ("Communist Party of Turkey", "Parties of the network", False),
        ("Portuguese Communist Party", "Parties of the network", False),
        ("Communist Youth of Greece", "Youth organisations", False),
    ]


def test_semicolon_and_comma_runs_split_into_signers() -> None:
    names = [name for name, _, _ in entries(RUNS)]
    assert names == [
        "Communist Party of Greece",
        "Communist Party of Turkey",
        "AKEL (Cyprus)",
        "Communist Party of Britain",
        "Communist Party of Ireland",
        "Communist Party of Sweden and Communist Party of Mexico",
    ]
    assert [last for _, _, last in entries(RUNS)][-1] is True


def test_country_party_lines_stay_one_signer() -> None:
    assert [name for name, _, _ in entries(COUNTRY_PARTY)] == [
        "Grecia – Partido Comunista de Grecia (KKE)",
        "Turkey, Communist Party of Turkey",
        "Tudeh Party, Iran",
    ]


@pytest.fixture(scope="module")
def linker(shared_kb_db: Database) -> Linker:
    return Linker.from_db(shared_kb_db)


def test_signers_resolve_to_kb_ids_and_a_run_end_splits_at_and(linker: Linker) -> None:
    found = [(s.name, s.org_id) for s in parse(RUNS, linker)]
    assert found == [
        ("Communist Party of Greece", "gr-kke"),
        ("Communist Party of Turkey", "tr-tkp"),
        ("AKEL (Cyprus)", "cy-akel"),
        ("Communist Party of Britain", "gb-cpb"),
        ("Communist Party of Ireland", "ie-cpi"),
        ("Communist Party of Sweden", "se-skp"),
        ("Communist Party of Mexico", "mx-pcm"),
    ]


def test_a_name_not_in_the_kb_or_only_partly_is_kept_raw(linker: Linker) -> None:
    listing = "Signed:\n- Communist Party of Greece\n- Harbour Workers' Solidarity Committee\n"
    found = {s.name: s for s in parse(listing, linker)}
    assert found["Communist Party of Greece"].org_id == "gr-kke"
    assert found["Harbour Workers' Solidarity Committee"].org_id is None
    assert found["Harbour Workers' Solidarity Committee"].confidence == 0.0
    # "Communist Party of Greece" is a part of this longer, unknown name: not its id
    longer = parse("- Communist Party of Greece (Marxist-Leninist) Solidarity Network\n", linker)
    assert [s.org_id for s in longer] == [None]


def test_the_country_beside_a_name_is_kept_out_of_its_coverage(linker: Linker) -> None:
    found = [(s.name, s.org_id) for s in parse(COUNTRY_PARTY, linker)]
    assert found[1:] == [
        ("Turkey, Communist Party of Turkey", "tr-tkp"),
        ("Tudeh Party, Iran", "ir-tpi"),
    ]


def test_a_runs_last_name_loses_its_and() -> None:
    run = "Signed:\nCommunist Party of Greece, AKEL, Communist Party of Spain, and PAME (Greece).\n"
    assert [name for name, _, _ in entries(run)][-2:] == [
        "Communist Party of Spain",
        "PAME (Greece)",
    ]
    semicolons = "Signed:\nKKE; TKP; and Communist Party of Cuba.\n"
    assert [name for name, _, _ in entries(semicolons)] == ["KKE", "TKP", "Communist Party of Cuba"]


def test_a_country_beside_the_name_only_when_it_is_a_country(linker: Linker) -> None:
    listing = (
        "Signed:\n"
        "- Greece, KKE\n"  # "Country, Party": the party is the name
        "- Communist Party of Kurdistan, Iraq\n"  # not "Iraq Communist Party"
        "- Iraq, Communist Party of Kurdistan\n"
        "- Union of Communist Parties – CPSU\n"  # no country before the dash: one name
        "- Communist Party (Proletarian Action), Chile\n"  # a part of the name is no one's
    )
    assert [s.org_id for s in parse(listing, linker)] == [
        "gr-kke",
        "iq-kcp",
        "iq-kcp",
        "int-skp-kpss",
        None,
    ]


def test_acronyms_and_countries_beside_a_name_are_peeled_one_by_one(linker: Linker) -> None:
    listing = (
        "Signed:\n"
        "- Communist Youth Union (KSM), Czech Republic\n"
        "- Philippine Communist Party [PKP-1930]\n"
        "- Partido Comunista do Brasil (PCdoB)\n"
    )
    assert [s.org_id for s in parse(listing, linker)] == ["cz-ksm", "ph-pkp-1930", "br-pcdob"]


def test_an_unknown_name_is_resolved_by_the_acronym_beside_it(linker: Linker) -> None:
    listing = (
        "Signed:\n"
        "- Communist Youth Federation (KNE)\n"  # no such name: the acronym says who
        "- Greece, Panergatiko Agonistiko Metopo (PAME)\n"  # a spelling the KB does not have
        "- Communist Youth of Turkey (TKG)\n"  # an acronym the KB does not know: raw
    )
    assert [s.org_id for s in parse(listing, linker)] == ["gr-kne", "gr-pame", None]


def test_a_misspelt_name_is_not_cut_short_by_the_countrys_support(linker: Linker) -> None:
    found = parse("Signed:\n- Lebanon – Lebannese Communist Party\n", linker)
    assert [s.org_id for s in found] == ["lb-lcp"]


def test_names_in_the_lists_language(linker: Linker) -> None:
    listing = (
        "Firman:\n"
        "- Partido Comunista Francés\n"
        "- Partido de los Trabajadores de Irlanda\n"
        "- Κόμμα Εργασίας Αυστρίας\n"
        "- Союз коммунистов Украины\n"
        "- Hollanda Yeni Komünist Partisi\n"
        "- Parti communiste soudanais (Soudan)\n"
        "- ΑΚΕΛ\n"
    )
    assert [s.org_id for s in parse(listing, linker)] == [
        "fr-pcf",
        "ie-wp",
        "at-pda",
        "ua-sku",
        "nl-ncpn",
        "sd-scp",
        "cy-akel",
    ]

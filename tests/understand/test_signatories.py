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

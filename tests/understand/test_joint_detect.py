"""Telling a joint statement from other texts: the wording in each language, the list of
organisations at the end, and the texts that look like one but are not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tribune.understand.joint_detect import detect, list_signers, tail_list
from tribune.understand.link import Linker, get_linker

PROSE = (
    "The peoples face new wars and rising prices, while the governments serve the monopolies.\n\n"
    "We call on the workers and the youth to take part in the demonstrations for peace."
)


@pytest.fixture(scope="module")
def linker(templates: object) -> Iterator[Linker]:
    """The packaged KB's linker (SQLite: the detection reads no table of its own)."""
    db = templates.clone("sqlite", "kb")  # type: ignore[attr-defined]
    yield get_linker(db)
    db.dispose()


def _detect(linker: Linker, title: str, text: str) -> tuple[bool, list[str], str]:
    found = detect(title, text, lambda: linker)
    return found.joint, [s.org_id or s.name for s in found.signers], found.evidence


@pytest.mark.parametrize(
    "title",
    [
        "Joint statement of communist and workers' parties on Palestine",
        "Declaración conjunta de partidos comunistas de América Latina",
        "Declaração conjunta do PCP e do Partido Comunista do Vietname",
        "Κοινή δήλωση ΚΚΕ και ΚΚ Τουρκίας",
        "TKP ve KKE'den ortak açıklama: Ege'de savaşa hayır",
        "Совместное заявление коммунистических партий против войны",
        "Déclaration commune des partis communistes d'Europe",
        "Gemeinsame Erklärung kommunistischer Parteien zum Krieg",
        "Dichiarazione congiunta dei partiti comunisti",
    ],
)
def test_a_title_naming_the_document_is_enough(linker: Linker, title: str) -> None:
    joint, signers, evidence = _detect(linker, title, PROSE)
    assert joint, evidence
    assert signers == []  # no list: nothing to record
    assert evidence.startswith("title: ")


@pytest.mark.parametrize(
    ("opening", "cue"),
    [
        ("We, the undersigned parties, condemn the aggression.", "undersigned"),
        ("Los partidos abajo firmantes condenan la agresión.", "abajo firmantes"),
        ("Os partidos signatários condenam a agressão.", "partidos signatarios"),
        ("Τα κόμματα που υπογράφουν καταδικάζουν την επίθεση.", "κομματα που υπογραφουν"),
        ("Aşağıda imzası bulunan partiler saldırıyı kınıyor.", "aşagıda imzası bulunan"),
        ("Мы, нижеподписавшиеся партии, осуждаем агрессию.", "нижеподписавшиеся"),
    ],
)
def test_the_signers_speaking_in_the_opening(linker: Linker, opening: str, cue: str) -> None:
    joint, _, evidence = _detect(linker, "For peace", f"{opening}\n\n{PROSE}")
    assert joint
    assert evidence.startswith("opening: ")


@pytest.mark.parametrize(
    ("lead_in", "names", "ids"),
    [
        (
            "Signatories:",
            "Communist Party of Greece\nCommunist Party of Turkey\nPortuguese Communist Party",
            ["gr-kke", "tr-tkp", "pt-pcp"],
        ),
        (
            "Firman:",
            "1. Partido Comunista de España\n2. Partido Comunista de Venezuela\n"
            "3. Partido Comunista de México",
            ["es-pce", "ve-pcv", "mx-pcm"],
        ),
        (
            "Подписали:",
            "Коммунистическая партия Российской Федерации; Коммунистическая партия Греции; "
            "Коммунистическая партия Турции",
            ["ru-kprf", "gr-kke", "tr-tkp"],
        ),
        (
            "İmzacılar: Türkiye Komünist Partisi (TKP), Yunanistan Komünist Partisi (KKE), "
            "Meksika Komünist Partisi",
            "",
            None,
        ),
    ],
)
def test_a_list_after_a_lead_in_without_the_wording(
    linker: Linker, lead_in: str, names: str, ids: list[str] | None
) -> None:
    text = f"{PROSE}\n\n{lead_in}\n{names}".rstrip()
    joint, signers, evidence = _detect(linker, "For peace and socialism", text)
    assert joint, evidence
    assert "lead-in: " in evidence
    if ids is not None:
        assert signers == ids
    else:
        assert len(signers) == 3


def test_a_list_with_a_closing_line_and_groups(linker: Linker) -> None:
    text = (
        f"Joint statement\n\n{PROSE}\n\n"
        "Parties\n"
        "1. Greece, Communist Party of Greece (KKE)\n"
        "2. Turkey, Communist Party of Turkey (TKP)\n"
        "3. Kenya, Communist Party of Kenya\n"
        "Youth organisations\n"
        "1. Greece, Communist Youth of Greece (KNE)\n\n"
        "The list remains open. Parties wishing to sign may write to the initiators."
    )
    found = detect("End the blockade!", text, lambda: linker)
    assert found.joint
    assert [(s.org_id, s.group) for s in found.signers] == [
        ("gr-kke", "Parties"),
        ("tr-tkp", "Parties"),
        (None, "Parties"),  # not in the KB: kept as printed, for an editor
        ("gr-kne", "Youth organisations"),
    ]
    assert found.signers[2].name == "Kenya, Communist Party of Kenya"
    assert "list: 4 names, 3 in the KB" in found.evidence


def test_an_article_quoting_a_joint_statement_is_not_one(linker: Linker) -> None:
    text = (
        "Communist and workers' parties around the world welcomed the vote. The KKE, the PCP "
        "and the SACP were among the signatories of a joint statement published before it.\n\n"
        "The statement was signed by parties of four continents. In Havana, the foreign "
        "minister thanked the international community for its solidarity."
    )
    joint, signers, evidence = _detect(linker, "The UN demands an end to the blockade", text)
    assert not joint
    assert signers == []
    assert evidence.startswith("mentions: ")


def test_a_meetings_participants_are_not_signatories(linker: Linker) -> None:
    text = (
        f"{PROSE}\n\nThe following parties took part in the meeting:\n"
        "Communist Party of Greece\nCommunist Party of Turkey\nPortuguese Communist Party"
    )
    assert not _detect(linker, "A regional meeting was held in Athens", text)[0]


def test_demands_at_the_end_are_not_a_list(linker: Linker) -> None:
    text = (
        f"{PROSE}\n\nThe KKE demands:\n- No Greek soldier abroad\n- Closing of the US bases\n"
        "- Higher wages for all workers\n\nSigned by the Central Committee of the KKE."
    )
    tail = tail_list(text)
    assert list_signers(text, lambda: linker) == ([], "")
    assert not _detect(linker, "Statement of the KKE on the war", text)[0], tail


def test_a_joint_condolence_or_a_meetings_declaration_is_its_own_kind(linker: Linker) -> None:
    for title in (
        "Joint message of condolence on the passing of comrade Ana",
        "Κοινή Διακήρυξη της 22ης Διεθνούς Συνάντησης Κομμουνιστικών και Εργατικών Κομμάτων",
    ):
        joint, _, evidence = _detect(linker, title, f"We, the undersigned parties...\n{PROSE}")
        assert not joint
        assert "another kind" in evidence


def test_no_list_means_no_linker(linker: Linker) -> None:
    def refuse() -> Linker:
        raise AssertionError("the linker was built for a text without a list")

    assert not detect("Statement", "A short statement. It ends here!", refuse).joint
    assert detect("Joint statement", PROSE, refuse).joint

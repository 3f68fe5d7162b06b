"""Story clustering without a database: what an item is reduced to, and how items are placed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tribune.understand.story_cluster import WINDOW_DAYS, Clusterer
from tribune.understand.story_docs import Doc, Rarity, make_doc

DAY = datetime(2026, 4, 14, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Руки прочь от Кубы!", "CU"),
        ("Yunanistan'da genel grev", "GR"),
        ("στην Ελλάδα και την Πορτογαλία", "PT"),
        ("los trabajadores de Venezuela", "VE"),
        ("the Venezuelan people", "VE"),
    ],
)
def test_countries_are_found_in_inflected_forms(text: str, country: str) -> None:
    doc = make_doc(1, org=None, language="xx", when=DAY, title=text, text="")
    assert f"country:{country}" in doc.entities


@pytest.mark.parametrize(
    "text", ["the industry of children who fight", "cubrir los gastos", "данные опроса"]
)
def test_short_country_stems_do_not_swallow_words(text: str) -> None:
    doc = make_doc(1, org=None, language="xx", when=DAY, title=text, text="")
    assert not doc.entities


@pytest.mark.parametrize(
    "text",
    [
        "the general strike on 16 April",
        "la huelga general del 16 de abril",
        "η γενική απεργία στις 16 Απριλίου",
        "всеобщая забастовка 16 апреля",
        "16 Nisan genel grevi",
        "the strike on April 16",
    ],
)
def test_a_day_and_month_is_the_same_token_in_every_language(text: str) -> None:
    doc = make_doc(1, org=None, language="xx", when=DAY, title=text, text="")
    assert "date:04-16" in doc.numbers


def test_the_publisher_is_not_what_an_item_is_about() -> None:
    doc = make_doc(
        1,
        org="gr-kke",
        language="en",
        when=DAY,
        title="KKE",
        text="",
        entities=[("org", "gr-kke"), ("org", "tr-tkp"), ("event", "imcwp-21")],
        publisher=["gr-kke"],
    )
    assert doc.entities == frozenset({"org:tr-tkp", "event:imcwp-21"})


def _doc(key: int, org: str, language: str, days: float, title: str, *entities: str) -> Doc:
    pairs = [tuple(e.split(":", 1)) for e in entities]
    return make_doc(
        key,
        org=org,
        language=language,
        when=DAY + timedelta(days=days),
        title=title,
        text="",
        entities=[(k, v) for k, v in pairs],
    )


STRIKE = ("event:strike-16-april", "person:pame-leader", "country:GR")


def _placed(docs: list[Doc]) -> dict[int, tuple[int | None, int | None]]:
    clusterer = Clusterer(Rarity(docs))
    for doc in docs:
        clusterer.add(doc)
    return {p.key: (p.story, p.edition_of) for p in clusterer.placed()}


def test_voices_on_one_event_meet_and_an_edition_follows_its_statement() -> None:
    docs = [
        _doc(1, "gr-kke", "el", 0, "Απεργία 16 Απριλίου", *STRIKE),
        _doc(2, "gr-kke", "en", 0.1, "Strike on 16 April", *STRIKE),
        _doc(3, "tr-tkp", "tr", 1, "16 Nisan grevi", *STRIKE),
        _doc(4, "pt-pcp", "pt", 1, "Orçamento de Lisboa", "country:PT", "person:lisbon-mayor"),
    ]
    placed = _placed(docs)
    assert placed[2] == (placed[1][0], 1)  # an edition of KKE's Greek statement
    assert placed[3][0] is not None
    assert placed[3][0] == placed[1][0]
    assert placed[4] == (None, None)  # same days, another subject: it waits alone


def test_the_same_event_long_after_is_another_story() -> None:
    docs = [
        _doc(1, "gr-kke", "el", 0, "Απεργία", *STRIKE),
        _doc(2, "tr-tkp", "tr", 0.5, "Grev", *STRIKE),
        _doc(3, "pt-pcp", "pt", WINDOW_DAYS + 5, "Greve", *STRIKE),
    ]
    placed = _placed(docs)
    assert placed[1][0] == placed[2][0] is not None
    assert placed[3][0] is None


def test_a_known_story_only_grows() -> None:
    old = [
        _doc(1, "gr-kke", "el", 0, "Απεργία", *STRIKE),
        _doc(2, "tr-tkp", "tr", 0.5, "Grev", *STRIKE),
    ]
    new = _doc(3, "pt-pcp", "pt", 1, "Greve", *STRIKE)
    clusterer = Clusterer(Rarity([*old, new]))
    for doc in old:
        clusterer.known(doc, story=42, edition_of=None)  # an accepted story, as stored
    placed = clusterer.add(new)
    assert placed.story == 42
    assert {p.key: p.story for p in clusterer.placed()} == {1: 42, 2: 42, 3: 42}

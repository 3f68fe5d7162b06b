"""The linker reads "the General Secretary of the KKE" as whoever held that title there on the
text's date, from the KB's roles (editors' additions and closed terms included)."""

from __future__ import annotations

from datetime import date

import pytest

from tribune.db.engine import Database
from tribune.kb.edit import set_role_end
from tribune.newsroom.kb_admin import NewRole, add_role
from tribune.newsroom.policy import Actor
from tribune.understand.link import Linker, get_linker
from tribune.understand.mention import Mention

EDITOR = Actor(name="eleni", role="editor", via="cli")


def people(mentions: list[Mention]) -> list[tuple[str, str | None, tuple[str, ...]]]:
    return [(m.surface, m.id, m.candidates) for m in mentions if m.type == "person"]


GS_KKE = "The General Secretary of the KKE spoke at the rally."


@pytest.mark.parametrize(
    ("day", "holder"),
    [
        (date(2005, 3, 1), "aleka-papariga"),  # 1991-02-27 to 2013-04-14
        (date(2013, 4, 13), "aleka-papariga"),
        (date(2013, 4, 14), "dimitris-koutsoumbas"),  # the day the next term starts
        (date(2026, 11, 20), "dimitris-koutsoumbas"),
    ],
)
def test_two_holders_of_one_title_are_told_apart_by_the_date(
    linker: Linker, day: date, holder: str
) -> None:
    mentions = linker.link(GS_KKE, date=day)
    assert people(mentions) == [("General Secretary", holder, ())]
    (ref,) = [m for m in mentions if m.type == "person"]
    assert GS_KKE[ref.start : ref.end] == "General Secretary"
    # the organisation keeps its own mention, never overlapped
    assert [(m.surface, m.id) for m in mentions if m.type == "org"] == [("KKE", "gr-kke")]


def test_without_a_date_the_linker_abstains_with_every_holder(linker: Linker) -> None:
    assert people(linker.link(GS_KKE)) == [
        ("General Secretary", None, ("aleka-papariga", "dimitris-koutsoumbas"))
    ]


def test_a_date_no_known_term_covers_names_nobody(linker: Linker) -> None:
    assert people(linker.link(GS_KKE, date=date(1980, 1, 1))) == []


@pytest.mark.parametrize(
    ("text", "day", "surface", "holder"),
    [
        ("KKE General Secretary spoke.", date(2010, 1, 1), "General Secretary", "aleka-papariga"),
        ("The KKE GS spoke.", date(2020, 1, 1), "GS", "dimitris-koutsoumbas"),
        (
            "Ο Γενικός Γραμματέας της ΚΕ του ΚΚΕ μίλησε στη συγκέντρωση.",
            date(2020, 1, 1),
            "Γενικός Γραμματέας",
            "dimitris-koutsoumbas",
        ),
        (
            "O Secretário-Geral do PCP falou no comício.",
            date(2020, 1, 1),
            "Secretário-Geral",
            "jeronimo-de-sousa",
        ),
        (
            "O Secretário-Geral do PCP falou no comício.",
            date(2024, 1, 1),
            "Secretário-Geral",
            "paulo-raimundo",
        ),
        ("Председатель ЦК КПРФ выступил.", date(2020, 1, 1), "Председатель", "gennady-zyuganov"),
    ],
)
def test_the_forms_of_each_language(
    linker: Linker, text: str, day: date, surface: str, holder: str
) -> None:
    assert people(linker.link(text, date=day)) == [(surface, holder, ())]


@pytest.mark.parametrize(
    "text",
    [
        # the name is there: it is the mention, the title is not another one
        "The General Secretary of the KKE, Aleka Papariga, spoke at the rally.",
        # a former holder is not the one of the date
        "The former General Secretary of the KKE spoke at the rally.",
        # another title than the KB knows there
        "The spokesperson of the KKE spoke at the rally.",
    ],
)
def test_no_title_mention_where_it_would_be_wrong(linker: Linker, text: str) -> None:
    found = [m for m in linker.link(text, date=date(2020, 1, 1)) if m.type == "person"]
    assert all(m.surface != "General Secretary" for m in found)
    assert all(m.id != "dimitris-koutsoumbas" for m in found)


def test_roles_editors_add_or_close_count_at_once(db: Database) -> None:
    text = "The First Secretary of the TKP spoke."
    assert people(get_linker(db).link(text, date=date(2026, 1, 1))) == []
    _, role_id = add_role(
        db,
        EDITOR,
        NewRole(
            org_id="tr-tkp", title="First Secretary", person_id="kemal-okuyan", start="2017-03-01"
        ),
    )
    assert people(get_linker(db).link(text, date=date(2026, 1, 1))) == [
        ("First Secretary", "kemal-okuyan", ())
    ]
    with db.write() as conn:
        set_role_end(conn, role_id, date(2025, 1, 1))
    assert people(get_linker(db).link(text, date=date(2026, 1, 1))) == []
    assert people(get_linker(db).link(text, date=date(2024, 1, 1))) == [
        ("First Secretary", "kemal-okuyan", ())
    ]

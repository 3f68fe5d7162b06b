"""Reading and validating the seed files: every rule, each named with its file and line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from kb_files import append, change, copy_kb, read_rows, start_lines

from tribune.kb.errors import KBError
from tribune.kb.load import packaged_kb
from tribune.kb.records import KBData, read_kb


def problems_for(directory: Path) -> list[str]:
    with pytest.raises(KBError) as caught:
        read_kb(directory)
    return caught.value.problems


@pytest.fixture(scope="module")
def packaged() -> KBData:
    return read_kb(packaged_kb())


def test_packaged_files_read_into_typed_records(packaged: KBData) -> None:
    assert len(packaged.organizations) == 163
    assert len(packaged.world_parties) == 5558
    assert len(packaged.people) == 13
    kke = next(o for o in packaged.organizations if o.id == "gr-kke")
    assert (kke.partyfacts_id, kke.wikidata_id, kke.country) == (48, "Q192406", "GR")
    assert kke.acronyms == ("KKE",)
    assert kke.native_name_certain is True
    wftu = next(o for o in packaged.organizations if o.id == "int-wftu")
    assert wftu.country is None
    tkp = [n for n in packaged.org_names if n.org_id == "tr-tkp" and n.name == "KP"]
    assert tkp[0].valid_from == date(2014, 11, 1)
    assert tkp[0].valid_to == date(2017, 6, 30)
    raja = next(p for p in packaged.people if p.id == "d-raja")
    assert raja.aliases == ("Doraisamy Raja",)
    izmir = next(e for e in packaged.events if e.id == "imcwp-21")
    assert izmir.hosts == ("tr-tkp", "gr-kke")
    assert izmir.number == 21


def test_party_facts_names_split_and_kept_exactly(packaged: KBData) -> None:
    first = next(p for p in packaged.world_parties if p.id == "pf-6641")
    assert first.name_english == (
        "Afghan Social Democratic Party",
        "Afghan Millat Party",
        "Afghan Millat",
    )
    assert first.year_first == 1966
    assert first.year_last is None
    spaced = next(p for p in packaged.world_parties if p.id == "pf-5523")
    assert " / ".join(spaced.name_english) == "Republic  / Republican Party"


Case = Callable[[Path], str]


def _country(d: Path) -> str:
    line = change(d, "organizations.csv", "al-pksh", country="UK")
    return f"organizations.csv:{line}: country 'UK' is not an ISO 3166-1 alpha-2 code"


def _country_missing(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", country="")
    return f"organizations.csv:{line}: country is empty"


def _empty_id(d: Path) -> str:
    line = change(d, "people.csv", "d-raja", id="")
    return f"people.csv:{line}: id is empty"


def _empty_name(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", name_en="  ")
    return f"organizations.csv:{line}: name_en is empty"


def _empty_kind(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", kind="")
    return f"organizations.csv:{line}: kind is empty; expected one of party"


def _bad_kind(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", kind="club")
    return f"organizations.csv:{line}: kind is 'club'"


def _network_member(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", network_member="maybe")
    return f"organizations.csv:{line}: network_member is 'maybe'; expected one of yes, no, unknown"


def _yes_no(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", native_name_certain="true")
    return f"organizations.csv:{line}: native_name_certain 'true' is not yes or no"


def _partyfacts_id(d: Path) -> str:
    line = change(d, "organizations.csv", "al-pksh", partyfacts_id="12a")
    return f"organizations.csv:{line}: partyfacts_id '12a' is not a whole number"


def _wikidata(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", wikidata_id="P31")
    return f"organizations.csv:{line}: wikidata_id 'P31' is not a Wikidata item id"


def _year(d: Path) -> str:
    line = change(d, "world_parties.csv", "pf-8281", year_first="c.1990")
    return f"world_parties.csv:{line}: year_first 'c.1990' is not a whole number"


def _bad_id(d: Path) -> str:
    line = change(d, "events.csv", "imcwp-8", id="IMCWP 8")
    return f"events.csv:{line}: id 'IMCWP 8' is not an id"


def _parent(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kne", parent="gr-nope")
    return f"organizations.csv:{line}: parent 'gr-nope' is not an organisation"


def _parent_loop(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", parent="gr-kne")
    return f"organizations.csv:{line}: parent chain of gr-kke loops back to gr-kke"


def _host(d: Path) -> str:
    line = change(d, "events.csv", "imcwp-21", hosts="tr-tkp|gr-nope")
    return f"events.csv:{line}: hosts 'gr-nope' is not an organisation"


def _role_person(d: Path) -> str:
    line = change(d, "roles.csv", "d-raja", person_id="nobody")
    return f"roles.csv:{line}: person_id 'nobody' is not a person in people.csv"


def _role_org(d: Path) -> str:
    line = change(d, "roles.csv", "d-raja", org_id="in-nope")
    return f"roles.csv:{line}: org_id 'in-nope' is not an organisation"


def _role_repeat(d: Path) -> str:
    line = append(
        d, "roles.csv", person_id="d-raja", org_id="in-cpi", title="General Secretary",
        start="2019-07-21",
    )  # fmt: skip
    return f"roles.csv:{line}: the same role as line"


def _role_dates(d: Path) -> str:
    line = change(d, "roles.csv", "d-raja", end="2001-01-01")
    return f"roles.csv:{line}: end 2001-01-01 is before start 2019-07-21"


def _name_org(d: Path) -> str:
    line = append(d, "org_names.csv", org_id="xx-nope", name="X", kind="official")
    return f"org_names.csv:{line}: org_id 'xx-nope' is not an organisation"


def _name_kind(d: Path) -> str:
    line = append(d, "org_names.csv", org_id="gr-kke", name="X", kind="nickname")
    return f"org_names.csv:{line}: kind is 'nickname'; expected one of official, acronym, variant"


def _name_overlap(d: Path) -> str:
    line = append(
        d, "org_names.csv", org_id="tr-tkp", name="TKP", kind="acronym", valid_from="2000-01-01",
        valid_to="2000-01-01",
    )  # fmt: skip
    return f"org_names.csv:{line}: 'TKP' (no language) of tr-tkp overlaps in time with line 7"


def _name_touching(d: Path) -> str:
    line = append(
        d, "org_names.csv", org_id="tr-tkp", name="KP", kind="acronym", valid_from="2017-06-30",
    )  # fmt: skip
    return f"org_names.csv:{line}: 'KP' (no language) of tr-tkp overlaps in time with line 4"


def _bad_date(d: Path) -> str:
    line = change(d, "events.csv", "imcwp-8", start="2006-13-10")
    return f"events.csv:{line}: start '2006-13-10' is not a date (YYYY-MM-DD expected)"


def _short_date(d: Path) -> str:
    line = change(d, "roles.csv", "d-raja", start="20190721")
    return f"roles.csv:{line}: start '20190721' is not a date"


def _precision(d: Path) -> str:
    line = change(d, "events.csv", "imcwp-8", date_precision="week")
    return f"events.csv:{line}: date_precision is 'week'"


def _duplicate_id(d: Path) -> str:
    line = append(d, "people.csv", id="d-raja", name="Another Raja")
    return f"people.csv:{line}: duplicate id d-raja (first on line"


def _id_in_both_files(d: Path) -> str:
    line = change(d, "world_parties.csv", "pf-8281", id="gr-kke")
    return f"world_parties.csv:{line}: id gr-kke is also the id of organizations.csv:"


def _pf_id_mismatch(d: Path) -> str:
    line = change(d, "world_parties.csv", "pf-8281", id="pf-8282")
    return f"world_parties.csv:{line}: id pf-8282 does not match partyfacts_id 8281"


def _seed_id(d: Path) -> str:
    line = change(d, "world_parties.csv", "pf-8281", seed_id="xx-nope")
    return f"world_parties.csv:{line}: seed_id 'xx-nope' is not an organisation in organizations"


def _seed_disagrees(d: Path) -> str:
    line = change(d, "world_parties.csv", "pf-48", wikidata_id="Q1")
    org_line = start_lines(d / "organizations.csv")[
        [r["id"] for r in read_rows(d, "organizations.csv")].index("gr-kke")
    ]
    return (
        f"world_parties.csv:{line}: wikidata_id Q1 disagrees with organizations.csv:{org_line} "
        "(gr-kke has Q192406)"
    )


def _pf_taken(d: Path) -> str:
    line = change(d, "world_parties.csv", "pf-48", seed_id="")
    return f"world_parties.csv:{line}: partyfacts_id 48 already belongs to organizations.csv:"


def _empty_item(d: Path) -> str:
    line = change(d, "people.csv", "gennady-zyuganov", aliases="Геннадий Зюганов||G. Zyuganov")
    return f"people.csv:{line}: aliases has an empty item between '|' separators"


def _empty_pf_part(d: Path) -> str:
    line = change(d, "world_parties.csv", "pf-8281", name_english="Fatherland Party / ")
    return f"world_parties.csv:{line}: name_english has an empty item between '/' separators"


def _too_long(d: Path) -> str:
    line = change(d, "organizations.csv", "gr-kke", name_en="x" * 401)
    return f"organizations.csv:{line}: name_en is 401 characters long; at most 400 fit"


def _field_count(d: Path) -> str:
    with (d / "people.csv").open("a", encoding="utf-8") as handle:
        handle.write("only-two,fields\n")
    return "people.csv:15: 2 fields, expected 4"


CASES: list[Case] = [
    _country, _country_missing, _empty_id, _empty_name, _empty_kind, _bad_kind, _network_member,
    _yes_no, _partyfacts_id, _wikidata, _year, _bad_id, _parent, _parent_loop, _host,
    _role_person, _role_org, _role_repeat, _role_dates, _name_org, _name_kind, _name_overlap,
    _name_touching, _bad_date, _short_date, _precision, _duplicate_id, _id_in_both_files,
    _pf_id_mismatch, _seed_id, _seed_disagrees, _pf_taken, _empty_item, _empty_pf_part,
    _too_long, _field_count,
]  # fmt: skip


@pytest.mark.parametrize("damage", CASES, ids=[case.__name__.strip("_") for case in CASES])
def test_each_rule_names_the_file_and_line(tmp_path: Path, damage: Case) -> None:
    directory = copy_kb(tmp_path)
    expected = damage(directory)
    problems = problems_for(directory)
    assert any(p.startswith(expected) for p in problems), problems


def test_int_organisations_and_world_parties_may_lack_a_country(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    change(directory, "organizations.csv", "int-wpc", country="")
    change(directory, "world_parties.csv", "pf-8281", country="")
    assert read_kb(directory).world_parties[1].country is None


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    org_line = change(directory, "organizations.csv", "al-pksh", country="UK")
    event_line = change(directory, "events.csv", "imcwp-8", country="XX", start="8 Nov")
    problems = problems_for(directory)
    assert f"organizations.csv:{org_line}: country 'UK' is not an ISO 3166-1 alpha-2 code" in (
        problems
    )
    assert f"events.csv:{event_line}: country 'XX' is not an ISO 3166-1 alpha-2 code" in problems
    assert any(p.startswith(f"events.csv:{event_line}: start '8 Nov'") for p in problems)


def test_missing_and_unexpected_columns_are_named(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    path = directory / "organizations.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",website,", ",site,", 1), encoding="utf-8")
    assert problems_for(directory) == [
        "organizations.csv:1: missing column(s) website; unexpected column(s) 'site'"
    ]


def test_malformed_csv_names_the_line_of_the_record(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    with (directory / "people.csv").open("a", encoding="utf-8") as handle:
        handle.write('someone,"Some One,,\nnext-person,Next,,\n')
    problems = problems_for(directory)
    assert problems == ["people.csv:15: malformed CSV: unexpected end of data"]


def test_text_after_a_closing_quote_is_malformed(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    with (directory / "roles.csv").open("a", encoding="utf-8") as handle:
        handle.write('d-raja,in-cpi,"Chair"man,2001-01-01,,\n')
    assert problems_for(directory)[0].startswith("roles.csv:14: malformed CSV:")


def test_a_file_that_is_not_utf8_is_named_with_line_and_offset(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    path = directory / "people.csv"
    lines = path.read_bytes().split(b"\n")
    lines[2] = "aleka-papariga,Aléka Papariga,,".encode("latin-1")
    path.write_bytes(b"\n".join(lines))
    offset = len(lines[0]) + len(lines[1]) + 2 + len("aleka-papariga,Al")
    assert problems_for(directory) == [
        f"people.csv:3: not UTF-8 text (byte 0xe9 at offset {offset}); save the file as UTF-8"
    ]


def test_missing_and_empty_files(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    (directory / "events.csv").unlink()
    (directory / "roles.csv").write_text("", encoding="utf-8")
    assert problems_for(directory) == [
        "roles.csv:1: the file is empty (no header line)",
        "events.csv: file is missing",
    ]


def test_an_unreadable_file_does_not_cause_a_flood_of_dangling_ids(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    (directory / "organizations.csv").write_bytes(b"id,kind\n\xff\n")
    problems = problems_for(directory)
    assert len(problems) == 1
    assert problems[0].startswith("organizations.csv:2: not UTF-8")


def test_a_byte_order_mark_and_blank_lines_are_accepted(tmp_path: Path) -> None:
    directory = copy_kb(tmp_path)
    path = directory / "people.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes() + b"\n\n")
    assert len(read_kb(directory).people) == 13

"""Every row of the packaged org_names.csv, on both sides of its validity boundaries."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from importlib import resources

import pytest

from tribune.understand.lexicon import Candidate
from tribune.understand.link import Linker
from tribune.understand.textnorm import fold_cased, normalise_name

ROWS = list(
    csv.DictReader(
        io.StringIO(resources.files("tribune.data").joinpath("kb/org_names.csv").read_text("utf-8"))
    )
)
BOUNDARIES = [
    (row, day, inside)
    for row in ROWS
    for edge, step in (("valid_from", -1), ("valid_to", 1))
    if row[edge]
    for day, inside in (
        (date.fromisoformat(row[edge]), True),
        (date.fromisoformat(row[edge]) + timedelta(days=step), False),
    )
]


def _row_candidates(linker: Linker, row: dict[str, str]) -> list[Candidate]:
    lexicon = linker.lexicon
    if row["kind"] == "acronym":
        key, entries = fold_cased(row["name"]), lexicon.acronym_entries
    else:
        key, entries = normalise_name(row["name"]), lexicon.entries
    found = [cands for k, cands in entries if k == key]
    assert found, f"{row['name']!r} is not in the lexicon"
    frm = date.fromisoformat(row["valid_from"]) if row["valid_from"] else None
    to = date.fromisoformat(row["valid_to"]) if row["valid_to"] else None
    return [
        c for c in found[0] if c.id == row["org_id"] and c.valid_from == frm and c.valid_to == to
    ]


@pytest.mark.parametrize(
    ("row", "day", "inside"),
    BOUNDARIES,
    ids=[f"{r['org_id']}:{r['name']}:{d}" for r, d, _ in BOUNDARIES],
)
def test_row_is_valid_exactly_within_its_range(
    linker: Linker, row: dict[str, str], day: date, inside: bool
) -> None:
    cands = _row_candidates(linker, row)
    assert cands, f"no candidate carries the validity of {row}"
    assert all(c.valid_on(day) == inside for c in cands)


@pytest.mark.parametrize(
    ("row", "day", "inside"),
    [b for b in BOUNDARIES if b[0]["kind"] != "acronym" and len(b[0]["name"].split()) >= 3],
)
def test_distinctive_names_link_exactly_within_their_range(
    linker: Linker, row: dict[str, str], day: date, inside: bool
) -> None:
    """Through the whole linker: a distinctive name links to its organisation only in range."""
    mentions = linker.link(f"A statement by the {row['name']}.", date=day)
    linked = {m.id for m in mentions if m.type == "org"}
    assert (row["org_id"] in linked) == inside, (row, day, mentions)

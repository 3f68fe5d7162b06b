"""``tribune kb load|show|search|export`` against a real database on each backend."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tribune.cli import app
from tribune.config import get_settings
from tribune.db.engine import Database
from tribune.kb.load import packaged_kb

Invoke = Callable[..., Result]


def _runner(monkeypatch: pytest.MonkeyPatch, database: Database) -> Iterator[Invoke]:
    monkeypatch.setenv("TRIBUNE_DATABASE_URL", database.url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args))
    get_settings.cache_clear()


@pytest.fixture
def kb(monkeypatch: pytest.MonkeyPatch, db: Database) -> Iterator[Invoke]:
    """Runs ``tribune`` against a database with the packaged KB."""
    yield from _runner(monkeypatch, db)


@pytest.fixture
def bare(monkeypatch: pytest.MonkeyPatch, empty_db: Database) -> Iterator[Invoke]:
    """Runs ``tribune`` against a migrated database without a KB."""
    yield from _runner(monkeypatch, empty_db)


def test_load_prints_what_it_did(bare: Invoke) -> None:
    first = bare("kb", "load")
    assert first.exit_code == 0, first.output
    assert "organizations: 5660 inserted, 0 updated, 0 unchanged, 0 deleted" in first.stdout
    again = bare("kb", "load")
    assert "organizations: 0 inserted, 0 updated, 5660 unchanged, 0 deleted" in again.stdout


def test_load_of_an_invalid_directory_lists_every_problem(kb: Invoke, tmp_path: Path) -> None:
    directory = tmp_path / "kb"
    with resources.as_file(packaged_kb()) as source:
        shutil.copytree(source, directory)
    path = directory / "people.csv"
    path.write_text(path.read_text(encoding="utf-8") + "x-y,,,\n", encoding="utf-8")
    with (directory / "events.csv").open("a", encoding="utf-8") as handle:
        handle.write("imcwp-99,imcwp,99,99th,2099-01-01,,day,Nowhere,UK,,\n")
    result = kb("kb", "load", str(directory))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "people.csv:15: name is empty",
        "events.csv:18: country 'UK' is not an ISO 3166-1 alpha-2 code",
        "error: 2 problem(s): nothing was loaded",
    ]


def test_show_prints_a_readable_block_with_the_outside_ids(kb: Invoke) -> None:
    result = kb("kb", "show", "gr-kke")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "gr-kke (org)",
        "  Communist Party of Greece",
        "  party, Greece; network member: yes",
    ]
    assert "  Party Facts: 48  https://partyfacts.herokuapp.com/data/partycodes/48/" in lines
    assert "  Wikidata: Q192406  https://www.wikidata.org/wiki/Q192406" in lines
    assert "  acronym  KKE" in lines


def test_show_json(kb: Invoke) -> None:
    result = kb("kb", "show", "gr-kke", "--json")
    entry = json.loads(result.stdout)
    assert (entry["partyfacts_id"], entry["wikidata_id"]) == (48, "Q192406")
    assert entry["partyfacts_url"].endswith("/partycodes/48/")


def test_show_people_and_events(kb: Invoke) -> None:
    person = kb("kb", "show", "d-raja").stdout.splitlines()
    assert person == [
        "d-raja (person)",
        "  name: D. Raja",
        "  also: Doraisamy Raja",
        "  role: General Secretary, Communist Party of India (in-cpi) 2019-07-21 to now",
    ]
    event = kb("kb", "show", "imcwp-21").stdout
    assert "  host: Communist Party of Greece (gr-kke)" in event.splitlines()


def test_show_of_an_unknown_id_exits_1(kb: Invoke) -> None:
    result = kb("kb", "show", "xx-nothing")
    assert result.exit_code == 1
    assert result.stderr == "error: no organisation, person or event with id xx-nothing\n"


def test_search_json_lines(kb: Invoke) -> None:
    result = kb("kb", "search", "kke", "--json", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["id"] == "gr-kke"
    assert set(lines[0]) == {"type", "id", "name", "country", "network_member", "matched_name"}


def test_search_human(kb: Invoke) -> None:
    result = kb("kb", "search", "Koutsoumbas")
    assert result.stdout.split() == ["person", "dimitris-koutsoumbas", "Dimitris", "Koutsoumbas"]


def test_export_writes_the_six_files(kb: Invoke, tmp_path: Path) -> None:
    result = kb("kb", "export", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 6
    with (tmp_path / "out" / "people.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.reader(handle))) == 14


def test_an_uninitialised_database_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TRIBUNE_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["kb", "show", "gr-kke"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "run `tribune init`" in result.stderr

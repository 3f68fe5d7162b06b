"""``tribune link`` through the real command line (Typer), on both databases."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tribune.cli import app
from tribune.config import get_settings
from tribune.db.engine import Database


@pytest.fixture
def runner(shared_kb_db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TRIBUNE_DATABASE_URL", shared_kb_db.url)
    get_settings.cache_clear()
    return CliRunner()


def test_link_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["link", "--json", "--date", "2019-10-18", "The KKE and the TKP."])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [(m["surface"], m["id"], m["type"]) for m in out["mentions"]] == [
        ("KKE", "gr-kke", "org"),
        ("TKP", "tr-tkp", "org"),
    ]
    assert set(out["mentions"][0]) == {"start", "end", "surface", "type", "id", "confidence"}


def test_link_human_output_shows_abstentions(runner: CliRunner) -> None:
    result = runner.invoke(app, ["link", "The CPI issued a statement."])
    assert result.exit_code == 0, result.output
    assert "ie-cpi" in result.stdout
    assert "in-cpi" in result.stdout
    assert "?" in result.stdout


def test_link_source_org_decides(runner: CliRunner) -> None:
    result = runner.invoke(app, ["link", "--json", "--source-org", "ie-cpi", "CPI statement"])
    assert json.loads(result.stdout)["mentions"][0]["id"] == "ie-cpi"


def test_jsonl_keeps_order_and_reports_bad_lines(runner: CliRunner) -> None:
    lines = [
        {"text": "The KKE.", "date": None, "source_org": None},
        {"text": "", "date": None, "source_org": None},
        {"text": "CPI statement", "date": "2020-01-01", "source_org": "in-cpi"},
        {"text": "TKP", "date": "not-a-date", "source_org": None},
        {"text": "TKP", "date": None, "source_org": "xx-nobody"},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\nnot json\n"
    result = runner.invoke(app, ["link", "--jsonl"], input=stdin)
    assert result.exit_code == 1
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(out) == 6
    assert [m["id"] for m in out[0]["mentions"]] == ["gr-kke"]
    assert out[1] == {"mentions": [], "error": "the text is empty"}
    assert [m["id"] for m in out[2]["mentions"]] == ["in-cpi"]
    assert "not a date" in out[3]["error"]
    assert "unknown source organisation" in out[4]["error"]
    assert "error" in out[5]
    assert "line 2: the text is empty" in result.stderr


def test_bad_arguments_name_the_problem(runner: CliRunner) -> None:
    result = runner.invoke(app, ["link", "--date", "18/10/2019", "KKE"])
    assert result.exit_code == 2
    assert "not a date: '18/10/2019'" in result.stderr
    result = runner.invoke(app, ["link"])
    assert result.exit_code == 2
    assert "give the TEXT" in result.stderr
    result = runner.invoke(app, ["link", "--json", "   "])
    assert result.exit_code == 2
    assert "the text is empty" in result.stderr


def test_uninitialised_database_is_reported(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.setenv("TRIBUNE_DATABASE_URL", f"sqlite:///{tmp_path}/empty.db")
    get_settings.cache_clear()
    result = runner.invoke(app, ["link", "KKE"])
    assert result.exit_code == 2
    assert "not initialised: run `tribune init`" in result.stderr

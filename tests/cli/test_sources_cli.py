"""``tribune sources`` through the real command line, on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tribune.cli import app


def test_add_list_export_import(runner: CliRunner, tmp_path: Path) -> None:
    added = runner.invoke(
        app, ["sources", "add", "https://kke.example/feed.xml", "--org", "gr-kke", "--kind", "feed"]
    )
    assert added.exit_code == 0, added.output
    listed = runner.invoke(app, ["sources", "list", "--json"])
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["id"] == added.stdout.strip()
    assert row["url"] == "https://kke.example/feed.xml"
    assert row["org_id"] == "gr-kke"
    human = runner.invoke(app, ["sources", "list"])
    assert "https://kke.example/feed.xml" in human.stdout
    exported = runner.invoke(app, ["sources", "export"])
    assert exported.exit_code == 0
    assert 'tribune:org="gr-kke"' in exported.stdout
    opml = tmp_path / "sources.opml"
    opml.write_text(exported.stdout, encoding="utf-8")
    again = runner.invoke(app, ["sources", "import", str(opml)])
    assert again.exit_code == 0, again.output
    assert "0 added, 1 already there, 0 refused" in again.stdout


def test_errors_name_the_problem(runner: CliRunner, tmp_path: Path) -> None:
    bad = runner.invoke(app, ["sources", "add", "file:///etc/passwd", "--org", "gr-kke"])
    assert bad.exit_code == 2
    assert "not an http or https URL" in bad.stderr
    nobody = runner.invoke(app, ["sources", "add", "https://x.example/", "--org", "xx-none"])
    assert "no organisation with id 'xx-none'" in nobody.stderr
    missing = runner.invoke(app, ["sources", "import", str(tmp_path / "none.opml")])
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
    junk = tmp_path / "junk.opml"
    junk.write_text("<html/>", encoding="utf-8")
    refused = runner.invoke(app, ["sources", "import", str(junk)])
    assert refused.exit_code == 2
    assert "not an OPML file" in refused.stderr

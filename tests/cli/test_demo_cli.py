"""``tribune demo`` builds its database and shows the linker at work."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tribune.cli import app
from tribune.config import get_settings


def test_demo_builds_the_database_and_links_the_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRIBUNE_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert (tmp_path / "tribune-demo.db").exists()
    assert "'Communist Party of Greece'" in first.stdout
    assert "-> gr-kke" in first.stdout
    assert "-> imcwp-21" in first.stdout
    assert "'SCAP'" in first.stdout
    assert "-> za-sacp" in first.stdout
    second = runner.invoke(app, ["demo"])  # idempotent: runs again on the same database
    assert second.exit_code == 0, second.output
    assert second.stdout.count("-> gr-kke") == first.stdout.count("-> gr-kke")

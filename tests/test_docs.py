"""The documentation tells the truth: README commands, settings and CLI commands."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)


def test_readme_opens_with_two_commands() -> None:
    commands = _readme_commands()
    assert len(commands) >= 2
    demo, tests = commands[:2]
    assert "python3 -m venv .venv" in demo
    assert demo.endswith("tribune demo")
    assert "[ -d .venv ] || python3 -m venv .venv" in tests
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci.splitlines()


def test_every_setting_is_documented() -> None:
    from tribune.config import Settings

    for name in Settings.model_fields:
        assert f"TRIBUNE_{name.upper()}" in README, name


def test_every_cli_command_is_documented() -> None:
    import typer.main

    from tribune.cli import app

    group = typer.main.get_group(app)
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        names = [f"{name} {s}" for s in sub] if sub else [name]
        for full in names:
            assert f"`tribune {full}" in README, full

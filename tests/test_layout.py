"""House rules that keep the code easy to live in."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tribune"
CORE = ("db", "kb", "understand", "ingest", "replay", "newsroom", "reading")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def test_the_core_never_imports_the_shells() -> None:
    for part in CORE:
        for path in (PACKAGE / part).rglob("*.py"):
            bad = {m for m in _imports(path) if m.startswith(("tribune.cli", "tribune.web"))}
            assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_the_core_never_imports_fastapi_or_typer() -> None:
    """Web and CLI frameworks stay in the shells, so the core runs anywhere (jobs, scripts)."""
    for part in CORE:
        for path in (PACKAGE / part).rglob("*.py"):
            bad = {
                m
                for m in _imports(path)
                if m.split(".")[0] in {"fastapi", "starlette", "jinja2", "uvicorn", "typer"}
            }
            assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_no_catch_all_module_names() -> None:
    names = {p.stem for p in PACKAGE.rglob("*.py")}
    assert not names & {"utils", "helpers", "misc", "common"}


def test_the_cli_imports_its_heavy_dependencies_lazily() -> None:
    """`tribune --help` stays fast because the core is imported inside the commands."""
    code = (
        "import sys, tribune.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'ahocorasick', 'rapidfuzz', 'alembic', "
        "'pydantic_settings', 'py3langid') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_help_lists_the_commands() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tribune.cli", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("init", "kb", "link", "demo"):
        assert command in out.stdout

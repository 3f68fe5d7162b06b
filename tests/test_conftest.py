"""The suite's own database fixtures: what happens when PostgreSQL cannot be reached."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).with_name("conftest.py")


def _run(tmp_path: Path, require: str) -> str:
    (tmp_path / "conftest.py").write_text(CONFTEST.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "test_probe.py").write_text(
        "def test_db(empty_db):\n    assert empty_db.dialect in ('sqlite', 'postgresql')\n",
        encoding="utf-8",
    )
    env = os.environ | {
        "TRIBUNE_TEST_POSTGRES_URL": "postgresql://nobody@127.0.0.1:1/nowhere",
        "TRIBUNE_REQUIRE_POSTGRES": require,
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def test_unreachable_postgres_is_skipped_with_its_reason(tmp_path: Path) -> None:
    out = _run(tmp_path, "0")
    assert "1 passed, 1 skipped" in out
    assert "PostgreSQL not reachable at postgresql+psycopg://nobody@127.0.0.1:1/nowhere" in out


def test_unreachable_postgres_fails_when_required(tmp_path: Path) -> None:
    out = _run(tmp_path, "1")
    assert "1 passed" in out
    assert "1 error" in out or "1 failed" in out
    assert "TRIBUNE_REQUIRE_POSTGRES=1" in out

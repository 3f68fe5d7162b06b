"""Helpers shared by the benchmark scripts: the machine, the CLI, docs/benchmarks.md sections."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
TRIBUNE = Path(sys.executable).with_name("tribune")


def machine() -> str:
    """One line naming this machine: platform, CPU model and count, Python version."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.platform()}; {cpu} × {os.cpu_count()}; "
        f"Python {platform.python_version()} ({platform.python_implementation()})"
    )


def load_average() -> str:
    """The 1-, 5- and 15-minute load averages (other work on the machine skews timings)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def tribune(
    url: str, *args: str, stdin: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run the ``tribune`` CLI of this venv on the database *url*; exit if it fails and *check*."""
    env = os.environ | {"TRIBUNE_DATABASE_URL": url}
    done = subprocess.run(
        [str(TRIBUNE), *args], input=stdin, env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        sys.exit(f"tribune {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    return done


def make_db(path: Path, kb_dir: Path | None = None) -> str:
    """A new SQLite database at *path* with the packaged KB (or *kb_dir*) loaded; its URL."""
    url = f"sqlite:///{path.absolute()}"
    tribune(url, "init")
    tribune(url, "kb", "load", *([str(kb_dir)] if kb_dir else []))
    return url


def replace_section(heading: str, body: str, path: Path = DOC) -> None:
    """Replace what lies between ``## heading`` and the next ``## `` heading of *path*.

    The section is appended when the file lacks it; the rest of the file is kept as it is.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    pattern = re.compile(rf"^## {re.escape(heading)}[ \t]*\n.*?(?=^## |\Z)", re.M | re.S)
    section = f"## {heading}\n\n{body.strip()}\n\n"
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")

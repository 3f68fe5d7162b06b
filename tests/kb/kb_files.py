"""Helpers for tests that need a copy of the seed files, damaged or changed in one place.

Imported by the tests of this directory (pytest puts it on ``sys.path``).
"""

from __future__ import annotations

import csv
import shutil
from importlib import resources
from pathlib import Path

from tribune.kb.load import packaged_kb
from tribune.kb.records import COLUMNS


def copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "kb"
    with resources.as_file(packaged_kb()) as source:
        shutil.copytree(source, target)
    return target


def read_rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(directory: Path, name: str, rows: list[dict[str, str]]) -> None:
    with (directory / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS[name], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def change(directory: Path, file: str, key: str, /, **values: str) -> int:
    """Change the row whose first column is *key*; return the line it starts on."""
    rows = read_rows(directory, file)
    first = COLUMNS[file][0]
    index = next(i for i, row in enumerate(rows) if row[first] == key)
    rows[index].update(values)
    write_rows(directory, file, rows)
    return start_lines(directory / file)[index]


def append(directory: Path, file: str, /, **values: str) -> int:
    """Add a row (missing columns empty); return its line."""
    rows = read_rows(directory, file)
    rows.append(dict.fromkeys(COLUMNS[file], "") | values)
    write_rows(directory, file, rows)
    return start_lines(directory / file)[-1]


def start_lines(path: Path) -> list[int]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        starts, start = [], reader.line_num + 1
        for _ in reader:
            starts.append(start)
            start = reader.line_num + 1
    return starts

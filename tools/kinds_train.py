"""Rebuild the kind classifier's training texts from the labelled set.

usage: .venv/bin/python tools/kinds_train.py [--check]

Reads ``eval/kinds.jsonl`` (the labelled set: see ``eval/README.md``) and writes its ``train``
part, ordered by id, as ``src/tribune/data/kinds/train.jsonl``: the texts the classifier is
trained on in each process (:mod:`tribune.understand.kind_model`, fixed seed), so the model is
rebuilt from committed data. The ``test`` part stays out of the package: it is what
``bench/kinds_quality.py`` scores. ``--check`` exits 1 when the packaged file is not what this
would write.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "eval" / "kinds.jsonl"
PACKAGED = ROOT / "src" / "tribune" / "data" / "kinds" / "train.jsonl"
FIELDS = ("id", "language", "title", "text", "kind")


def training_lines() -> str:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line]
    train = sorted((r for r in rows if r["split"] == "train"), key=lambda r: r["id"])
    return "".join(json.dumps({f: r[f] for f in FIELDS}, ensure_ascii=False) + "\n" for r in train)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare")
    args = parser.parse_args()
    wanted = training_lines()
    if args.check:
        current = PACKAGED.read_text(encoding="utf-8") if PACKAGED.exists() else ""
        sys.exit(0 if current == wanted else 1)
    PACKAGED.parent.mkdir(parents=True, exist_ok=True)
    PACKAGED.write_text(wanted, encoding="utf-8")
    print(f"wrote {wanted.count(chr(10))} training texts to {PACKAGED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

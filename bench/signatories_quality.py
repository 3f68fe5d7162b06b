"""Signatory lists: the share of signers resolved to the right KB id, and to a wrong one.

usage: .venv/bin/python bench/signatories_quality.py [--write] [--errors]

The labelled set is ``eval/signatories.jsonl``: 26 lists in seven languages, every format
(numbered, bulleted, "Country, Party", comma and semicolon runs, grouped), each signer with
its KB id or ``RAW`` (not in the KB: to be kept as written). Each list is parsed and resolved by
:func:`tribune.understand.signatories.parse` with the packaged KB's linker (a SQLite database
made for the run). A labelled signer is matched to the parsed signer of the same text (spaces
and a final period aside); then it is **right** when the ids agree (``RAW`` against an
unresolved signer counts as right; the lists are read as of today, as an item is read as of
its date), **wrong** when the parser gave another id (or an id to a
``RAW`` signer), and **unresolved** when the parser kept a known organisation raw (an editor
then picks it: not wrong) or did not find the signer at all. Goals: at least 95% right and at
most 1% wrong. ``--errors`` lists what is not right; ``--write`` replaces the "Understanding:
signatory lists" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from benchdoc import load_average, machine, replace_section

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "eval" / "signatories.jsonl"
HEADING = "Understanding: signatory lists"
GOAL_RIGHT, GOAL_WRONG = 0.95, 0.01


def _key(name: str) -> str:
    return " ".join(name.split()).rstrip(".").casefold()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--errors", action="store_true", help="list what is not right")
    args = parser.parse_args()
    from tribune.db.engine import Database
    from tribune.db.migrate import upgrade
    from tribune.kb.load import load_kb
    from tribune.understand.link import get_linker
    from tribune.understand.signatories import parse

    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/kb.db")
        upgrade(db)
        load_kb(db)
        linker = get_linker(db)
        db.dispose()
    outcome: Counter[str] = Counter()
    by_format: dict[str, Counter[str]] = {}
    errors = []
    for row in rows:
        found = {_key(s.name): s for s in parse(row["text"], linker, day=date.today())}
        for gold in row["signatories"]:
            mine = found.get(_key(gold["name"]))
            want = None if gold["id"] == "RAW" else gold["id"]
            if mine is None:
                verdict = "missed"
            elif mine.org_id == want:
                verdict = "right"
            elif mine.org_id is None:
                verdict = "unresolved"
            else:
                verdict = "wrong"
            outcome[verdict] += 1
            for fmt in row["formats"]:
                by_format.setdefault(fmt, Counter())[verdict] += 1
            if verdict != "right":
                got = "not found" if mine is None else (mine.org_id or "RAW")
                errors.append(f"{row['id']} {verdict}: {gold['name']!r} is {gold['id']}, got {got}")
    total = sum(outcome.values())
    right, wrong = outcome["right"] / total, outcome["wrong"] / total
    lines = [
        "| measure | value | goal | ratio to goal |",
        "| --- | --- | --- | --- |",
        f"| lists / signers (of them `RAW`) | {len(rows)} / {total} "
        f"({sum(g['id'] == 'RAW' for r in rows for g in r['signatories'])}) | – | – |",
        f"| **right** (the labelled id, or kept raw when `RAW`) | **{right:.1%}** "
        f"| ≥ {GOAL_RIGHT:.0%} | {right / GOAL_RIGHT:.2f}× "
        f"({'met' if right >= GOAL_RIGHT else 'MISSED'}) |",
        f"| **wrong** (another id) | **{wrong:.1%}** | ≤ {GOAL_WRONG:.0%} "
        f"| {'met' if wrong <= GOAL_WRONG else 'MISSED'} |",
        f"| unresolved (a known organisation kept raw for an editor) / not found by the parser "
        f"| {outcome['unresolved'] / total:.1%} / {outcome['missed'] / total:.1%} | – | – |",
        "| right per format | "
        + ", ".join(f"{f} {c['right'] / sum(c.values()):.0%}" for f, c in sorted(by_format.items()))
        + " | – | – |",
    ]
    table = "\n".join(lines)
    print(table)
    if args.errors:
        print("\n".join(errors))
    if args.write:
        replace_section(
            HEADING,
            f"`.venv/bin/python bench/signatories_quality.py --write` — {date.today()}, on "
            f"{machine()}; load average {load_average()}.\n\n{table}\n\n"
            "The lists (`eval/signatories.jsonl`) were written and labelled by someone who had "
            "not read the code, before the parser was written. Each list is parsed by "
            "`tribune.understand.signatories.parse` and every signer resolved through the "
            "entity linker of the packaged KB.",
        )


if __name__ == "__main__":
    main()

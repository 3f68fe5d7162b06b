"""How well the entity linker finds organisations: precision and recall on a gold file.

usage: .venv/bin/python bench/link_quality.py [--gold PATH] [--scorer PATH] [--kb-csv PATH]
                                              [--show-errors] [--write]

The real CLI path is measured: a fresh SQLite database in a temporary directory gets the
packaged KB (``tribune init``, ``tribune kb load``); the gold lines' ``{"text", "date",
"source_org"}`` are piped through ``tribune link --jsonl``; the scorer script (its docstring
gives the rules) compares the predicted mentions with the gold ones, counting only
organisations, with ``--kb`` telling it which ids the seed KB has. Its output is printed as is.

The dev set is not shipped with Tribune: the defaults point at ``../shared/eval`` beside the
repository. Targets: precision ≥ 0.97, recall ≥ 0.93. ``--write`` replaces the "Entity linker:
quality" section of docs/benchmarks.md with the command, date, scores and targets.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from benchdoc import ROOT, machine, make_db, replace_section, tribune

SHARED = ROOT.parent / "shared"
TARGET_PRECISION, TARGET_RECALL = 0.97, 0.93
_SCORE = re.compile(
    r"precision (?P<p>[\d.]+) recall (?P<r>[\d.]+) f1 (?P<f>[\d.]+) "
    r"\(tp (?P<tp>\d+) fp (?P<fp>\d+) fn (?P<fn>\d+), (?P<texts>\d+) texts\)"
)


def predict(gold: Path, predicted: Path, tmp: Path) -> None:
    """Link every gold text with ``tribune link --jsonl`` into *predicted* (one line each)."""
    url = make_db(tmp / "quality.db")
    lines = []
    for line in gold.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            keep = {k: record.get(k) for k in ("text", "date", "source_org")}
            lines.append(json.dumps(keep, ensure_ascii=False))
    done = tribune(url, "link", "--jsonl", stdin="\n".join(lines) + "\n", check=False)
    if done.stderr.strip():
        print(done.stderr.rstrip(), file=sys.stderr)
    out = done.stdout.splitlines()
    if len(out) != len(lines):
        sys.exit(f"tribune link --jsonl wrote {len(out)} lines for {len(lines)} texts")
    predicted.write_text("\n".join(out) + "\n", encoding="utf-8")


def score(args: argparse.Namespace, predicted: Path) -> str:
    """Run the scorer on the gold and predicted files; return its summary line."""
    command = [sys.executable, str(args.scorer), str(args.gold), str(predicted)]
    command += ["--kb", str(args.kb_csv)] + (["--show-errors"] if args.show_errors else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.stderr:
        print(done.stderr, end="", file=sys.stderr)
    if done.returncode != 0:
        sys.exit(f"the scorer failed ({done.returncode})")
    print(done.stdout, end="")
    return done.stdout.strip().splitlines()[-1]


def _shown(path: Path) -> str:
    """*path* relative to the repository root when it can be, as the commands are run there."""
    return os.path.relpath(path.resolve(), ROOT)


def section(summary: str, args: argparse.Namespace) -> str:
    """The "Entity linker: quality" section for a scorer summary line."""
    found = _SCORE.search(summary)
    command = " ".join([".venv/bin/python bench/link_quality.py", *sys.argv[1:]])
    lines = [
        f"`{command}` — {date.today().isoformat()}, on {machine()}.",
        "",
        f"Gold file `{_shown(args.gold)}` (the dev set is not shipped with Tribune). The texts go "
        "through `tribune link --jsonl` on a fresh SQLite database with the packaged KB; "
        f"`{_shown(args.scorer)} --kb {_shown(args.kb_csv)}` scores the organisation mentions.",
        "",
        "```text",
        summary,
        "```",
    ]
    if found:
        p, r = float(found["p"]), float(found["r"])
        lines += [
            "",
            "| measure | value | target | ratio to target |",
            "| --- | --- | --- | --- |",
            f"| precision | {p:.3f} | ≥ {TARGET_PRECISION} | {_ratio(p, TARGET_PRECISION)} |",
            f"| recall | {r:.3f} | ≥ {TARGET_RECALL} | {_ratio(r, TARGET_RECALL)} |",
            f"| F1 | {float(found['f']):.3f} | – | – |",
            f"| tp / fp / fn | {found['tp']} / {found['fp']} / {found['fn']} "
            f"({found['texts']} texts) | – | – |",
        ]
    return "\n".join(lines)


def _ratio(value: float, target: float) -> str:
    return f"{value / target:.3f}× ({'met' if value >= target else 'MISSED'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=SHARED / "eval" / "dev" / "mentions.jsonl")
    parser.add_argument("--scorer", type=Path, default=SHARED / "eval" / "score_link.py")
    parser.add_argument("--kb-csv", type=Path, default=SHARED / "kb" / "organizations.csv")
    parser.add_argument("--show-errors", action="store_true", help="list every error")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    for label, path in (("gold file", args.gold), ("scorer", args.scorer), ("KB", args.kb_csv)):
        if not path.is_file():
            sys.exit(
                f"{label} {path} not found: the dev set and its scorer are not shipped with "
                "Tribune; pass --gold, --scorer and --kb-csv to point at them"
            )
    with tempfile.TemporaryDirectory(prefix="tribune-quality-") as tmp_dir:
        tmp = Path(tmp_dir)
        predicted = tmp / "predicted.jsonl"
        predict(args.gold, predicted, tmp)
        summary = score(args, predicted)
    if args.write:
        replace_section("Entity linker: quality", section(summary, args))
        print("updated docs/benchmarks.md")


if __name__ == "__main__":
    main()

"""Document kinds: macro-F1 of the rules, the classifier and both, on the held-out labelled texts.

usage: .venv/bin/python bench/kinds_quality.py [--write] [--errors]

The labelled set is ``eval/kinds.jsonl`` (written and labelled before the rules were tuned; see
``eval/README.md``). The classifier is trained on its ``train`` part exactly as the package
trains it (:func:`tribune.understand.kind_model.train`, fixed seed), and everything is scored
on its ``test`` part, which the package does not hold. Rules alone: the kind with the highest
cue score, and no guess (counted wrong) where no cue fires. Macro-F1 over the eleven kinds
(scikit-learn's ``f1_score``, ``average="macro"``), then per language and per kind for the
combination, which is what Tribune proposes. ``--errors`` lists the misclassified texts;
``--write`` replaces the "Understanding: document kinds" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from datetime import date
from pathlib import Path

from sklearn.metrics import f1_score

from benchdoc import load_average, machine, replace_section
from tribune.understand.kind_model import Example, probabilities, train
from tribune.understand.kinds import KINDS, guess_kind, rule_scores

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "eval" / "kinds.jsonl"
HEADING = "Understanding: document kinds"


def macro(gold: list[str], guessed: list[str]) -> float:
    return float(f1_score(gold, guessed, labels=list(KINDS), average="macro", zero_division=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--errors", action="store_true", help="list the misclassified texts")
    args = parser.parse_args()
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line]
    train_rows = [r for r in rows if r["split"] == "train"]
    test_rows = [r for r in rows if r["split"] == "test"]
    started = time.perf_counter()
    model = train([Example(r["title"], r["text"], r["language"], r["kind"]) for r in train_rows])
    trained = time.perf_counter() - started
    gold = [r["kind"] for r in test_rows]
    by_rules, by_model, by_both = [], [], []
    for r in test_rows:
        scores, _ = rule_scores(r["title"], r["text"])
        by_rules.append(max(scores, key=lambda k: scores[k]) if scores else "none")
        learned = probabilities(r["title"], r["text"], model)
        by_model.append(max(learned, key=lambda k: learned[k]))
        guess = guess_kind(r["title"], r["text"], model=model)
        by_both.append(guess.kind if guess else "none")
    languages = sorted({r["language"] for r in test_rows})
    per_language = {
        lang: macro(
            [g for g, r in zip(gold, test_rows, strict=True) if r["language"] == lang],
            [b for b, r in zip(by_both, test_rows, strict=True) if r["language"] == lang],
        )
        for lang in languages
    }
    per_kind = f1_score(gold, by_both, labels=list(KINDS), average=None, zero_division=0)
    counts = Counter(r["kind"] for r in train_rows)
    lines = [
        "| measure | value |",
        "| --- | --- |",
        f"| labelled texts: train / test (the test part is not in the package) "
        f"| {len(train_rows)} / {len(test_rows)} |",
        "| languages (test texts each) | "
        + ", ".join(f"{lang} {sum(r['language'] == lang for r in test_rows)}" for lang in languages)
        + " |",
        f"| training texts per kind, min / max | {min(counts.values())} / {max(counts.values())} |",
        f"| macro-F1, rules alone (no cue: no guess) | {macro(gold, by_rules):.3f} |",
        f"| macro-F1, classifier alone | {macro(gold, by_model):.3f} |",
        f"| **macro-F1, rules and classifier (what Tribune proposes)** "
        f"| **{macro(gold, by_both):.3f}** |",
        f"| accuracy, rules and classifier | "
        f"{sum(g == b for g, b in zip(gold, by_both, strict=True)) / len(gold):.3f} |",
        "| macro-F1 per language, rules and classifier | "
        + ", ".join(f"{lang} {v:.2f}" for lang, v in per_language.items())
        + " |",
        "| F1 per kind, rules and classifier | "
        + ", ".join(f"{k} {v:.2f}" for k, v in zip(KINDS, per_kind, strict=True))
        + " |",
        f"| training time (one process) | {trained:.2f} s |",
    ]
    table = "\n".join(lines)
    print(table)
    if args.errors:
        for r, g, b in zip(test_rows, gold, by_both, strict=True):
            if g != b:
                print(f"{r['id']}: {g} guessed {b}: {r['title']}")
    if args.write:
        replace_section(
            HEADING,
            f"`.venv/bin/python bench/kinds_quality.py --write` — {date.today()}, on {machine()}; "
            f"load average {load_average()}.\n\n{table}\n\n"
            "The labelled set (`eval/kinds.jsonl`) was written and labelled by someone who had "
            "not read the code, before the cue rules were run on it; its `test` part (one text "
            "of each kind in each language) is held out: the package trains on the `train` "
            "part only (`tools/kinds_train.py`). The combination averages the rules' "
            "normalised cue scores with the classifier's probabilities "
            "(`tribune.understand.kinds`).",
        )


if __name__ == "__main__":
    main()

"""Story clustering: B-cubed precision, recall and F1 on the labelled items.

usage: .venv/bin/python bench/stories_quality.py [--write] [--errors]

The labelled set is ``eval/stories.jsonl``: 393 items in nine languages from two periods
(spring 2026, ids ``s-a-…``; autumn 2026, ``s-b-…``), each with its story (or none) and the
statement it is a language edition of. The items are linked with the packaged KB's linker
(as the pipeline does) and placed one by one, in the order they were published, by
:class:`tribune.understand.story_cluster.Clusterer`, exactly as the stories stage places them.

Clusters compared, for the labels and for the output alike: an item's story; an item in no
story is in one cluster with its editions (the same statement in other languages), or alone.
B-cubed (Bagga and Baldwin, 1998) scores each item by the share of its predicted cluster that
shares its label (precision) and the share of its labelled cluster found with it (recall),
averaged over items. Editions are scored apart too: precision and recall of the pairs
(edition, original) found. The thresholds were set on the spring half; the autumn half is
reported separately as the check. Goal: B-cubed F1 ≥ 0.85. ``--write`` replaces the
"Understanding: stories" section of docs/benchmarks.md; ``--errors`` prints the stories split
or merged.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from benchdoc import load_average, machine, replace_section

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "eval" / "stories.jsonl"
HEADING = "Understanding: stories"
GOAL = 0.85


def bcubed(gold: dict[str, str], guess: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of *guess* against *gold* (item -> cluster label)."""
    gold_members: dict[str, set[str]] = defaultdict(set)
    guess_members: dict[str, set[str]] = defaultdict(set)
    for item, label in gold.items():
        gold_members[label].add(item)
    for item, label in guess.items():
        guess_members[label].add(item)
    precision = recall = 0.0
    for item in gold:
        mine, theirs = guess_members[guess[item]], gold_members[gold[item]]
        both = len(mine & theirs)
        precision += both / len(mine)
        recall += both / len(theirs)
    precision, recall = precision / len(gold), recall / len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


def _gold(row: dict[str, Any]) -> str:
    if row["story"]:
        return f"story:{row['story']}"
    return f"statement:{row['edition_of'] or row['id']}"


def place(rows: list[dict[str, Any]]) -> dict[str, tuple[str, str | None]]:
    """Each item's predicted cluster label and the item it was made an edition of."""
    from tribune.db.engine import Database
    from tribune.db.migrate import upgrade
    from tribune.kb.load import load_kb
    from tribune.understand.link import get_linker
    from tribune.understand.story_cluster import Clusterer
    from tribune.understand.story_docs import Rarity, make_doc

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/kb.db")
        upgrade(db)
        load_kb(db)
        linker = get_linker(db)
        db.dispose()
    docs, ids = [], {}
    for n, row in enumerate(sorted(rows, key=lambda r: (r["published"], r["id"]))):
        when = datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
        org = linker.lexicon.orgs.get(row["org_id"])
        publisher = [row["org_id"]] + ([org.parent_id] if org and org.parent_id else [])
        text = f"{row['title']}\n\n{row['text']}"
        found = linker.link(text, date=when.date(), source_org=row["org_id"] if org else None)
        docs.append(
            make_doc(
                n,
                org=row["org_id"],
                language=row["language"],
                when=when,
                title=row["title"],
                text=row["text"],
                entities=[(m.type, m.id) for m in found if m.id],
                publisher=publisher,
            )
        )
        ids[n] = row["id"]
    clusterer = Clusterer(Rarity(docs))
    for doc in docs:
        clusterer.add(doc)
    out: dict[str, tuple[str, str | None]] = {}
    for p in clusterer.placed():
        label = (
            f"story:{p.story}"
            if p.story is not None
            else f"statement:{ids[p.edition_of] if p.edition_of is not None else ids[p.key]}"
        )
        out[ids[p.key]] = (label, ids[p.edition_of] if p.edition_of is not None else None)
    return out


def _editions(rows: list[dict[str, Any]], placed: dict[str, tuple[str, str | None]]) -> str:
    want = {(r["id"], r["edition_of"]) for r in rows if r["edition_of"]}
    part = {r["id"] for r in rows}
    got = {(k, v[1]) for k, v in placed.items() if v[1] and k in part}
    hit = len(want & got)
    return f"{hit / len(got):.3f} / {hit / len(want):.3f}" if got and want else "–"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--errors", action="store_true", help="print split and merged stories")
    args = parser.parse_args()
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines() if line]
    placed = place(rows)
    lines = [
        "| items | count | B-cubed precision | recall | **F1** (goal ≥ 0.85) "
        "| editions found: precision / recall |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, part in (
        ("spring (thresholds set here)", [r for r in rows if r["id"].startswith("s-a-")]),
        ("autumn (check)", [r for r in rows if r["id"].startswith("s-b-")]),
        ("all", rows),
    ):
        gold = {r["id"]: _gold(r) for r in part}
        guess = {r["id"]: placed[r["id"]][0] for r in part}
        p, r, f = bcubed(gold, guess)
        ok = "met" if f >= GOAL else "MISSED"
        lines.append(
            f"| {name} | {len(part)} | {p:.3f} | {r:.3f} | **{f:.3f}** ({ok}) "
            f"| {_editions(part, placed)} |"
        )
    table = "\n".join(lines)
    print(table)
    if args.errors:
        by_gold: dict[str, Counter[str]] = defaultdict(Counter)
        for row in rows:
            by_gold[_gold(row)][placed[row["id"]][0]] += 1
        for label, spread in sorted(by_gold.items()):
            if len(spread) > 1:
                print(f"split {label}: {dict(spread)}")
        by_guess: dict[str, Counter[str]] = defaultdict(Counter)
        for row in rows:
            by_guess[placed[row["id"]][0]][_gold(row)] += 1
        for label, spread in sorted(by_guess.items()):
            if len(spread) > 1:
                print(f"merged {label}: {dict(spread)}")
    if args.write:
        replace_section(
            HEADING,
            f"`.venv/bin/python bench/stories_quality.py --write` — {date.today()}, on "
            f"{machine()}; load average {load_average()}.\n\n{table}\n\n"
            "The items (`eval/stories.jsonl`) were written and labelled by someone who had not "
            "read the code, before the clustering was written. Each item is linked with the "
            "packaged KB and placed online, in publication order, by the stories stage's "
            "`Clusterer`. An item in no story counts as one cluster with its language editions.",
        )


if __name__ == "__main__":
    main()

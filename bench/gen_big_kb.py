"""Write a knowledge base ten times larger than an exported one, for the linker build benchmark.

usage: gen_big_kb.py SOURCE_DIR TARGET_DIR [--copies 9] [--seed N]

SOURCE_DIR holds the six CSV files of ``tribune kb export``. TARGET_DIR gets the same files with,
for every organisation (organizations.csv, world_parties.csv) and every name (org_names.csv),
the original plus ``copies`` synthetic copies. Copy *k* of an organisation gets a new id
(``<id>-x<k>``; world parties ``pf-<partyfacts_id + k * offset>``, with the Party Facts id moved
by the same offset), and every name of the copy is perturbed deterministically: full names get a
generated proper noun appended ("Communist Party of Greece Varenko"), acronyms a suffix letter
("KKEC"). Parents, seed_id merges and Party Facts ids are mapped the same way, so the files pass
the loader's validation: ids and Party Facts ids stay unique, countries are the originals', name
periods are copied unchanged. People, roles and events are kept as they are.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

_PF = re.compile(r"pf-(\d+)")
_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "tr", "st")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou")
_CODAS = ("", "", "", "n", "r", "s", "l", "k")
_SUFFIX = "BCDFGHJKLMNPQRSTVWXZ"

Row = dict[str, str]


def _read(path: Path) -> tuple[list[str], list[Row]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, columns: list[str], rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


class _Copier:
    """Ids, Party Facts ids and names of copy *k*, the same wherever they appear."""

    def __init__(self, offset: int, seed: int) -> None:
        self.offset = offset
        self.rng = random.Random(seed)
        self.words: dict[tuple[int, str], str] = {}
        self.used: set[str] = set()

    def _new_word(self) -> str:
        while True:
            syllables = self.rng.randrange(2, 4)
            word = "".join(
                self.rng.choice(_ONSETS) + self.rng.choice(_VOWELS) for _ in range(syllables)
            )
            word = (word + self.rng.choice(_CODAS)).capitalize()
            if word not in self.used:
                self.used.add(word)
                return word

    def org_id(self, org_id: str, k: int) -> str:
        if not org_id:
            return org_id
        pf = _PF.fullmatch(org_id)
        return f"pf-{int(pf.group(1)) + k * self.offset}" if pf else f"{org_id}-x{k}"

    def pf_id(self, value: str, k: int) -> str:
        return str(int(value) + k * self.offset) if value.strip() else value

    def name(self, text: str, org_id: str, k: int) -> str:
        """A full name of copy *k* of *org_id*: the original with the copy's own word appended."""
        if not text.strip():
            return text
        word = self.words.get((k, org_id))
        if word is None:
            word = self.words[(k, org_id)] = self._new_word()
        return f"{text} {word}"

    @staticmethod
    def acronym(text: str, k: int) -> str:
        return f"{text}{_SUFFIX[k % len(_SUFFIX)]}" if text.strip() else text


def _split_map(value: str, sep: str, fn: Callable[[str], str]) -> str:
    return sep.join(fn(part) for part in value.split(sep)) if value else value


def _org_copy(c: _Copier, row: Row, k: int) -> Row:
    oid = row["id"]
    return row | {
        "id": c.org_id(oid, k),
        "name_en": c.name(row["name_en"], oid, k),
        "native_name": c.name(row["native_name"], oid, k),
        "acronyms": _split_map(row["acronyms"], "|", lambda a: c.acronym(a, k)),
        "acronyms_uncertain": _split_map(row["acronyms_uncertain"], "|", lambda a: c.acronym(a, k)),
        "parent": c.org_id(row["parent"], k),
        "partyfacts_id": c.pf_id(row["partyfacts_id"], k),
    }


def _party_copy(c: _Copier, row: Row, k: int) -> Row:
    oid = row["seed_id"] or row["id"]  # a merged party shares its seed organisation's word

    def full(text: str) -> str:
        return c.name(text, oid, k)

    return row | {
        "id": c.org_id(row["id"], k),
        "partyfacts_id": c.pf_id(row["partyfacts_id"], k),
        "name_short": c.acronym(row["name_short"], k),
        "name": full(row["name"]),
        "name_english": _split_map(row["name_english"], " / ", full),
        "name_native": full(row["name_native"]),
        "name_other": _split_map(row["name_other"], " / ", full),
        "seed_id": c.org_id(row["seed_id"], k),
    }


def _name_copy(c: _Copier, row: Row, k: int) -> Row:
    oid = row["org_id"]
    new = c.acronym(row["name"], k) if row["kind"] == "acronym" else c.name(row["name"], oid, k)
    return row | {"org_id": c.org_id(oid, k), "name": new}


def make_big_kb(source: Path, target: Path, *, copies: int = 9, seed: int = 7) -> dict[str, int]:
    """Write the enlarged KB into *target*; return the row count of each file written."""
    target.mkdir(parents=True, exist_ok=True)
    org_cols, orgs = _read(source / "organizations.csv")
    wp_cols, parties = _read(source / "world_parties.csv")
    name_cols, names = _read(source / "org_names.csv")
    pf_ids = [int(r["partyfacts_id"]) for r in orgs + parties if r["partyfacts_id"].strip()]
    offset = 10 ** len(str(max(pf_ids, default=0)))
    if (copies + 1) * offset >= 10**9:
        raise SystemExit("too many copies: Party Facts ids would not fit nine digits")
    c = _Copier(offset, seed)
    out_orgs, out_parties, out_names = list(orgs), list(parties), list(names)
    for k in range(1, copies + 1):
        out_orgs += [_org_copy(c, row, k) for row in orgs]
        out_parties += [_party_copy(c, row, k) for row in parties]
        out_names += [_name_copy(c, row, k) for row in names]
    _write(target / "organizations.csv", org_cols, out_orgs)
    _write(target / "world_parties.csv", wp_cols, out_parties)
    _write(target / "org_names.csv", name_cols, out_names)
    for name in ("people.csv", "roles.csv", "events.csv"):
        shutil.copyfile(source / name, target / name)
    return {
        "organizations.csv": len(out_orgs),
        "world_parties.csv": len(out_parties),
        "org_names.csv": len(out_names),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="directory written by `tribune kb export`")
    parser.add_argument("target", type=Path, help="directory to write the enlarged KB into")
    parser.add_argument("--copies", type=int, default=9, help="synthetic copies per organisation")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for file, count in make_big_kb(
        args.source, args.target, copies=args.copies, seed=args.seed
    ).items():
        print(f"{file}: {count} rows")


if __name__ == "__main__":
    main()

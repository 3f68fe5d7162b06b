"""An index of long organisation names for fuzzy matching, blocked by word prefixes.

Fuzzy matching compares a stretch of text with a few names, not with all of them: names are
indexed by the first four letters of each word, and only names sharing a not-too-common prefix
with the stretch are compared. A typo rarely falls in the first four letters of every word.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tribune.understand.lexicon import Candidate

MIN_WORDS = 3
MIN_CHARS = 15
MAX_POSTING = 400  # prefixes shared by more names than this ("comm", "part") do not block
# First letters of the words that organisation names are made of ("party", "communist",
# "workers", "union", ...): fuzzy matching looks only at stretches holding one, and only at
# names holding one.
TRIGGERS = frozenset("part comm comu komm komu work labo soci unio fron yout leag kome".split())


class FuzzyIndex:
    def __init__(self, entries: list[tuple[str, tuple[Candidate, ...]]]) -> None:
        self.names: list[tuple[str, tuple[Candidate, ...]]] = []
        self.sizes: list[int] = []  # words in each name
        postings: dict[str, list[int]] = defaultdict(list)
        for key, cands in entries:
            orgs = tuple(c for c in cands if c.type == "org" and not c.acronym and not c.generic)
            if not orgs or len(key) < MIN_CHARS or key.count(" ") + 1 < MIN_WORDS:
                continue
            prefixes = {w[:4] for w in key.split() if len(w) >= 3}
            if prefixes.isdisjoint(TRIGGERS):
                continue
            index = len(self.names)
            self.names.append((key, orgs))
            self.sizes.append(key.count(" ") + 1)
            for prefix in prefixes:
                postings[prefix].append(index)
        self.postings = {p: ids for p, ids in postings.items() if len(ids) <= MAX_POSTING}

    def candidates(self, words: list[str]) -> set[int]:
        found: set[int] = set()
        for word in words:
            found.update(self.postings.get(word[:4], ()))
        return found

"""Text normalisation for matching, with a map back to the original character offsets.

The linker matches names against a *normalised* copy of the text: lower-cased, diacritics and
typographic variants folded, and every run of non-word characters (spaces, punctuation, quotes,
dashes, line breaks) collapsed to one space, with a space added at both ends. A name is normalised
the same way and searched with a space on each side, so one Aho-Corasick pass finds whole words
only, whatever punctuation or spacing the text uses ("Workers’ Party", "Workers' Party" and
"Workers Party" all become ``workers party``).

Folding is one character to one character, so only the collapsing of runs moves offsets; those
moves are recorded in a short table and mapped back with a binary search.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

_NON_WORD = re.compile(r"[\W_]+")
_SPACE_RUNS = re.compile(r" {2,}")


def _fold_char(ch: str, lower: bool = True) -> str:
    """One character folded to one character: no diacritics (and lower case); non-word -> " "."""
    if not ch.isalnum():
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    out = (base or ch).lower() if lower else (base or ch)
    return out[0] if out else " "


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that computes and remembers each character's fold."""

    def __init__(self, lower: bool) -> None:
        super().__init__({i: _fold_char(chr(i), lower) for i in range(128)})
        self.lower = lower

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code), self.lower)
        self[code] = folded
        return folded


_FOLD_CASED = _FoldTable(lower=False)


def fold_chars(text: str) -> str:
    """Fold character by character: lower case, no diacritics, every non-word character a
    space. The length never changes: "İ", the one character whose lower case is two, has lost
    its dot in the table before ``lower()`` runs."""
    return text.translate(_FOLD_CASED).lower()


def fold_cased(text: str) -> str:
    """Fold diacritics and punctuation but keep case: how acronyms are compared ("CPI(M)")."""
    return " ".join(text.translate(_FOLD_CASED).split())


def normalise_text(text: str) -> str:
    """A text folded as names are (:func:`normalise_name`), for texts that are not names: not
    remembered, so whole articles never crowd the names out of the cache."""
    return _NON_WORD.sub(" ", fold_chars(text)).strip()


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """The key a name is indexed under: folded, words separated by single spaces."""
    return normalise_text(name)


class NormalisedText:
    """A text's normalised form and the way back to original offsets.

    ``norm`` starts and ends with a space. :meth:`to_original` maps an offset in ``norm`` to the
    offset in the original text; for a match of key ``" name "`` ending (exclusive) at ``e`` in
    ``norm``, the original span is ``to_original(e - len(key) + 1)`` to
    ``to_original(e - 1)``, since spans end after a word character that was never collapsed.
    """

    __slots__ = ("_marks", "_shifts", "cased", "norm", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        cased = " " + text.translate(_FOLD_CASED) + " "
        marks: list[int] = [0]
        shifts: list[int] = [-1]  # original = norm + shift; the leading pad moves by one
        keep: list[tuple[int, int]] = []
        last = removed = 0
        for m in _SPACE_RUNS.finditer(cased):
            start, end = m.span()
            keep.append((last, start + 1))
            removed += end - start - 1
            last = end
            marks.append(end - removed)
            shifts.append(removed - 1)
        keep.append((last, len(cased)))
        # the text with its case kept, where acronyms are matched; and lower-cased
        self.cased = "".join([cased[a:b] for a, b in keep])
        self.norm = self.cased.lower()
        self._marks = marks
        self._shifts = shifts

    def to_original(self, pos: int) -> int:
        """The original offset of normalised offset ``pos``."""
        i = bisect_right(self._marks, pos) - 1
        return max(0, min(len(self.text), pos + self._shifts[i]))

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

_NON_WORD = re.compile(r"[\W_]+")
_SPACE_RUNS = re.compile(r" {2,}")


def _fold_char(ch: str) -> str:
    """One character folded to one character: lower case, no diacritics; non-word -> space."""
    if not ch.isalnum():
        return " "
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    low = (base or ch).lower()
    return low[0] if low else " "


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that computes and remembers each character's fold."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD = _FoldTable({i: chr(i).lower() for i in range(128)})


def fold_chars(text: str) -> str:
    """Lower-case and fold diacritics character by character; the length never changes."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD)


def fold_cased(text: str) -> str:
    """Fold diacritics and punctuation but keep case: how acronyms are compared ("CPI(M)")."""
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return _NON_WORD.sub(" ", text).strip()


def normalise_name(name: str) -> str:
    """The key a name is indexed under: folded, words separated by single spaces."""
    return _NON_WORD.sub(" ", fold_chars(name)).strip()


def _spaces(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


class NormalisedText:
    """A text's normalised form and the way back to original offsets.

    ``norm`` starts and ends with a space. :meth:`to_original` maps an offset in ``norm`` to the
    offset in the original text; for a match of key ``" name "`` ending (exclusive) at ``e`` in
    ``norm``, the original span is ``to_original(e - len(key) + 1)`` to
    ``to_original(e - 1)``, since spans end after a word character that was never collapsed.
    """

    __slots__ = ("_marks", "_shifts", "norm", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        padded = " " + _NON_WORD.sub(_spaces, fold_chars(text)) + " "
        marks: list[int] = [0]
        shifts: list[int] = [-1]  # original = norm + shift; the leading pad moves by one
        pieces: list[str] = []
        last = removed = 0
        for m in _SPACE_RUNS.finditer(padded):
            start, end = m.span()
            pieces.append(padded[last : start + 1])
            removed += end - start - 1
            last = end
            marks.append(end - removed)
            shifts.append(removed - 1)
        pieces.append(padded[last:])
        self.norm = "".join(pieces)
        self._marks = marks
        self._shifts = shifts

    def to_original(self, pos: int) -> int:
        """The original offset of normalised offset ``pos``."""
        i = bisect_right(self._marks, pos) - 1
        return max(0, min(len(self.text), pos + self._shifts[i]))

"""What kind of document an item is: a statement, a joint statement, an interview, ...

Two opinions are combined:

- **rules**: cue phrases in the title and the opening sentences (:mod:`kind_rules`), the title
  weighing twice the opening. They are precise when they fire and say nothing otherwise.
- **a light classifier**: character n-grams (2 to 4, within words, so it reads inflected forms
  in any script) of the title and the opening, weighted by TF-IDF, and a logistic regression
  (:mod:`tribune.understand.kind_model`), trained on the labelled texts shipped with the
  package with a fixed seed.

The guess is the kind with the highest average of the two distributions (the rules' scores
normalised to sum to one, with no cue meaning no opinion). Its confidence is that average.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from tribune.understand.kind_rules import CUES, WEIGHTS
from tribune.understand.textnorm import normalise_name, normalise_text

KINDS = (
    "statement", "joint-statement", "interview", "article", "condolence", "greeting",
    "parliamentary", "campaign", "event-report", "meeting-document", "news",
)  # fmt: skip
VERSION = "kinds-1"
OPENING_CHARS = 400  # the opening sentences read, besides the title
TITLE_WEIGHT, OPENING_WEIGHT = 2.0, 1.0
RULES_SHARE = 0.5  # of the combined opinion, when both have one


@dataclass(frozen=True)
class KindGuess:
    kind: str
    confidence: float
    evidence: str  # the cues found, or "classifier"


def opening(title: str, text: str) -> tuple[str, str]:
    """The parts of an item a kind is read from: its title and the start of its text."""
    return title.strip(), text.strip()[:OPENING_CHARS]


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    """One regex per kind over folded text padded with spaces: `` cue `` or `` cue\\w*``."""
    out = {}
    for kind, cues in CUES.items():
        parts = []
        for cue in cues:
            prefix = cue.endswith("*")
            folded = normalise_name(cue.rstrip("*"))
            if folded:
                parts.append(re.escape(folded) + (r"\w*" if prefix else "") + "(?= )")
        out[kind] = re.compile(" (" + "|".join(sorted(set(parts), key=len, reverse=True)) + ")")
    return out


def _cues_in(folded: str) -> dict[str, set[str]]:
    padded = f" {folded} "
    return {
        kind: found
        for kind, pattern in _patterns().items()
        if (found := {m.group(1) for m in pattern.finditer(padded)})
    }


def rule_scores(title: str, text: str) -> tuple[dict[str, float], list[str]]:
    """Each kind's cue score (distinct cues, weighted by where they stand and by the kind's
    weight), and the cues found, for the evidence."""
    head, start = opening(title, text)
    scores: dict[str, float] = {}
    evidence: list[str] = []
    for part, weight in ((head, TITLE_WEIGHT), (start, OPENING_WEIGHT)):
        for kind, cues in _cues_in(normalise_text(part)).items():
            scores[kind] = scores.get(kind, 0.0) + weight * WEIGHTS[kind] * len(cues)
            evidence += [f"{kind}:{cue}" for cue in sorted(cues)]
    return scores, evidence


def guess_kind(title: str, text: str, *, model: Any = None) -> KindGuess | None:
    """The kind of a document from its title and opening, or None with nothing to go on.
    *model*: a classifier of :mod:`kind_model` (default: the one trained on the packaged
    texts)."""
    return guess_kinds([(title, text)], model=model)[0]


def guess_kinds(texts: Sequence[tuple[str, str]], *, model: Any = None) -> list[KindGuess | None]:
    """:func:`guess_kind` for many (title, text) pairs, the classifier run once for all."""
    from tribune.understand.kind_model import probabilities_of

    return [
        _combine(*rule_scores(title, text), learned)
        for (title, text), learned in zip(texts, probabilities_of(texts, model), strict=True)
    ]


def _combine(
    scores: dict[str, float], evidence: list[str], learned: dict[str, float]
) -> KindGuess | None:
    total = sum(scores.values())
    rules = {k: v / total for k, v in scores.items()} if total else {}
    if not rules and not learned:
        return None
    if rules and learned:
        combined = {
            k: RULES_SHARE * rules.get(k, 0.0) + (1 - RULES_SHARE) * learned.get(k, 0.0)
            for k in KINDS
        }
    else:
        combined = {k: (rules or learned).get(k, 0.0) for k in KINDS}
    kind = max(KINDS, key=lambda k: (combined[k], -KINDS.index(k)))
    cues = [e.split(":", 1)[1] for e in evidence if e.startswith(kind + ":")]
    said = ", ".join(dict.fromkeys(cues)) if cues else "classifier"
    return KindGuess(kind, round(combined[kind], 3), said[:400])

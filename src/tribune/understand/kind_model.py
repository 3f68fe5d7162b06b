"""The light classifier of document kinds: TF-IDF character n-grams and a logistic regression
(fitted by stochastic gradient descent).

It is trained from the labelled texts shipped with the package (``data/kinds/train.jsonl``: the
``train`` part of the project's labelled set, written there by ``tools/kinds_train.py``), on
first use in each process, with a fixed seed: the same data always gives the same model, and
no trained binary is kept anywhere. Training takes well under a second.

The input is the title and the opening, folded as the linker folds text (lower case, no
diacritics), so the n-grams see "declaracion" whatever the accents. Character n-grams within
words (``char_wb``, 2 to 4) read inflected forms and every script without a tokenizer per
language.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from tribune.understand.textnorm import normalise_text

SEED = 20261128
TRAINING_FILE = "kinds/train.jsonl"


@dataclass(frozen=True)
class Example:
    title: str
    text: str
    language: str
    kind: str


def features(title: str, text: str) -> str:
    """What the classifier reads: the folded title (twice: it says most) and opening."""
    from tribune.understand.kinds import opening

    head, start = opening(title, text)
    head = normalise_text(head)
    return f"{head} | {head} | {normalise_text(start)}"


def read_examples(lines: Iterable[str]) -> list[Example]:
    """Labelled texts from JSON Lines with ``title``, ``text``, ``language`` and ``kind``."""
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(Example(row["title"], row["text"], row.get("language", ""), row["kind"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"line {n}: not a labelled text ({exc})") from None
    return out


def train(examples: Sequence[Example]) -> Any:
    """A fitted scikit-learn pipeline over :func:`features`."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import make_pipeline

    # a logistic regression fitted by stochastic gradient descent: as good as lbfgs here in a
    # 4-fold cross-validation of the training texts (macro-F1 0.55 against 0.51) and five
    # times faster to train (0.5 s), which every process that classifies pays once
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=1),
        SGDClassifier(loss="log_loss", alpha=1e-4, max_iter=50, tol=None, random_state=SEED),
    )
    model.fit([features(e.title, e.text) for e in examples], [e.kind for e in examples])
    return model


_TRAINING = threading.Lock()


def _packaged() -> Any:
    """The model trained on the packaged texts, or None when the package holds none.

    Trained once per process: a second thread asking meanwhile waits for the first's model.
    """
    with _TRAINING:
        return _trained_packaged()


def warm() -> None:
    """Train the packaged model now (importing scikit-learn with it, about 2 s), so that
    classifying later does not wait: a polling round calls this on a thread of its own while
    its sources are fetched. A failure is left for the first classification to report."""
    with contextlib.suppress(Exception):  # raised again where the model is first used
        _packaged()


@cache
def _trained_packaged() -> Any:
    source = resources.files("tribune.data").joinpath(TRAINING_FILE)
    if not source.is_file():
        return None
    examples = read_examples(source.read_text(encoding="utf-8").splitlines())
    return train(examples) if len({e.kind for e in examples}) > 1 else None


def probabilities(title: str, text: str, model: Any = None) -> dict[str, float]:
    """Each kind's probability for a text, from *model* (default: the packaged one); empty
    when there is no model."""
    return probabilities_of([(title, text)], model)[0]


def probabilities_of(texts: Sequence[tuple[str, str]], model: Any = None) -> list[dict[str, float]]:
    """:func:`probabilities` for many (title, text) pairs at once (far cheaper per text)."""
    model = model if model is not None else _packaged()
    if model is None or not texts:
        return [{} for _ in texts]
    rows = model.predict_proba([features(title, text) for title, text in texts])
    kinds = [str(k) for k in model.classes_]
    return [dict(zip(kinds, map(float, row), strict=True)) for row in rows]

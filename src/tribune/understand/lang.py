"""The language a text is written in (py3langid), for the linker's context.

The model loads on first use (about half a second), so the linker asks only when a name stays
ambiguous after the stronger evidence. The first characters suffice: a language shows in a
sentence or two.
"""

from __future__ import annotations

from functools import cache
from typing import Any

SAMPLE_CHARS = 400
MIN_PROBABILITY = 0.7
PRIOR_WEIGHT = 5.0
_ENGLISH_MARKERS = (" the ", " and ", " of ", " to ", " is ")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, prior: str | None = None) -> str | None:
    """The ISO 639-1 code of the text's language, or None when the model is not sure.

    Plain English prose, the common case, is recognised by its function words without the
    model. ``prior`` is the language the feed or the source declares: it weighs
    :data:`PRIOR_WEIGHT` times its probability, so it decides a short or mixed text and loses
    only to a language the text clearly is.
    """
    sample = text[:SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return None
    lowered = sample.lower()
    if sum(lowered.count(marker) for marker in _ENGLISH_MARKERS) >= 4:
        return "en"
    if not prior:
        language, probability = _identifier().classify(sample)
        return str(language) if probability >= MIN_PROBABILITY else None
    prior = prior.lower()[:2]
    weighted = {
        str(lang): float(p) * (PRIOR_WEIGHT if lang == prior else 1.0)
        for lang, p in _identifier().rank(sample)
    }
    total = sum(weighted.values()) or 1.0
    language = max(weighted, key=lambda lang: weighted[lang])
    if language == prior or weighted[language] / total >= MIN_PROBABILITY:
        return language
    return None

"""People named by their title: "the General Secretary of the KKE", "KKE GS", "ο Γενικός
Γραμματέας της ΚΕ του ΚΚΕ", "Председатель ЦК КПРФ".

A title tied to an organisation the linker resolved (:func:`tribune.understand.roles.
role_phrases`) names whoever held that title there on the text's date, by the KB's ``roles``
(:attr:`Lexicon.holders`). The mention covers the title's words, so it never overlaps the
organisation's. It is made only where no name stands beside the title: "Dimitris Koutsoumbas,
General Secretary of the KKE" names him already, and an old article's "the General Secretary of
the KKE, Aleka Papariga" must not become today's holder. One holder on the date links with 0.8;
without a date, or with several holders on it, the linker abstains and lists them; nobody on the
date (the KB does not know the term) gives no mention.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tribune.understand.lexicon import Lexicon
from tribune.understand.mention import Mention
from tribune.understand.roles import person_beside, role_phrases
from tribune.understand.titles import fold_spans

CONFIDENCE = 0.8
# how far from an organisation of the KB's roles a title is looked for: the longest title and
# the longest gap between a title and its organisation (titles.gap_after_title) fit
NEAR = 100


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def role_references(
    lexicon: Lexicon, text: str, day: date | None, mentions: Sequence[Mention]
) -> list[Mention]:
    """Person mentions for the titles of *text* that name a holder of the KB."""
    if not lexicon.holders:
        return []
    with_roles = {org_id for org_id, _key in lexicon.holders}
    near = [
        (max(0, m.start - NEAR), min(len(text), m.end + NEAR))
        for m in mentions
        if m.type == "org" and m.id in with_roles
    ]
    if not near:
        return []  # the common case costs one pass over the mentions
    spans = _merged(near)
    # the checks around a phrase read a little further back than the title search
    folded = fold_spans(text, _merged([(max(0, s - 40), e) for s, e in spans]))
    out: list[Mention] = []
    for phrase in role_phrases(text, folded, mentions, spans):
        holders = lexicon.holders.get((str(phrase.org.id), phrase.title.key), ())
        if not holders or person_beside(text, folded, phrase, mentions) is not None:
            continue
        if day is None:
            found = sorted({h.person_id for h in holders})
        else:
            found = sorted({h.person_id for h in holders if h.held_on(day)})
        title = phrase.title
        if len(found) == 1:
            out.append(
                Mention(title.start, title.end, title.surface, "person", found[0], CONFIDENCE)
            )
        elif found:
            out.append(
                Mention(title.start, title.end, title.surface, "person", None, 0.3, tuple(found))
            )
    return out

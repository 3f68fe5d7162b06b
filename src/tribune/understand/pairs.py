"""The text's own definitions: a name and its acronym written side by side.

"Communist Party of Greece (CPG)", "the PRCF (Pôle de Renaissance Communiste en France)",
"Brazilian Communist Party - PCB -", "the Communist Party (SKP)": the two sides name the same
organisation in this text. When one side is resolved, the other follows: an ambiguous side is
resolved if the organisation is among its candidates, an acronym the KB does not know becomes a
mention, and the acronym's other occurrences in the text are linked too.
"""

from __future__ import annotations

import re

from tribune.understand.lexicon import Lexicon
from tribune.understand.mention import Mention

_OPEN = r"[ \t\n]*(?:\(|\[|«|\"|“|-|–|—)[ \t]*"
_CLOSE = r"[ \t]*(?:\)|\]|»|\"|”|-|–|—|,|\.|;|:|$)"
_ACRONYM_AFTER = re.compile(_OPEN + r"(?P<acr>[A-Z][A-Za-z]{0,8}[A-Z])" + _CLOSE)
_CAPITALS = re.compile(r"[A-ZÀ-ÞΑ-ΩА-Я]")
_BETWEEN = re.compile(r"^[ \t\n]*(?:\(|\[|-|–|—)[ \t]*$")


def apply_pairs(lexicon: Lexicon, text: str, mentions: list[Mention]) -> list[Mention]:
    out = sorted(mentions, key=lambda m: m.start)
    aliases: dict[str, str] = {}
    # side by side: resolve one from the other
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.type != "org" or b.type != "org" or not _BETWEEN.match(text[a.end : b.start]):
            continue
        if a.id is not None and b.id is None and a.id in b.candidates:
            out[i + 1] = _resolved(b, a.id)
        elif b.id is not None and a.id is None and b.id in a.candidates:
            out[i] = _resolved(a, b.id)
        elif (
            a.id is not None
            and b.id is not None
            and a.id != b.id
            and lexicon.orgs[a.id].seed
            and not lexicon.orgs[b.id].seed
            and _is_acronym(b)
        ):
            # a stated definition beats a world-party reading of the acronym
            out[i + 1] = _resolved(b, a.id)
        if out[i].id is not None and out[i].id == out[i + 1].id and _is_acronym(out[i + 1]):
            aliases.setdefault(out[i + 1].surface, out[i].id or "")
    # an acronym the KB lacks, defined right after a linked name
    for m in list(out):
        if m.type != "org" or m.id is None or _is_acronym(m):
            continue
        match = _ACRONYM_AFTER.match(text, m.end)
        if match is None:
            continue
        acr = match.group("acr")
        start, end = match.span("acr")
        if any(start < o.end and o.start < end for o in out):
            continue
        known = lexicon.acronyms.get(acr, set())
        if any(lexicon.orgs[k].seed for k in known if k != m.id and k in lexicon.orgs):
            continue  # the acronym belongs to another organisation of the network
        out.append(Mention(start, end, acr, "org", m.id, 0.8))
        aliases.setdefault(acr, m.id)
    if aliases:
        out = _link_aliases(text, out, aliases)
    return out


def _is_acronym(m: Mention) -> bool:
    """ "KKE", "PCdoB", "CPI(M)": one word with two capitals or more."""
    return " " not in m.surface and len(_CAPITALS.findall(m.surface)) >= 2


def _resolved(m: Mention, org_id: str) -> Mention:
    return Mention(m.start, m.end, m.surface, "org", org_id, 0.8)


def _link_aliases(text: str, mentions: list[Mention], aliases: dict[str, str]) -> list[Mention]:
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in aliases) + r")\b")
    by_span = {(m.start, m.end): i for i, m in enumerate(mentions)}
    out = list(mentions)
    for match in pattern.finditer(text):
        span = match.span()
        org_id = aliases[match.group(1)]
        i = by_span.get(span)
        if i is not None:
            m = out[i]
            if m.id is None and org_id in m.candidates:
                out[i] = Mention(m.start, m.end, m.surface, "org", org_id, 0.75)
            continue
        if not any(span[0] < o.end and o.start < span[1] for o in out):
            out.append(Mention(span[0], span[1], match.group(1), "org", org_id, 0.75))
    return out

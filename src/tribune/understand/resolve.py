"""Turning candidate spans into mentions: span selection, context, disambiguation.

See :mod:`tribune.understand.link` for the method as a whole.
"""

from __future__ import annotations

import re
from datetime import date

from tribune.understand.context import MARGIN, Context
from tribune.understand.fuzzy import find_event_mentions, fuzzy_org_spans, typo_acronyms
from tribune.understand.lexicon import Candidate, Lexicon, OrgInfo
from tribune.understand.mention import Mention
from tribune.understand.pairs import apply_pairs
from tribune.understand.role_refs import role_references
from tribune.understand.spans import Span, find_spans

# Capitalised words that may stand before a name without being part of it.
_FUNCTION_WORDS = frozenset(
    """the a an of and or to for from with by on in at as via about against between under
    dear our their its his her this that these those message statement greetings
    solidarity support salute congratulations condolences letter appeal declaration call
    el la los las del de do da dos das di della il le les du des der die das den und
    y e o i à al au aux en et""".split()
)
# Nouns that begin organisation names: "Party of <...>" is another name than "<...>".
_ORG_HEADS = frozenset(
    """party union league front movement federation organisation organization alliance
    coalition pole initiative bloc partido partito parti partei partit
    partia""".split()
)
_MANY = 8
_CONNECTORS = frozenset(
    "of the de di du da do des del della dels la le les el i y e and und der".split()
)
# the word before a position, read backwards: separator, then the word (ending in a letter)
_BEFORE_REVERSED = re.compile(r"(-|[ \t]*[”\"»’'][ \t]*|[ \t]+)([\w'’]*[^\W\d_])")
_EXTENSION_AFTER = re.compile(r"[ \t]*\((?P<inner>[^()\n]{2,60})\)")


def resolve(lexicon: Lexicon, text: str, day: date | None, source: OrgInfo | None) -> list[Mention]:
    org_spans, other = find_spans(lexicon, text, day)
    extended = {(s.start, s.end): _is_extended(text, s, lexicon) for s in org_spans}
    ctx = Context(lexicon, source=source, text=text)
    for s in other:
        for c in s.candidates:
            if c.type == "country":
                ctx.countries_named.add(c.id)
                ctx.country_spans.append((s.start, s.end, c.id))
    # first pass: organisations the text names without ambiguity
    for s in org_spans:
        ids = {c.id for c in s.candidates if c.type == "org" and _self_sufficient(lexicon, c, s)}
        if len(ids) == 1 and not extended[(s.start, s.end)]:
            (org_id,) = ids
            ctx.orgs_sure.add(org_id)
            country = lexicon.orgs[org_id].country
            if country:
                ctx.countries_implied.add(country)

    mentions = [_resolve_org(ctx, text, s, extended[(s.start, s.end)]) for s in org_spans]
    mentions = _add_fuzzy(lexicon, text, day, mentions)
    mentions = apply_pairs(lexicon, text, mentions)
    taken = [(m.start, m.end) for m in mentions]
    mentions += typo_acronyms(lexicon, text, mentions, taken)
    for s in other:
        country_or_person = [c for c in s.candidates if c.type != "org"]
        found = sorted({c.id for c in country_or_person})
        kind = country_or_person[0].type
        surface = text[s.start : s.end]
        if len(found) == 1:
            mentions.append(Mention(s.start, s.end, surface, kind, found[0], 0.9))
        else:
            mentions.append(Mention(s.start, s.end, surface, kind, None, 0.3, tuple(found)))
    events = find_event_mentions(lexicon, text, mentions)
    if events:
        # an abstention inside an event's name ("Communist" in "...of Communist and Workers'
        # Parties") gives way to the event
        mentions = [
            m
            for m in mentions
            if m.id is not None or not any(e.start < m.end and m.start < e.end for e in events)
        ]
        mentions += events
    titled = role_references(lexicon, text, day, mentions)
    if titled:
        # an abstention on a title's words ("GS", "MEP" are world parties' acronyms too) gives
        # way to the person the title names
        mentions = [
            m
            for m in mentions
            if m.id is not None or not any(t.start < m.end and m.start < t.end for t in titled)
        ]
        mentions += titled
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


def _add_fuzzy(
    lexicon: Lexicon, text: str, day: date | None, mentions: list[Mention]
) -> list[Mention]:
    """Fuzzy matches fill the gaps, and replace abstentions they cover."""
    resolved = [Span(m.start, m.end, "", []) for m in mentions if m.id is not None]
    found = [
        f
        for f in fuzzy_org_spans(lexicon, text, day, resolved)
        if not _is_extended(text, f, lexicon)
    ]
    if not found:
        return mentions
    kept = [m for m in mentions if not any(f.start < m.end and m.start < f.end for f in found)]
    for f in found:
        ids = sorted({c.id for c in f.candidates})
        surface = text[f.start : f.end]
        if len(ids) == 1:
            kept.append(Mention(f.start, f.end, surface, "org", ids[0], 0.65))
        else:
            kept.append(Mention(f.start, f.end, surface, "org", None, 0.3, tuple(ids)))
    kept.sort(key=lambda m: m.start)
    return kept


def _is_extended(text: str, span: Span, lexicon: Lexicon) -> bool:
    """Whether the name is part of a longer name the KB lacks.

    "Revolutionary Communist Party of Britain", "“Red Fatherland” Communist Party of Peru",
    "Left-Communist Party of Italy", "Party of Communists of Catalonia" and "Communist Party of
    Britain (Marxist-Leninist)" are other parties than the names they contain. Acronyms are
    never extended. A name is, when a capitalised word that is not a function word stands right
    before it on the same line (not after a colon or the start of a sentence, unless only world
    parties bear the name: "International Solidarity Movement" is not Party Facts' "Solidarity
    Movement"), when an organisation noun and a connector stand before it ("Party of"), or when
    a parenthesis of words (not an acronym, not a country) follows it.
    """
    orgs = [c for c in span.candidates if c.type == "org"]
    if all(c.acronym for c in orgs):
        return False
    world_only = not any(lexicon.orgs[c.id].seed for c in orgs)
    window_start = max(0, span.start - 60)
    before = _word_before(text, window_start, span.start)
    if before is not None:
        word, word_start, separator = before
        if word[:1].isupper() and word.lower() not in _FUNCTION_WORDS and not word.isupper():
            line_start = text.rfind("\n", 0, word_start) + 1
            prefix = text[line_start:word_start].rstrip()
            if (
                separator == "-"
                or world_only
                or (prefix and not prefix.endswith((":", ".", "!", "?", "-", "–", "—", ",")))
            ):
                return True
    # "Party of ...", "Partit dels i les ...": an organisation noun, then only connectors
    end = span.start
    for _ in range(5):
        found = _word_before(text, window_start, end, spaces_only=True)
        if found is None:
            break
        w, w_start, _sep = found
        if w.lower() in _ORG_HEADS and w[:1].isupper():
            return end != span.start
        if w.lower() not in _CONNECTORS:
            break
        end = w_start
    after = _EXTENSION_AFTER.match(text, span.end)
    if after is not None:
        inner = after.group("inner").strip()
        words = inner.split()
        if words and not inner.isupper() and words[0][:1].isupper() and len(words[0]) > 3:
            return not _names_a_country(inner)
    return False


def _word_before(
    text: str, limit: int, pos: int, *, spaces_only: bool = False
) -> tuple[str, int, str] | None:
    """The word right before ``pos`` (not before ``limit``), its start, and what separates it:
    spaces, a closing quote with optional spaces, or a hyphen (not with ``spaces_only``)."""
    match = _BEFORE_REVERSED.match(text[limit:pos][::-1])
    if match is None:
        return None
    separator = match.group(1)[::-1]
    if spaces_only and separator.strip(" \t"):
        return None
    word = match.group(2)[::-1]
    return word, pos - match.end(), "-" if separator == "-" else separator


def _names_a_country(text: str) -> bool:
    from tribune.kb.countries import load_countries

    return bool(load_countries().lookup(text))


def _resolve_org(ctx: Context, text: str, span: Span, extended: bool) -> Mention:
    surface = text[span.start : span.end]
    cands = [c for c in span.candidates if c.type == "org"]
    ids = sorted({c.id for c in cands})
    if extended:
        return Mention(span.start, span.end, surface, "org", None, 0.2, tuple(ids))
    by_id: dict[str, list[Candidate]] = {}
    for c in cands:
        by_id.setdefault(c.id, []).append(c)
    if len(by_id) > _MANY:
        # "Communist Party", "Socialist Party": only the candidates the context speaks for
        # can win among so many
        by_id = {
            k: v for k, v in by_id.items() if ctx.evidence(k) > 0 or ctx.language_evidence(k) > 0
        }
    scored: list[tuple[float, float, str]] = []
    for org_id, own in by_id.items():
        evidence = ctx.evidence(org_id)
        if not any(_supported(ctx, c, span, evidence) for c in own):
            continue
        scored.append((evidence, ctx.prior(org_id), org_id))
    if not scored:
        return Mention(span.start, span.end, surface, "org", None, 0.1, _worth_listing(ctx, ids))
    scored.sort(reverse=True)
    if len(scored) == 1:
        org_id = scored[0][2]
        confidence = 0.95 if len(ids) == 1 else 0.75
        if scored[0][0] <= 0 and all(c.priority > 0 for c in by_id[org_id]):
            confidence = 0.7
        return Mention(span.start, span.end, surface, "org", org_id, confidence)
    decided = _decide(scored)
    if decided is None:
        # still open: let the text's language speak ("DKP" in a German text)
        scored = sorted(
            ((e + ctx.language_evidence(org_id), p, org_id) for e, p, org_id in scored),
            reverse=True,
        )
        decided = _decide(scored)
    if decided is not None:
        return Mention(span.start, span.end, surface, "org", decided[0], decided[1])
    candidates = _worth_listing(ctx, [s[2] for s in scored])
    return Mention(span.start, span.end, surface, "org", None, 0.3, candidates)


def _worth_listing(ctx: Context, ids: list[str]) -> tuple[str, ...]:
    """The candidates an abstention lists for an editor: the KB's own organisations where there
    are any, rather than every namesake in the world data."""
    seed = [i for i in ids if ctx.lexicon.orgs[i].seed]
    return tuple(seed or ids)


def _decide(scored: list[tuple[float, float, str]]) -> tuple[str, float] | None:
    """The winner among scored candidates (evidence, prior, id), best first, with a confidence:
    the best must lead by the margin; on a tie, a network member wins, then a seed organisation.
    """
    best, second = scored[0], scored[1]
    if best[0] - second[0] >= MARGIN:
        return best[2], 0.7
    tied = [s for s in scored if s[0] == best[0]]
    if all(s[0] <= best[0] - MARGIN for s in scored if s not in tied):
        for level in (0.75, 0.5, 0.25):
            leaders = [s for s in tied if s[1] >= level]
            if len(leaders) == 1:
                return leaders[0][2], 0.6
            if leaders:
                break
    return None


def _source_family(ctx: Context, org_id: str) -> bool:
    source = ctx.source
    if source is None:
        return False
    info = ctx.lexicon.orgs[org_id]
    return org_id in (source.id, source.parent_id) or info.parent_id == source.id


def _self_sufficient(lexicon: Lexicon, c: Candidate, span: Span) -> bool:
    """Whether a candidate may link without any support from the context."""
    if c.generic or not c.certain or (c.acronym and len(c.form.replace(" ", "")) <= 2):
        return False
    return lexicon.orgs[c.id].seed or " " in span.key or c.acronym


def _supported(ctx: Context, c: Candidate, span: Span, evidence: float) -> bool:
    """Whether the context gives a candidate the support it needs before it may link."""
    info = ctx.lexicon.orgs[c.id]
    if not info.seed and " " not in span.key and not c.acronym:
        # one-word world-party names are often common words ("Justice", "Together")
        return ctx.sure(c.id)
    if c.acronym and len(c.form.replace(" ", "")) <= 2:
        # "PS", "PP": the country must be named or implied, or the publisher be it
        return ctx.strong(c.id, implied=True)
    if c.generic:
        # "Communist Party": the publisher, the same party named in full, or its country named
        # in the same sentence
        return ctx.sure(c.id) or (
            ctx.strong(c.id)
            and (ctx.named_nearby(c.id, span.start, span.end) or _source_family(ctx, c.id))
        )
    if not c.certain:
        return evidence > 0  # acronyms seen once or inferred
    return True

"""Role statements: who holds which title in which organisation, as a text says it.

The linker has already found the organisations and the people the KB knows (its mentions); this
module reads the titles around them (:mod:`.titles`) and keeps the statements written in one of
these shapes, in any of the demo languages:

* ``NAME, TITLE of ORG`` — "Kemal Okuyan, General Secretary of the Communist Party of Turkey
  (TKP), said"; "Paulo Raimundo, Secretário-Geral do PCP";
* ``NAME, ORG('s) TITLE`` — "Dimitris Koutsoumbas, KKE General Secretary";
* ``TITLE of ORG(,) NAME`` — "El secretario general del PCE, Enrique Santiago"; "Председатель
  ЦК КПРФ Геннадий Зюганов";
* ``ORG('s) TITLE(,) NAME`` — "TKP Genel Sekreteri Kemal Okuyan"; "the KKE's GS Dimitris
  Koutsoumbas".

The name is the person's mention when the linker knows the person; otherwise two to four
capitalised words right there (a person the KB does not know is kept by name). The apposition
before the title is tried first, because "NAME, TITLE of ORG NAME2..." names the person before.
A title with no name beside it ("the General Secretary of the KKE said") states no role here:
:mod:`.role_refs` lets the linker resolve it from the KB instead. A title with a qualifier
("former", "deputy", "honorary", "adjunto", "πρώην", "бывший"...) is another title, or not held
on the text's date, and is skipped. Precision comes before recall: editors see every statement
before it enters the KB.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from tribune.understand.mention import Mention
from tribune.understand.titles import (
    TitleMatch,
    find_titles,
    fold,
    gap_after_title,
    gap_before_title,
)

__all__ = ["VERSION", "Phrase", "RoleStatement", "find_roles", "person_beside", "role_phrases"]

VERSION = "roles-1"

# before a title: it is not the title held now, or it is another one ("deputy General Secretary")
_QUALIFIER_BEFORE = re.compile(
    r"(?<!\w)(?:former|ex|late|then|past|outgoing|deputy|vice|assistant|honorary|acting|interim"
    r"|antigu[oa]|antig[oa]|πρωην|αναπληρωτ\w*|τεωσ|eski|бывш\w*|экс|заместител\w*"
    r"|почетн\w*)[ \t\-]*(?:(?:the|el|la|o|a|ο|η)[ \t]+)?$"
)
# after it: "secretario general adjunto", "Genel Başkan Yardımcısı"
_QUALIFIER_AFTER = re.compile(r"[ \t]*(?:adjunt\w*|yardımcı\w*|emerit\w*|honorari\w*)(?!\w)")
_ACRONYM_AFTER = re.compile(r"[ \t]*\([^()\n]{1,20}\)")
_COMMA_BEFORE = re.compile(r",[ \t]*(?:(?:the|el|la|o|a|ο|η)[ \t]+)?$")
_GAP_AFTER = re.compile(r"(?:[ \t]*\([^()\n]{1,20}\))?[ \t]*,?[ \t]*")
_NAME_WORD = re.compile(r"(?:[^\W\d_]\.){1,3}|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# a Turkish case ending after an apostrophe: "Kutsumbas'ın", "Okuyan’a"
_SUFFIX = re.compile(r"['’][^\W\d_]+$")
_PARTICLES = frozenset("de da do dos das del della di van von der den la le y e bin ibn".split())
# capitalised words that start a sentence or head an organisation, never a person's name
_NOT_NAMES = frozenset(
    fold(w)
    for w in """the a in on at of and today yesterday according comrade comrades mr mrs ms dr
    sr sra camarada camaradas companheiro companheira σύντροφος συντρόφισσα yoldaş товарищ
    central committee party communist political bureau secretariat parliament european
    national general secretary first president chairman member
    partido comité comunista político secretario presidente diputado
    comissão política secretário deputado
    κόμμα κεντρική επιτροπή γενικός γραμματέας
    parti komünist genel sekreter merkez komitesi
    партия коммунистическая генеральный секретарь председатель""".split()
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Phrase:
    """A title tied to an organisation: "General Secretary of the KKE", "TKP's GS"."""

    title: TitleMatch
    org: Mention
    start: int
    end: int


@dataclass(frozen=True)
class RoleStatement:
    """One person holding one title in one organisation, as the text states it."""

    person_id: str | None  # the KB's, when the linker knows the person
    person_name: str
    org_id: str
    org_surface: str
    title: str  # a key of TITLES
    title_surface: str
    start: int  # the statement's span in the text
    end: int
    evidence: str  # its sentence
    confidence: float


def role_phrases(
    text: str,
    folded: str,
    mentions: Sequence[Mention],
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[Phrase]:
    """The titles of *text* (within *spans*, when given) tied to an organisation the linker
    resolved, without a qualifier.

    The organisation after the title is tried first ("General Secretary of the KKE"), then the
    one before it ("KKE General Secretary"); the nearest one whose gap joins them wins.
    """
    orgs = sorted((m for m in mentions if m.type == "org" and m.id is not None), key=_start)
    if not orgs:
        return []
    # a resolved organisation's or an event's name; an abstention over a title ("GS", "MEP"
    # are also world parties' acronyms) is the title
    taken = [(m.start, m.end) for m in mentions if m.type in ("org", "event") and m.id]
    out: list[Phrase] = []
    for title in find_titles(text, folded, spans):
        if any(s < title.end and title.start < e for s, e in taken):
            continue
        phrase = _with_org(title, orgs, text, folded)
        if phrase is None or _qualified(folded, phrase):
            continue
        out.append(phrase)
    return out


def _start(m: Mention) -> int:
    return m.start


def _with_org(title: TitleMatch, orgs: Sequence[Mention], text: str, folded: str) -> Phrase | None:
    for org in orgs:  # nearest after first
        if org.start >= title.end and gap_after_title(folded[title.end : org.start]):
            acronym = _ACRONYM_AFTER.match(text, org.end)
            end = acronym.end() if acronym else org.end
            return Phrase(title, org, title.start, end)
    for org in reversed(orgs):  # nearest before
        if org.end <= title.start and gap_before_title(folded[org.end : title.start]):
            return Phrase(title, org, org.start, title.end)
    return None


def _qualified(folded: str, phrase: Phrase) -> bool:
    """ "former General Secretary of the KKE", "former KKE GS", "the KKE's former GS"."""
    title = phrase.title
    places = {phrase.start, title.start}
    return any(_QUALIFIER_BEFORE.search(folded[max(0, at - 24) : at]) for at in places) or bool(
        _QUALIFIER_AFTER.match(folded, title.end)
    )


def person_beside(
    text: str, folded: str, phrase: Phrase, mentions: Sequence[Mention]
) -> tuple[str | None, str, int, int] | None:
    """The person the phrase is said of, when a name stands beside it: (KB id or None, name,
    start, end). The apposition before ("NAME, TITLE...") is tried first, then the name after
    ("...TITLE of ORG NAME")."""
    people = [m for m in mentions if m.type == "person" and not _inside(m, phrase)]
    blocked = [(m.start, m.end) for m in mentions if m.type in ("org", "country", "event")]
    comma = _COMMA_BEFORE.search(folded, max(0, phrase.start - 12), phrase.start)
    if comma is not None:
        end = comma.start()
        for m in people:
            if m.end == end:
                return m.id, m.surface, m.start, m.end
        found = _name_before(text, end)
        if found is not None and not _overlaps(found, blocked):
            start, end = _trimmed(text, found)
            return None, text[start:end], start, end
    gap = _GAP_AFTER.match(text, phrase.end)
    start = gap.end() if gap else phrase.end
    for m in people:
        if m.start == start:
            return m.id, m.surface, m.start, m.end
    found = _name_after(text, start)
    if found is not None and not _overlaps(found, blocked):
        start, end = _trimmed(text, found)
        return None, text[start:end], start, end
    return None


def _inside(m: Mention, phrase: Phrase) -> bool:
    return phrase.start <= m.start and m.end <= phrase.end


def _overlaps(span: tuple[int, int], blocked: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in blocked)


def _name_word(word: str) -> bool:
    """A capitalised word that may be part of a name (initials "D.", "Г.А." too; not an
    acronym)."""
    if not word[:1].isupper():
        return False
    if word.endswith("."):
        return word.replace(".", "").isupper()
    if len(word) > 2 and word.isupper():
        return False
    return fold(word) not in _NOT_NAMES


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The name without a case ending glued to it by an apostrophe ("Kutsumbas'ın")."""
    ending = _SUFFIX.search(text, span[0], span[1])
    if ending is not None and ending.group(0)[1:].islower():
        return span[0], ending.start()
    return span


def _name_after(text: str, pos: int) -> tuple[int, int] | None:
    """Two to four capitalised words from *pos* ("Kemal Okuyan", "Paulo Raimundo"), particles
    between them ("Jerónimo de Sousa"); a leading "Comrade" is left out."""
    words: list[tuple[int, int, bool]] = []  # start, end, capitalised
    while len(words) < 6:
        m = _NAME_WORD.match(text, pos)
        if m is None:
            break
        word = m.group(0)
        if _name_word(word):
            words.append((m.start(), m.end(), True))
        elif words and fold(word) in _PARTICLES:
            words.append((m.start(), m.end(), False))
        elif not words and fold(word) in _NOT_NAMES and word[:1].isupper():
            pass  # "Comrade Kemal Okuyan": the name comes after
        else:
            break
        if text[m.end() : m.end() + 1] not in (" ", "\u00a0"):
            break
        pos = m.end() + 1
    return _as_name(words)


def _name_before(text: str, end: int) -> tuple[int, int] | None:
    """Two to four capitalised words ending at *end*, read backwards."""
    words: list[tuple[int, int, bool]] = []
    pos = end
    while len(words) < 6 and pos > 0:
        start = pos
        while start > 0 and (text[start - 1].isalpha() or text[start - 1] in "'’-."):
            start -= 1
        m = _NAME_WORD.fullmatch(text, start, pos)
        if m is None:
            break
        word = m.group(0)
        if _name_word(word):
            words.insert(0, (start, pos, True))
        elif words and fold(word) in _PARTICLES:
            words.insert(0, (start, pos, False))
        else:
            break
        if start == 0 or text[start - 1] not in (" ", "\u00a0"):
            break
        pos = start - 1
    return _as_name(words)


def _as_name(words: list[tuple[int, int, bool]]) -> tuple[int, int] | None:
    while words and not words[-1][2]:
        words.pop()
    while words and not words[0][2]:
        words.pop(0)
    capitalised = sum(1 for w in words if w[2])
    if not 2 <= capitalised <= 4:
        return None
    return words[0][0], words[-1][1]


def _sentence(text: str, bounds: list[int], start: int, end: int) -> str:
    left = bounds[bisect_right(bounds, start) - 1]
    right_index = bisect_right(bounds, end)
    right = bounds[right_index] if right_index < len(bounds) else len(text)
    sentence = " ".join(text[left:right].split())
    if len(sentence) > 500:
        lo = max(0, start - left - 200)
        sentence = "…" + " ".join(text[left + lo : left + lo + 480].split()) + "…"
    return sentence


def find_roles(text: str, mentions: Sequence[Mention]) -> list[RoleStatement]:
    """The role statements of *text*, given the linker's mentions of it; one per (person,
    organisation, title), the first written."""
    if not text or not any(m.type == "org" and m.id for m in mentions):
        return []
    folded = fold(text)
    phrases = role_phrases(text, folded, mentions)
    if not phrases:
        return []
    bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    found: dict[tuple[str, str, str], RoleStatement] = {}
    for phrase in phrases:
        person = person_beside(text, folded, phrase, mentions)
        if person is None:
            continue
        person_id, name, p_start, p_end = person
        org_id = str(phrase.org.id)
        key = (person_id or fold(" ".join(name.split())), org_id, phrase.title.key)
        if key in found:
            continue
        start, end = min(p_start, phrase.start), max(p_end, phrase.end)
        confidence = (0.9 if person_id else 0.7) - (0.1 if phrase.title.abbreviation else 0.0)
        found[key] = RoleStatement(
            person_id=person_id,
            person_name=" ".join(name.split()),
            org_id=org_id,
            org_surface=phrase.org.surface,
            title=phrase.title.key,
            title_surface=phrase.title.surface,
            start=start,
            end=end,
            evidence=_sentence(text, bounds, start, end),
            confidence=round(confidence, 2),
        )
    return list(found.values())

"""Titles people hold in organisations, and how texts write them in the demo languages.

Each title has a canonical key (``general-secretary``, ``mep``...), the English label a role of
the KB gets when an editor accepts it, and its word forms in English, Spanish, Portuguese, Greek,
Turkish and Russian. Forms are matched on a *folded* copy of the text (lower case, accents and
diacritics dropped, one character for one, so offsets stay those of the text); a word ending in
``*`` is a stem, which lets one form cover the Greek and Russian cases and the Turkish possessive
("Genel Sekreteri"). Abbreviations (GS, MEP, MP, ΓΓ) are matched with their case as written: in
lower case they are other words.

Where two forms start at the same place the longest wins ("Member of the European Parliament"
before "Member of Parliament", "General Secretary" before "Secretary"), so a free-text title of
the KB ("General Secretary of the Central Committee") has one key (:func:`title_key`).

The same module says what may stand between a title and the organisation it belongs to: a
preposition and an article ("of the", "del", "της"), and the Central Committee ("of the CC of
the"), or, with the organisation first, a possessive ("the KKE's", "TKP'nin").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

__all__ = [
    "TITLES",
    "Title",
    "TitleMatch",
    "find_titles",
    "fold",
    "fold_spans",
    "gap_after_title",
    "gap_before_title",
    "label_of",
    "title_key",
]


@dataclass(frozen=True)
class Title:
    key: str
    label: str  # English, as a role of the KB gets it
    forms: tuple[str, ...]  # every language's forms, as written (folded when compiled)
    abbreviations: tuple[str, ...] = ()  # matched case-sensitively


TITLES: dict[str, Title] = {
    t.key: t
    for t in (
        Title(
            "general-secretary",
            "General Secretary",
            (
                "general secretary", "secretary general", "gen sec",
                "secretario general", "secretaria general",
                "secretário-geral", "secretária-geral",
                "γενικ* γραμματε*",
                "genel sekreter*",
                "генеральн* секретар*", "генсек*",
            ),
            ("GS", "ΓΓ"),
        ),
        Title(
            "first-secretary",
            "First Secretary",
            (
                "first secretary",
                "primer secretario", "primera secretaria",
                "primeir* secretári*",
                "πρώτ* γραμματε*",
                "birinci sekreter*",
                "перв* секретар*",
            ),
        ),
        Title(
            "national-secretary",
            "National Secretary",
            ("national secretary", "secretari* nacional", "secretári* nacional"),
        ),
        Title(
            "chair",
            "Chair",
            (
                "chairman", "chairwoman", "chairperson", "chair",
                "genel başkan*",
                "председател*",
            ),
        ),
        Title(
            "president",
            "President",
            (
                "president",
                "presidente", "presidenta",
                "πρόεδρ*",
                "başkan*",
                "президент*",
            ),
        ),
        Title(
            "mep",
            "Member of the European Parliament",
            (
                "member of the european parliament",
                "eurodiputad*", "diputad* al parlamento europeo",
                "diputad* en el parlamento europeo",
                "eurodeputad*", "deputad* ao parlamento europeu",
                "deputad* no parlamento europeu",
                "ευρωβουλευτ*",
                "avrupa parlamentosu üyesi", "avrupa parlamentosu milletvekil*",
                "депутат* европарламента", "депутат* европейского парламента",
            ),
            ("MEP",),
        ),
        Title(
            "mp",
            "Member of Parliament",
            (
                "member of parliament",
                "diputad*",
                "deputad*",
                "βουλευτ*",
                "milletvekil*",
                "депутат* государственной думы", "депутат* госдумы", "депутат*",
            ),
            ("MP",),
        ),
        Title(
            "spokesperson",
            "Spokesperson",
            (
                "spokesperson", "spokesman", "spokeswoman",
                "portavoz",
                "porta-voz",
                "εκπρόσωπ* τύπου", "εκπρόσωπ*",
                "sözcü*",
                "пресс-секретар*", "официальн* представител*",
            ),
        ),
        Title(
            "politburo-member",
            "Member of the Political Bureau",
            (
                "member of the political bureau", "member of the politburo",
                "politburo member", "political bureau member",
                "miembro del buró político",
                "membro da comissão política", "membro do bureau político",
                "μέλος του πολιτικού γραφείου", "μέλος του πγ",
                "politbüro üyesi",
                "член* политбюро", "член* президиума",
            ),
        ),
        Title(
            "cc-member",
            "Member of the Central Committee",
            (
                "member of the central committee", "member of the cc",
                "central committee member", "cc member",
                "miembro del comité central",
                "membro do comité central", "membro do comitê central",
                "μέλος της κεντρικής επιτροπής", "μέλος της κε",
                "merkez komitesi üyesi",
                "член* цк", "член* центрального комитета",
            ),
        ),
        Title(
            "secretary",
            "Secretary",
            (
                "secretary",
                "secretario", "secretaria",
                "secretário", "secretária",
                "γραμματέ*",
                "sekreter*",
                "секретар*",
            ),
        ),
    )
}  # fmt: skip


@cache
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    if len(low) != 1:
        low = base  # "İ".lower() is two characters: keep one for one
    return "σ" if low == "ς" else low


def fold(text: str) -> str:
    """*text* in lower case without accents, of the same length (offsets carry over)."""
    return "".join(map(_fold_char, text))


@dataclass(frozen=True)
class TitleMatch:
    start: int
    end: int
    key: str
    surface: str
    abbreviation: bool


def _form_pattern(form: str) -> str:
    words = re.split(r"[\s\-]+", fold(form))
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return r"[\s\-‐]+".join(parts)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str], dict[str, str]]:
    """(forms on folded text, abbreviations on the text, group name -> key for each)."""
    named: list[tuple[str, str]] = []
    for title in TITLES.values():
        named += [(title.key, _form_pattern(form)) for form in title.forms]
    named.sort(key=lambda kp: len(kp[1]), reverse=True)  # the longest form first
    groups = {f"t{n}": key for n, (key, _p) in enumerate(named)}
    # grouped by first letter, so that the engine tries a handful of forms at a word, not all
    by_letter: dict[str, list[str]] = {}
    for n, (_key, pattern) in enumerate(named):
        by_letter.setdefault(pattern[0], []).append(f"(?P<t{n}>{pattern[1:]})")
    words = "|".join(
        f"{re.escape(letter)}(?:{'|'.join(forms)})" for letter, forms in by_letter.items()
    )
    abbreviations = {a: t.key for t in TITLES.values() for a in t.abbreviations}
    abbr_groups = {f"a{n}": key for n, key in enumerate(abbreviations.values())}
    abbr = "|".join(f"(?P<a{n}>{re.escape(a)})" for n, a in enumerate(abbreviations))
    return (
        re.compile(rf"(?<!\w)(?:{words})(?!\w)"),
        re.compile(rf"(?<!\w)(?:{abbr})(?!\w)"),
        groups,
        abbr_groups,
    )


def fold_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """*text* with only the parts *spans* give folded (the rest as it is): what a search
    limited to those parts needs, for a fraction of the cost of folding a long text."""
    parts: list[str] = []
    done = 0
    for start, end in spans:
        start = max(start, done)
        if end <= start:
            continue
        parts += [text[done:start], fold(text[start:end])]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def find_titles(
    text: str, folded: str | None = None, spans: Sequence[tuple[int, int]] | None = None
) -> list[TitleMatch]:
    """Every title written in *text* (only within *spans*, sorted and not overlapping, when
    given), in order; *folded* is ``fold(text)`` when known (folded at least over *spans*)."""
    words, abbreviations, groups, abbr_groups = _patterns()
    folded = fold(text) if folded is None else folded
    found: list[TitleMatch] = []
    for start, end in spans if spans is not None else [(0, len(text))]:
        found += [
            TitleMatch(
                m.start(), m.end(), groups[str(m.lastgroup)], text[m.start() : m.end()], False
            )
            for m in words.finditer(folded, start, end)
        ]
        found += [
            TitleMatch(m.start(), m.end(), abbr_groups[str(m.lastgroup)], m.group(0), True)
            for m in abbreviations.finditer(text, start, end)
        ]
    found.sort(key=lambda t: t.start)
    return found


def title_key(text: str) -> str | None:
    """The key of a title written as free text ("General Secretary of the Central Committee" →
    ``general-secretary``): its first title; None when it names none."""
    found = find_titles(text)
    return found[0].key if found else None


def label_of(key: str) -> str:
    """The English label of a title key (the key itself when unknown)."""
    title = TITLES.get(key)
    return title.label if title is not None else key


_CONNECTOR = r"(?:of|at|de|del|da|do|dos|das|the|la|el|los|las|της|του|των|τησ|от)"
_COMMITTEE = (
    r"(?:central committee|cc|comite central|κεντρικησ επιτροπησ|κε|цк|центрального комитета"
    r"|merkez komitesi)"
)
_AFTER = re.compile(rf"[ \t]*(?:{_CONNECTOR}[ \t]+)*(?:{_COMMITTEE}[ \t]+(?:{_CONNECTOR}[ \t]+)*)?")
_BEFORE = re.compile(
    r"(?:[ \t]*\([^()\n]{1,20}\))?(?:['’]s|['’]n[iı]n|['’][iı]n|['’]n[uü]n|['’][uü]n)?"
    rf"[ \t]+(?:{_COMMITTEE}[ \t]+)?"
)


def gap_after_title(folded_gap: str) -> bool:
    """Whether the (folded) text between a title and an organisation after it joins them:
    "General Secretary| of the CC of the |KKE", "Председатель| ЦК |КПРФ"."""
    return len(folded_gap) <= 60 and _AFTER.fullmatch(folded_gap) is not None


def gap_before_title(folded_gap: str) -> bool:
    """Whether the (folded) text between an organisation and a title after it joins them:
    "KKE|'s |General Secretary", "TKP| |Genel Sekreteri", "Communist Party of Turkey| (TKP) |GS"."""
    return len(folded_gap) <= 40 and _BEFORE.fullmatch(folded_gap) is not None

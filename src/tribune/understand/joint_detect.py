"""Is this text a joint statement? Its wording, and the list of organisations at its end.

Two kinds of evidence, read on folded text (lower case, no diacritics, punctuation as spaces:
:func:`tribune.understand.textnorm.normalise_name`), in English, Spanish, Portuguese, Greek,
Turkish, Russian, French, German and Italian:

- **wording**. The title naming the document ("Joint statement", "Declaración conjunta",
  "Κοινή δήλωση", "Ortak açıklama", "Совместное заявление") or an opening in which the signers
  speak ("We, the undersigned parties", "los partidos firmantes", "нижеподписавшиеся") says so
  on its own: such words belong to the document itself. A mere mention ("in a joint statement
  published on Monday", "signed by") is weak: reports about a statement use it too.
- **the signatory list**: the last block of short lines (or one run of names) at the end of the
  text, after a lead-in ("Signatories:", "Firman:", "İmzacılar:", "Подписали:") or without one,
  a line or two of closing prose allowed after it. It is read by
  :func:`tribune.understand.signatories.parse`; it counts when most of its entries are
  organisations (resolved by the linker, or named with a word such as "party", "partido",
  "κόμμα", "партия") and there are at least two of them.

A joint statement is a text whose wording says so, or whose list comes with a lead-in or a weak
mention. A list alone is not enough: reports of meetings end with the list of the parties that
took part, and a single party's statement may end with a bulleted list of demands. So an article
that quotes a joint statement but carries no list is not one; a title naming the document is
enough even without a list (the list may be an image, or on another page). A title naming a
condolence or an international meeting makes it another kind of document, however many sign
it (the kinds stage proposes those kinds; marking a joint statement would replace them).

Measured by ``bench/joint_detect_quality.py`` (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from tribune.understand.kind_rules import CUES
from tribune.understand.link import Linker
from tribune.understand.signatories import Signer, entries, parse
from tribune.understand.textnorm import normalise_name, normalise_text

OPENING_CHARS = 600  # where the signers' own voice ("we, the undersigned") is looked for
TAIL_LINES = 250  # a list is looked for in the last lines only
MAX_TRAILING = 2  # closing prose lines allowed after the list ("The list remains open.")
MIN_SHARE = 0.6  # of a list's entries that must be organisations
MAX_ENTRY_WORDS = 12  # longer "entries" of a comma run are clauses of a sentence

# The document's own name: strong in a title, weak anywhere else.
DOCUMENT = (
    # en
    "joint statement", "joint declaration", "joint communique", "common statement",
    "common declaration", "joint appeal", "joint call", "joint resolution",
    # es, pt
    "declaracion conjunta", "comunicado conjunto", "llamamiento conjunto", "llamado conjunto",
    "declaracion comun", "pronunciamiento conjunto",
    "declaracao conjunta", "nota conjunta", "apelo conjunto", "declaracao comum",
    # el, tr, ru
    "κοινη δηλωση", "κοινη ανακοινωση", "κοινη διακηρυξη", "κοινη εκκληση", "κοινο ανακοινωθεν",
    "ortak açıklama*", "ortak bildiri*", "ortak deklarasyon*", "ortak çağrı*",
    "совместн* заявлени*", "совместн* деклараци*", "совместн* обращени*", "совместн* коммюнике",
    # fr, de, it
    "declaration commune", "declaration conjointe", "communique commun", "appel commun",
    "gemeinsame erklarung", "gemeinsame stellungnahme", "gemeinsamer aufruf",
    "dichiarazione congiunta", "dichiarazione comune", "comunicato congiunto",
    "appello congiunto",
)  # fmt: skip

# The signers speaking: strong in the opening.
UNDERSIGNED = (
    "undersigned", "parties signing this statement", "organisations signing this statement",
    "partidos firmantes", "abajo firmantes", "organizaciones firmantes",
    "abaixo assinados", "partidos signatarios", "organizacoes signatarias",
    "κομματα που υπογραφουν", "υπογραφοντα κομματα", "οι υπογραφοντες",
    "imzacı partiler", "aşağıda imzası bulunan",
    "нижеподписавш*", "подписавшие партии", "партии подписавшие",
    "soussigne*", "partis signataires", "organisations signataires",
    "unterzeichnenden parteien", "unterzeichnenden organisationen",
    "partiti firmatari", "organizzazioni firmatarie", "sottoscritti partiti",
)  # fmt: skip

# A mention of signing: weak anywhere.
SIGNING = (
    "signed by", "signatories", "signatory", "firmado por", "firmada por", "firmantes",
    "assinado por", "assinada por", "subscrito por", "signatarios", "υπογραφουν", "υπογραφες",
    "imzacı*", "imzalayan*", "подписал*", "подписант*", "signe par", "signee par",
    "signataires", "unterzeichnet von", "unterzeichner*", "firmato da", "firmatari",
)  # fmt: skip

# A line that opens the list, folded: "Signatories:", "Signed by:", "Firman:", "İmzacılar:"...
LEAD_INS = (
    "signatories", "signatory parties", "signatory organisations", "signatory organizations",
    "signed by", "signed", "the signatories", "list of signatories", "the signatory parties",
    "firman", "firmantes", "partidos firmantes", "organizaciones firmantes", "firmado por",
    "assinam", "subscrevem", "signatarios", "partidos signatarios", "assinado por",
    "υπογραφουν", "τα κομματα που υπογραφουν", "υπογραφοντες", "υπογραφουν τα κομματα",
    "imzacılar", "imzacı partiler", "imzalayanlar", "imzacı örgütler",
    "подписали", "подписавшие", "список подписавших", "подписавшие партии",
    "signataires", "ont signe", "partis signataires", "liste des signataires",
    "unterzeichner", "unterzeichnende parteien", "unterzeichnet von", "es unterzeichnen",
    "firmatari", "hanno firmato", "firmano", "partiti firmatari",
)  # fmt: skip
MAX_LEAD_IN = 60  # characters before the colon (or of the whole line)

# Documents signed by several parties that are of another kind: a joint message of condolence,
# the declaration of an international meeting (the kinds stage proposes those kinds).
MEETINGS = (
    "international meeting", "imcwp", "encuentro internacional", "encontro internacional",
    "διεθνης συναντηση", "διεθνους συναντησης", "uluslararası toplantı*",
    "uluslararası komünist ve işçi partileri toplantı*", "международн* встреч*",
    "rencontre internationale", "internationales treffen", "incontro internazionale",
)  # fmt: skip

# Words that make an entry an organisation's name even when the KB does not know it (matched
# on the folded name: no diacritics, lower case).
_ORG_WORD = re.compile(
    r"\b(?:part(?:y|ies|ido|idos|ito|iti|i|ei|eien|idul|isi)|partij|\w*communist\w*|"
    r"\w*komunist\w*|\w*kommunist\w*|\w*коммунист\w*|\w*κομμουνιστ\w*|κομμα\w*|"
    r"парти\w*|youth|juventud\w*|juventude|jeunesse|jugend|gioventu|νεολαια|genclik|"
    r"молодеж\w*|league|liga|union|uniao|союз\w*|ενωση|birlig\w*|front\w*|frente|"
    r"фронт\w*|μετωπο|cephe\w*|movement|movimiento|movimento|mouvement|bewegung|"
    r"κινηση|hareket\w*|движени\w*|federation|federacion|federacao|федераци\w*|"
    r"organi[sz]ation\w*|organizacion\w*|organizac\w*|orgut\w*|организац\w*|"
    r"committee|comite|comit\w*|επιτροπη|komite\w*|комитет\w*|council|consejo|"
    r"workers|obrer\w*|trabalhador\w*|travailleurs|arbeiter\w*|isci\w*|рабоч\w*|"
    r"εργατ\w*|socialist\w*|социалист\w*|σοσιαλιστ\w*|group|grupo|groupe)\b"
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ACRONYM = re.compile(r"\(\s*[A-ZÀ-ÞΑ-ΩА-ЯİÇŞĞÖÜ][\w.\-–()]{1,15}\s*\)")
_MARKED = re.compile(r"^\s*(?:\(?\d{1,3}\s*[.)\-]\)?|[-–—•*·▪])\s+")
_SENTENCE = re.compile(r"[.!?…]\s+\S")


@dataclass(frozen=True)
class TailList:
    """The list found at the end of a text, before resolution."""

    text: str  # the list's lines, one entry or heading a line (as signatories.parse reads it)
    lead_in: str  # the lead-in line, or ""
    entries: int  # entries counted by signatories.entries


@dataclass(frozen=True)
class Detection:
    joint: bool
    confidence: float
    evidence: str  # the cues and the list found, for an editor
    signers: list[Signer] = field(default_factory=list)  # the list at the end, resolved
    lead_in: str = ""


def _compile(cues: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for cue in cues:
        words = []
        for word in cue.split():
            folded = normalise_name(word.rstrip("*"))
            if folded:
                words.append(re.escape(folded) + (r"\w*" if word.endswith("*") else ""))
        if words:
            parts.append(" ".join(words) + "(?= )")
    return re.compile(" (" + "|".join(sorted(set(parts), key=len, reverse=True)) + ")")


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        "document": _compile(DOCUMENT),
        "undersigned": _compile(UNDERSIGNED),
        "signing": _compile(SIGNING),
        "other": _compile(CUES["condolence"] + MEETINGS),
    }


@cache
def _lead_in_pattern() -> re.Pattern[str]:
    words = sorted({normalise_name(w) for w in LEAD_INS}, key=len, reverse=True)
    return re.compile("^(?:" + "|".join(re.escape(w) for w in words) + ")(?: |$)")


def _found(kind: str, text: str) -> list[str]:
    return _found_in(kind, normalise_text(text))


def _found_in(kind: str, folded: str) -> list[str]:
    """The wordings of *kind* in a text already folded (:func:`normalise_text`)."""
    padded = f" {folded} "
    return list(dict.fromkeys(m.group(1) for m in _patterns()[kind].finditer(padded)))


def _lead_in(line: str) -> tuple[str, str] | None:
    """(the lead-in, the names after its colon) when *line* opens a list."""
    head, colon, rest = line.partition(":")
    if not colon:
        head, rest = line, ""
    if len(head) > MAX_LEAD_IN or (not colon and _SENTENCE.search(line)):
        return None
    folded = normalise_text(head)
    # "Signatories:", or a short line ending with a colon that speaks of signing ("The
    # statement is signed by:", "Subscrevem esta declaração:")
    if not _lead_in_pattern().match(folded) and not (colon and _found("signing", head)):
        return None
    return head.strip(), rest.strip()


def _is_run(line: str) -> bool:
    """Names one after the other on one line, separated by semicolons or commas."""
    body = line.rstrip(".")
    parts = [p for p in body.split(";" if ";" in body else ",") if p.strip()]
    least = 2 if ";" in body else 3  # as signatories.entries splits a line
    return len(parts) >= least and all(len(p.split()) <= MAX_ENTRY_WORDS for p in parts)


def _is_prose(line: str) -> bool:
    """A line of running text rather than a name, a heading or a run of names."""
    if _MARKED.match(line):
        return False
    if _is_run(line):
        return bool(_SENTENCE.search(line.rstrip(".")))
    words = line.split()
    return (
        len(words) > MAX_ENTRY_WORDS
        or line.endswith(("!", "?", "…"))
        or bool(_SENTENCE.search(line.rstrip(".")))
    )


def tail_list(text: str) -> TailList | None:
    """The list of names at the end of *text* (its last block of non-prose lines, up to
    :data:`MAX_TRAILING` prose lines before the end), or the names after the last lead-in."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][-TAIL_LINES:]
    for n in range(len(lines) - 1, -1, -1):
        opened = _lead_in(lines[n])
        if opened is None:
            continue
        body = [opened[1]] if opened[1] else []
        after = n + 1
        while after < len(lines) and not _is_prose(lines[after]):
            body.append(lines[after])
            after += 1
        found = _tail("\n".join(body), opened[0])
        if found is not None and len(lines) - after <= MAX_TRAILING:
            return found
    end = len(lines)
    while end > 0 and len(lines) - end < MAX_TRAILING and _is_prose(lines[end - 1]):
        end -= 1
    start = end
    while start > 0 and not _is_prose(lines[start - 1]):
        start -= 1
    return _tail("\n".join(lines[start:end]), "")


def _tail(text: str, lead_in: str) -> TailList | None:
    count = sum(1 for _ in entries(text)) if text else 0
    return TailList(text, lead_in, count) if count else None


def is_organisation(signer: Signer) -> bool:
    """An entry resolved to the KB, or named as organisations are."""
    return signer.org_id is not None or bool(
        _ORG_WORD.search(normalise_text(signer.name)) or _ACRONYM.search(signer.name)
    )


def list_signers(
    text: str, linker: Callable[[], Linker], *, day: date | None = None
) -> tuple[list[Signer], str]:
    """The signers of the list at the end of *text*, when it is one (most of its entries
    organisations, two at least), and its lead-in; ``([], "")`` otherwise."""
    return _signers(tail_list(text), linker, day)


def _signers(
    found: TailList | None, linker: Callable[[], Linker], day: date | None
) -> tuple[list[Signer], str]:
    if found is None or (found.entries < 2 and not found.lead_in):
        return [], ""
    signers = parse(found.text, linker(), day=day)
    orgs = sum(1 for s in signers if is_organisation(s))
    if orgs < 2 or orgs < MIN_SHARE * len(signers):
        return [], ""
    # the whole list, but a dateline ("Athens, 24 November 2026") or a year
    kept = [s for s in signers if is_organisation(s) or not _YEAR.search(s.name)]
    return kept, found.lead_in


def detect(
    title: str, text: str, linker: Callable[[], Linker], *, day: date | None = None
) -> Detection:
    """Whether the item (*title*, *text*) is a joint statement, how sure, and why.

    *linker* is called only when the text ends with something like a list, so texts without
    one never build it."""
    titled = _found("document", title)
    opening = text[:OPENING_CHARS]
    undersigned = _found("undersigned", title + "\n" + opening)
    folded = normalise_text(text)  # once for both wordings: it is the whole text
    mentioned = _found_in("document", folded) + _found_in("signing", folded)
    tail = tail_list(text)
    # a list counts only with some wording or its lead-in: without either, it is not read
    if titled or undersigned or mentioned or (tail is not None and tail.lead_in):
        signers, lead_in = _signers(tail, linker, day)
    else:
        signers, lead_in = [], ""
    said: list[str] = []
    if titled:
        said.append("title: " + ", ".join(titled))
    if undersigned:
        said.append("opening: " + ", ".join(undersigned))
    if lead_in:
        said.append(f"lead-in: {lead_in}")
    if mentioned and not (titled or undersigned):
        said.append("mentions: " + ", ".join(mentioned[:3]))
    if signers:
        known = sum(1 for s in signers if s.org_id)
        said.append(f"list: {len(signers)} names, {known} in the KB")
    other = _found("other", title)
    if other:
        said.append("title names another kind: " + ", ".join(other))
    wording = bool(titled or undersigned)
    listed = bool(signers) and bool(lead_in or mentioned)
    score = 2.0 * bool(titled) + 1.5 * bool(undersigned) + 1.0 * bool(lead_in)
    score += 0.5 * bool(mentioned) + (1.5 if len(signers) >= 3 else 1.0 if signers else 0.0)
    joint = (wording or listed) and not other
    confidence = round(min(0.99, 0.35 + 0.12 * score), 2) if joint else 0.0
    return Detection(joint, confidence, "; ".join(said)[:400], signers if joint else [], lead_in)

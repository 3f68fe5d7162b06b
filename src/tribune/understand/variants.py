"""The predictable variants in which the movement's press writes organisation names.

The KB lists each organisation's official names and acronyms. Articles also write
"CP of Turkey", "Turkish Communist Party", "Turkey's Communist Party", "Turkish CP",
"Partido Comunista da Turquia", "Yunanistan Komünist Partisi", "Коммунистическая партия
Греции" and "Workers Party" for "Workers' Party". Rather than have
editors type each of these as an alias, the variants are generated from the name's shape and the
organisation's country (its names in CLDR and its English adjectives).

Names in the network's other languages ("Partido Comunista Francés", "Κόμμα Εργασίας
Αυστρίας", "Союз коммунистов Украины") are composed from the English name by
:mod:`tribune.understand.translations`.

Each variant carries a *priority*: 0 for a name the KB states, 1 for a variant of the same shape
("Communist Party of Türkiye" for "Communist Party of Turkey", "CP of Turkey"), 2 for a variant
of another shape ("Turkish Communist Party" for "Communist Party of Turkey"). When one key is
produced for several organisations, only the candidates of the best priority are kept: so the
stated name "Communist Party of Brazil" (PCdoB) is never taken over by a variant generated from
"Brazilian Communist Party" (PCB).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tribune.kb.countries import Country
from tribune.understand.name_vocabulary import extra_names
from tribune.understand.textnorm import normalise_name
from tribune.understand.translations import country_joints, is_generic_key, translations

GENERIC_WORDS = frozenset(
    "communist communists party parties workers worker labour labor socialist socialists "
    "people peoples s the of and union youth young league front democratic progressive national "
    "new united revolutionary marxist leninist left green popular social unity "
    # the same words in the network's other main languages
    "partido partidos comunista comunistas obrero obreros trabajadores trabalhadores partito "
    "comunisti lavoratori parti communiste communistes travailleurs partei kommunistische "
    "kommunisten arbeit arbeiter partit comunistes treballadors kommunistisk kommunistiske "
    "parti partiet de del la el los las do da dos das di della dei du des der die das den "
    "und y e et i".split()
)
"""Words that name no one in particular: a name made only of them needs context to link."""

_LOCAL_SCRIPTS = frozenset({"el", "ru"})  # other scripts whose names are matched
_JOINTS = frozenset("of in de del do da dos das di della dell du des d the la le".split())
_ABBREVIATIONS = (("communist party", "cp"), ("workers party", "wp"))
_LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff' .-]+$")
_CASE_BOUNDARY = re.compile(r"(?<=[A-Z])(?=[a-z]{2,})|(?<=[a-z])(?=[A-Z])")


_GREEK_LETTERS = dict(zip("ABGDEZIKLMNXOPRSTYF", "ΑΒΓΔΕΖΙΚΛΜΝΞΟΠΡΣΤΥΦ", strict=True))
_CYRILLIC_LETTERS = dict(zip("ABVGDEZIKLMNOPRSTUF", "АБВГДЕЗИКЛМНОПРСТУФ", strict=True))
_SCRIPTS = (
    (frozenset({"GR", "CY"}), _GREEK_LETTERS),
    (frozenset({"RU", "UA", "BY", "BG", "KZ", "KG", "TJ"}), _CYRILLIC_LETTERS),
)


@dataclass(frozen=True, slots=True)
class Variant:
    key: str
    priority: int
    # None: as :func:`is_generic` says. A name composed in another language says itself whether
    # it is made only of the vocabulary's generic words ("Partido Comunista"); a name the KB
    # states in that language ("Parti révolutionnaire Communistes") stays a name of its own.
    generic: bool | None = None


def acronym_forms(acronym: str, country: str | None = None) -> list[str]:
    """An acronym as written, plus its spaced form for mixed-case ones ("PCdoB" -> "PC do B"),
    and, for an organisation of a country that writes Greek or Cyrillic, the acronym in that
    script where each Latin letter stands for one letter of it ("AKEL" -> "ΑΚΕΛ", "RKRP" ->
    "РКРП"): the press of its own language writes it so. An acronym with a letter that stands
    for none or for several ("CPSU": C, "NKPJ": J) is an English or other acronym, not a
    transliteration, and is left alone."""
    forms = [acronym]
    spaced = _CASE_BOUNDARY.sub(" ", acronym)
    if spaced != acronym and " " not in acronym:
        forms.append(spaced)
    for countries, letters in _SCRIPTS:
        if country in countries and all(ch in letters or not ch.isalpha() for ch in acronym):
            local = "".join(letters.get(ch, ch) for ch in acronym)
            if local != acronym:
                forms.append(local)
    return forms


def is_generic(key: str) -> bool:
    """Whether a normalised name is made only of generic words ("communist party")."""
    return GENERIC_WORDS.issuperset(key.split())


class CountryForms:
    """The ways one country is written: English names and adjectives, names per language."""

    def __init__(self, country: Country, adjectives: Iterable[str]) -> None:
        self.code = country.code
        self.names_by_language: dict[str, set[str]] = {}
        for name, languages in country.names.items():
            if not _LATIN.match(name):  # other scripts: only where a variant is made of them
                languages = tuple(lang for lang in languages if lang in _LOCAL_SCRIPTS)
            key = normalise_name(name)
            for language in languages:
                self.names_by_language.setdefault(language, set()).add(key)
        # the long and old forms CLDR leaves out ("Russian Federation", "Macedonia")
        extra = {
            normalise_name(n) for lang, n, _ in extra_names().get(country.code, ()) if lang == "en"
        }
        self.english = (
            self.names_by_language.get("en", set()) | {normalise_name(country.name_en)} | extra
        )
        self.adjectives = {normalise_name(a) for a in adjectives}

    def match_of(self, key: str) -> tuple[str, str] | None:
        """Split "communist party of [the] turkey" into ("communist party", "turkey")."""
        for name in self.english:
            for joint in (" of the ", " of "):
                suffix = joint + name
                if key.endswith(suffix) and len(key) > len(suffix):
                    return key[: -len(suffix)], name
        return None

    def strip_local(self, key: str) -> str | None:
        """A native name without its country: "partei der arbeit osterreichs" -> "partei der
        arbeit" (the last word starts with the country's name in some language)."""
        words = key.split()
        if len(words) < 3:
            return None
        last = words[-1]
        for names in self.names_by_language.values():
            for name in names:
                if " " not in name and len(name) >= 5 and last.startswith(name):
                    rest = words[:-1]
                    while rest and rest[-1] in _JOINTS:
                        rest.pop()
                    return " ".join(rest) if len(rest) >= 2 else None
        return None

    def match_adjective(self, key: str) -> tuple[str, str] | None:
        """Split "portuguese communist party" into ("communist party", "portuguese")."""
        for word in self.adjectives | self.english:
            prefix = word + " "
            if key.startswith(prefix) and len(key) > len(prefix):
                return key[len(prefix) :], word
        return None


_QUALIFIER = re.compile(r"^(?P<name>.*\S)\s*\((?P<inner>[^()]+)\)$")
_DASH_NOTE = re.compile(r"^(?P<name>.*\S)\s+[-–—]\s+(?P<note>[^-–—]{2,})$")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def stated_forms(name: str, country_names: set[str]) -> list[tuple[str, int]]:
    """The forms a stated KB name is indexed under, with their priority.

    "The Workers' Party of Ireland" is also indexed without "The"; a qualifier in parentheses
    that gives dates or the country ("Communist Party of Great Britain (1920-1991)",
    "Socialist Party (Lithuania)") is a note, not part of the name: the name is indexed without
    it, and "Socialist Party (Lithuania)" also as "Socialist Party of Lithuania". So is a country
    or an acronym after a dash ("Communist Party of Kurdistan - Iraq", "Union of Communist
    Parties - CPSU"), as a variant: the name alone is a shorter form, which another party may
    state. A field that gives two names ("Parti du Travail de Belgique / Partij van de Arbeid
    van België") states each.
    """
    if " / " in name:  # "Parti du Travail de Belgique / Partij van de Arbeid van België"
        parts = [p.strip() for p in name.split(" / ") if p.strip()]
        return [form for part in parts for form in stated_forms(part, country_names)]
    out = [(name, 0)]
    bare = _LEADING_THE.sub("", name)
    if bare != name:
        out.append((bare, 0))
    tail = _DASH_NOTE.match(bare)
    if tail is not None:
        note = tail.group("note")
        if not any(ch.islower() for ch in note) or normalise_name(note) in country_names:
            out.append((tail.group("name"), 1))
    match = _QUALIFIER.match(bare)
    if match is not None:
        inner = match.group("inner").strip()
        if any(ch.isdigit() for ch in inner) or normalise_name(inner) in country_names:
            out.append((match.group("name"), 0))
            if normalise_name(inner) in country_names:
                out.append((f"{match.group('name')} of {inner}", 0))
    for form, priority in list(out):
        if " of the " in form.lower():
            out.append((re.sub(r"(?i) of the ", " of ", form), max(priority, 1)))
    if "-" in bare and " " not in bare.strip():
        out.append((bare.replace("-", ""), 1))  # "Al-Midan" is also written "Almidan"
    return out


def name_variants(
    key: str, forms: CountryForms | None, *, translate: bool = False
) -> Iterator[Variant]:
    """Variants of one normalised official name of an organisation of the given country, in
    English and, from an English name, in the network's other languages (always with a country;
    without one, an international organisation's, when *translate* says so)."""
    yield Variant(key, 0)
    if forms is not None or translate:
        yield from _translated(key, forms)
    if forms is None:
        return
    head: str | None = None
    shape_of = forms.match_of(key)
    if shape_of is not None:
        head = shape_of[0]
    else:
        shape_adj = forms.match_adjective(key)
        if shape_adj is not None:
            head = shape_adj[0]
    if head is None:
        yield from _abbreviated(key, 2)
        stripped = forms.strip_local(key)
        if stripped is not None:
            yield Variant(stripped, 2)
        return
    of_priority, adj_priority = (1, 2) if shape_of is not None else (2, 1)
    # the name without its country: "Communist Party", which links only with context
    yield Variant(head, 2)
    heads = [(head, 0)] + [(head.replace(long, short), 1) for long, short in _ABBREVIATIONS]
    for h, abbreviated in heads:
        if h == head and abbreviated:
            continue
        for name in sorted(forms.english):
            yield Variant(f"{h} of {name}", of_priority + abbreviated)
            yield Variant(f"{h} of the {name}", of_priority + abbreviated)
            if name.startswith("the "):
                yield Variant(f"{h} of {name[4:]}", of_priority + abbreviated)
            yield Variant(f"{name} s {h}", 2 + abbreviated)
        for adjective in sorted(forms.adjectives | forms.english):
            yield Variant(f"{adjective} {h}", adj_priority + abbreviated)
    if head == "communist party":  # "PC do Brasil", "PC de Chile"
        for language in ("es", "pt", "it", "ca"):
            for name in sorted(forms.names_by_language.get(language, ())):
                for joint in country_joints(language, name):
                    yield Variant(f"pc {joint} {name}", of_priority + 1)


def _translated(key: str, forms: CountryForms | None) -> Iterator[Variant]:
    for variant, priority in translations(key, forms.code if forms is not None else None):
        yield Variant(variant, priority, is_generic_key(variant))


def _abbreviated(key: str, priority: int) -> Iterator[Variant]:
    for long, short in _ABBREVIATIONS:
        if long in key and key != long:
            yield Variant(key.replace(long, short), priority)

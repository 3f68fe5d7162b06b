"""Organisation names in the network's other languages, composed from the English name.

The movement's press writes a party's name in the language of the article: "Partido Comunista
Francés", "Κόμμα Εργασίας Αυστρίας", "Союз коммунистов Украины", "Avusturya Emek Partisi". The KB
states the English name (and usually the native one). Such names are made of a small vocabulary
(party, communist, workers', labour, youth, union...) around a country, so they are composed
rather than listed: the vocabulary is translated once (``data/name_words.csv``), the countries'
names and adjectives come from CLDR and ``data/country_adjectives_by_language.csv`` and
``data/country_names_extra.csv``, and each language's grammar puts the words together.

1. The English name is parsed into a head noun ("party"), its modifiers in order ("new",
   "communist", "workers'", or the country's adjective: "French"), its complements ("of the
   workers", "of labour", "of the Bulgarian communists") and the country, named after "of" or
   "in" or as the adjective. A name with a word outside the vocabulary is not translated: a proper
   noun ("Tudeh", "Patria Roja") has no predictable translation, and a guess could name another
   party.
2. Each language renders that structure:

   - Spanish, Portuguese, Italian, French, Catalan: the noun first ("new" and "young" before it),
     then the adjectives agreeing in gender and number, in the English order or the reverse
     ("Partido Popular Socialista", "Juventud Obrera Socialista"), the country's adjective last
     ("Partido Comunista Obrero Ruso"), then the complements with "de" and the article or without
     it ("de los Trabajadores", "de Jóvenes Comunistas"), then the country after each joint the
     language may put before that name ("de", "del", "de la"; "de los" before a plural name,
     "d'" before a vowel): which one a country takes is not in the data, and the wrong ones
     never occur in a text;
   - Greek and Russian: the adjectives first, in the English order, then the noun, then the
     complements and the country in the genitive ("Κομμουνιστικό Κόμμα Εργατών Ισπανίας",
     "Партия коммунистов Кыргызстана"); Greek also with the article ("της Ρωσικής
     Ομοσπονδίας");
   - German: the same order, with the strong adjective endings, compounds for the words that make
     them ("Arbeiterpartei") and the complements with their article ("Partei der Arbeit");
   - Turkish: the country, the complements and every modifier before the noun, which takes its
     compound suffix once anything precedes it ("Hollanda Yeni Komünist Partisi", "Bulgar
     Komünistler Partisi").

   A word of the English name used as a modifier ("Workers' Party") may be rendered as an
   adjective ("Partido Obrero") or as a complement ("Partido de los Trabajadores"); a complement
   is rendered as an adjective only where the vocabulary says the language does so
   ("Παγκόσμια Συνδικαλιστική Ομοσπονδία"): "Communist Party of the Workers of Spain" is not the
   "Spanish Communist Workers' Party".
3. Each rendering is a *variant*: priority 1 when it keeps the name's shape (the country after
   "of" stays a complement, an adjective stays an adjective), 2 when it swaps them, and 2 for the
   name without its country, which is made only when it is generic ("Partido Comunista") and so
   links only with the context's support.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from tribune.understand.inflection import ROMANCE, VOWELS, greek_article, inflect
from tribune.understand.name_vocabulary import (
    COUNTRY,
    GENERIC_ENGLISH,
    LANGUAGES,
    Complement,
    CountryWords,
    Modifier,
    Noun,
    Shape,
    Word,
    country_words,
    vocabulary,
)
from tribune.understand.textnorm import normalise_name

_LIMIT = 400  # renderings of one name in one language: a bound, never reached by real names


# "de" + article, by language and by the gender and number of the noun that follows
_ROMANCE_OF: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {"m": ("del",), "f": ("de la",), "mp": ("de los",), "fp": ("de las",), "": ("de",)},
    "pt": {"m": ("do",), "f": ("da",), "mp": ("dos",), "fp": ("das",), "": ("de",)},
    "it": {"m": ("del",), "f": ("della",), "mp": ("dei",), "fp": ("delle",), "": ("di",)},
    "fr": {"m": ("du",), "f": ("de la",), "mp": ("des",), "fp": ("des",), "": ("de",)},
    "ca": {"m": ("del",), "f": ("de la",), "mp": ("dels",), "fp": ("de les",), "": ("de",)},
}
# the same before a vowel, where the language elides
_ROMANCE_OF_ELIDED: dict[str, dict[str, tuple[str, ...]]] = {
    "it": {"m": ("dell",), "f": ("dell",), "mp": ("degli",), "": ("d", "di")},
    "fr": {"m": ("de l",), "f": ("de l",), "": ("d",)},
    "ca": {"m": ("de l",), "f": ("de l",), "": ("d",)},
}
# the joints before a country's name: "Partido Comunista de España", "del Perú", "de la
# Argentina"; before a plural name ("de los Países Bajos"); before a vowel ("d'Espagne")
_COUNTRY_OF: dict[str, tuple[str, ...]] = {
    "es": ("de", "del", "de la"),
    "pt": ("de", "do", "da"),
    "it": ("di", "del", "della"),
    "fr": ("de", "du", "de la"),
    "ca": ("de", "del", "de la"),
}
_COUNTRY_OF_PLURAL: dict[str, tuple[str, ...]] = {
    "es": ("de", "de los", "de las"),
    "pt": ("de", "dos", "das"),
    "it": ("di", "dei", "degli", "delle"),
    "fr": ("de", "des"),
    "ca": ("de", "dels", "de les"),
}
_COUNTRY_OF_ELIDED: dict[str, tuple[str, ...]] = {
    "it": ("di", "d", "dell"),
    "fr": ("d", "de l"),
    "ca": ("d", "de l"),
}
_COUNTRY_IN: dict[str, tuple[str, ...]] = {
    "es": ("en",),
    "pt": ("em", "no", "na", "nos", "nas"),
    "it": ("in", "nel", "nella", "nei", "negli"),
    "fr": ("en", "au", "aux"),
    "ca": ("a", "al", "als"),
    "de": ("in", "in der", "im"),
}


# ---------------------------------------------------------------------------------------------
# parsing the English name


def _match(words: Sequence[str], at: int, phrases: Iterable[str]) -> int:
    """The length in words of the longest of *phrases* found at position *at*, or 0."""
    best = 0
    for phrase in phrases:
        n = phrase.count(" ") + 1
        if n > best and tuple(words[at : at + n]) == tuple(phrase.split()):
            best = n
    return best


def _tokens(words: Sequence[str], country: CountryWords | None) -> list[Word | str | None] | None:
    """Vocabulary entries, "of", "the", "in" and COUNTRY (an adjective or name of the country),
    or None when a word is unknown."""
    vocab = vocabulary()
    out: list[Word | str | None] = []
    at = 0
    while at < len(words):
        if country is not None:
            n = _match(words, at, country.english)
            if n:
                out.append(COUNTRY)
                at += n
                continue
        n = 2 if tuple(words[at : at + 2]) in vocab else 1
        entry = vocab.get(tuple(words[at : at + n]))
        if entry is not None:
            out.append(entry)
        elif words[at] in ("of", "the", "in"):
            out.append(words[at])
        else:
            return None
        at += n
    return out


def _noun_phrase(tokens: Sequence[Word | str | None]) -> tuple[tuple[Modifier, ...], Word] | None:
    """Modifiers and the noun they modify: the last word."""
    if not tokens or any(isinstance(t, str) for t in tokens):
        return None
    head = tokens[-1]
    if not isinstance(head, Word):
        return None
    modifiers = tuple(t for t in tokens[:-1] if not isinstance(t, str))
    return modifiers, head


def parse(key: str, country: CountryWords | None) -> Shape | None:
    """The structure of an English (normalised) name, or None when it is not composed of the
    vocabulary around the country."""
    words = key.split()
    shape_country = ""
    trailing: list[Word] = []
    if country is not None:
        vocab = vocabulary()
        ends: list[tuple[list[str], tuple[Word, ...]]] = [(words, ())]
        last = vocab.get((words[-1],)) if words else None
        if last is not None and any(last.adjectives.values()) and len(words) > 3:
            ends.append((words[:-1], (last,)))
        for body, tail in ends:
            cut = _country_suffix(body, country)
            if cut is not None:
                words, shape_country = body[: cut[0]], cut[1]
                trailing = list(tail)
                break
    tokens = _tokens(words, country)
    if not tokens:
        return None
    parts: list[list[Word | str | None]] = [[]]
    for token in tokens:
        if token == "of":
            parts.append([])
        elif token == "the" and not parts[-1] and len(parts) > 1:
            continue
        else:
            parts[-1].append(token)
    main = _noun_phrase(parts[0])
    if main is None:
        return None
    modifiers, head = main
    complements: list[Complement] = []
    for part in parts[1:]:
        phrase = _noun_phrase(part)
        if phrase is None:
            return None
        complements.append(Complement(*phrase))
    slots = list(modifiers) + [m for c in complements for m in c.modifiers]
    country_slots = sum(1 for m in slots if m is COUNTRY)
    if country_slots > 1 or (country_slots and shape_country):
        return None
    if country_slots and COUNTRY in modifiers:
        shape_country = "adj"
    return Shape(modifiers, head, tuple(complements), shape_country, tuple(trailing))


def _country_suffix(words: Sequence[str], country: CountryWords) -> tuple[int, str] | None:
    """Where "of [the] <country>" or "in <country>" starts, and which."""
    best: tuple[int, str] | None = None
    for name in country.english_names:
        n = name.count(" ") + 1
        if len(words) <= n + 1 or list(words[-n:]) != name.split():
            continue
        for joint, kind in ((("of", "the"), "of"), (("of",), "of"), (("in",), "in")):
            start = len(words) - n - len(joint)
            if start >= 1 and tuple(words[start : start + len(joint)]) == joint:
                if best is None or start < best[0]:
                    best = (start, kind)
                break
    return best


# ---------------------------------------------------------------------------------------------
# rendering


@dataclass(frozen=True, slots=True)
class _Slot:
    place: str  # pre, post, country, comp (a complement), gen (a genitive), compound
    text: str


def _modifier_slots(
    language: str, modifier: Modifier, noun: Noun, country: CountryWords | None
) -> list[_Slot]:
    """The ways one modifier of the English name is rendered before or after *noun*."""
    if modifier is COUNTRY:
        if country is None:
            return []
        adjectives = country.adjectives.get(language, [])
        if language == "tr":
            names = country.names.get("tr", set()) | {normalise_name(a.lemma) for a in adjectives}
            return [_Slot("country", name) for name in sorted(names)]
        place = "country" if language in ROMANCE else "pre"
        return [_Slot(place, form) for a in adjectives for form in inflect(language, a, noun)]
    slots: list[_Slot] = []
    for adjective in modifier.adjectives.get(language, []):
        if adjective.compound:
            if language == "de":
                slots.append(_Slot("compound", adjective.lemma[:-1]))
            continue
        place = "post" if language in ROMANCE and not adjective.before else "pre"
        slots.extend(_Slot(place, form) for form in inflect(language, adjective, noun))
    if language != "tr":
        for complement_noun in modifier.nouns.get(language, []):
            slots.extend(
                _Slot("comp" if language in ROMANCE else "gen", text)
                for text in _complement_texts(language, (), complement_noun, country)
            )
    return slots


def _complement_texts(
    language: str,
    modifiers: Sequence[Modifier],
    noun: Noun,
    country: CountryWords | None,
) -> list[str]:
    """ "of [the] <modifiers> <noun>" in *language*."""
    pre: list[list[str]] = []
    post: list[list[str]] = []
    for modifier in modifiers:
        if modifier is COUNTRY:
            forms = [
                form
                for a in (country.adjectives.get(language, []) if country else [])
                for form in inflect(language, a, noun, genitive=True)
            ]
            if not forms:
                return []
            (post if language in ROMANCE else pre).append(forms)
            continue
        adjectives = [a for a in modifier.adjectives.get(language, []) if not a.compound]
        if not adjectives:
            return []
        target = post if language in ROMANCE and not adjectives[0].before else pre
        target.append([f for a in adjectives for f in inflect(language, a, noun, genitive=True)])
    out: list[str] = []
    for before in itertools.product(*pre):
        for after in itertools.product(*post):
            if language in ROMANCE:
                phrase = " ".join([*before, noun.form, *after])
                for joint in _romance_of(language, noun, phrase):
                    out.append(f"{joint} {phrase}")
            elif language in ("el", "ru"):
                out.append(" ".join([*before, noun.genitive or noun.form]))
            elif language == "de":
                article = "der" if noun.plural or noun.base_gender == "f" else "des"
                out.append(" ".join([article, *before, noun.genitive or noun.form]))
    return out


def _romance_of(language: str, noun: Noun, phrase: str) -> list[str]:
    """ "de" with the article of *noun*, elided before a vowel ("de l'", "dell'", "d'"), and
    without any article ("Unión de Jóvenes Comunistas")."""
    key = ("f" if noun.base_gender == "f" else "m") + ("p" if noun.plural else "")
    table = _ROMANCE_OF[language]
    first = normalise_name(phrase)
    if language == "it" and (first[:1] == "z" or (first[:1] == "s" and first[1:2] not in VOWELS)):
        table = {**table, "m": ("dello",), "mp": ("degli",)}
    elif first[:1] in "aeiouh" and language in _ROMANCE_OF_ELIDED:
        table = {**table, **_ROMANCE_OF_ELIDED[language]}
    return list(dict.fromkeys([*table.get(key, ()), *table[""]]))


def _tail(language: str, mode: str, country: CountryWords | None) -> list[str]:
    """The country after the name: "de España", "Ισπανίας", "Испании", "Spaniens"."""
    if country is None or mode not in ("of", "in"):
        return [""]
    names = sorted(country.names.get(language, ()))
    if mode == "in":
        return [f"{j} {n}" for j in _COUNTRY_IN.get(language, ()) for n in names]
    if language in ROMANCE:
        return [f"{j} {n}" for n in names for j in country_joints(language, n)]
    genitives = sorted(country.genitives.get(language, ()))
    if language == "el":
        return genitives + [f"{greek_article(g)} {g}" for g in genitives if greek_article(g)]
    return genitives


def country_joints(language: str, name: str) -> tuple[str, ...]:
    """The joints a Romance language may put before a (normalised) country name: the plural
    ones before a plural name ("Países Bajos", "Stati Uniti"), the elided ones before a vowel."""
    if name[:1] in "aeiouh" and language in _COUNTRY_OF_ELIDED:
        return _COUNTRY_OF_ELIDED[language]
    last = name.rsplit(" ", 1)[-1]
    if last.endswith("s") or (language == "it" and last.endswith("i")):
        return _COUNTRY_OF_PLURAL[language]
    return _COUNTRY_OF[language]


def _orders(items: Sequence[str]) -> list[tuple[str, ...]]:
    """Post-nominal adjectives in the English order and the reverse."""
    forward = tuple(items)
    return [forward] if len(forward) < 2 else [forward, forward[::-1]]


def render(shape: Shape, language: str, mode: str, country: CountryWords | None) -> Iterator[str]:
    """The renderings of *shape* in *language*, with the country as *mode* says: "of", "in",
    "adj" (the COUNTRY modifier) or "" (without the country)."""
    modifiers = list(shape.modifiers)
    if mode != "adj":
        modifiers = [m for m in modifiers if m is not COUNTRY]
    elif COUNTRY not in modifiers:
        modifiers.insert(0, COUNTRY)
    if language == "tr" and mode in ("of", "adj"):
        modifiers = [COUNTRY] + [m for m in modifiers if m is not COUNTRY]
    if mode == "in" and language not in _COUNTRY_IN:
        return
    tails = [] if language == "tr" else _tail(language, mode, country)
    count = 0
    for noun in shape.head.nouns.get(language, []):
        alternatives = [_modifier_slots(language, m, noun, country) for m in modifiers]
        if any(not a for a in alternatives):
            continue
        complements = _complements(language, shape, noun, country)
        if complements is None:
            continue
        trailing = _trailing(language, shape, noun)
        if trailing is None:
            continue
        for combo in itertools.product(*alternatives):
            for text in _assemble(language, noun, combo, complements, tails, trailing):
                yield text
                count += 1
                if count >= _LIMIT:
                    return


def _complements(
    language: str, shape: Shape, head: Noun, country: CountryWords | None
) -> list[list[_Slot]] | None:
    """Each complement's renderings: "de los trabajadores", "εργατών", "işçilerin"."""
    out: list[list[_Slot]] = []
    for complement in shape.complements:
        slots: list[_Slot] = []
        for noun in complement.noun.nouns.get(language, []):
            if language == "tr":
                continue
            place = "comp" if language in ROMANCE else "gen"
            slots.extend(
                _Slot(place, text)
                for text in _complement_texts(language, complement.modifiers, noun, country)
            )
        for adjective in complement.noun.adjectives.get(language, []):
            if language == "tr":
                before = [
                    _modifier_slots("tr", m, Noun("", "", ""), country)
                    for m in complement.modifiers
                ]
                for combo in itertools.product(*before):
                    words = [*(s.text for s in combo), adjective.lemma]
                    slots.append(_Slot("trcomp", " ".join(words)))
            elif adjective.in_complements and not complement.modifiers:
                place = "post" if language in ROMANCE else "pre"
                slots.extend(_Slot(place, form) for form in inflect(language, adjective, head))
        if language == "tr" and not slots:
            for noun in complement.noun.nouns.get("tr", []):
                slots.append(_Slot("trcomp", noun.form))
        if not slots:
            return None
        out.append(slots)
    return out


def _trailing(language: str, shape: Shape, noun: Noun) -> list[str] | None:
    forms: list[list[str]] = []
    for word in shape.trailing:
        adjectives = word.adjectives.get(language, [])
        texts = [t for a in adjectives if not a.compound for t in inflect(language, a, noun)]
        if not texts:
            return None
        forms.append(texts)
    return [" ".join(combo) for combo in itertools.product(*forms)]


def _assemble(
    language: str,
    noun: Noun,
    combo: Sequence[_Slot],
    complements: Sequence[Sequence[_Slot]],
    tails: Sequence[str],
    trailing: Sequence[str],
) -> Iterator[str]:
    by_place: dict[str, list[str]] = {}
    for slot in combo:
        by_place.setdefault(slot.place, []).append(slot.text)
    for chosen in itertools.product(*complements):
        places = {k: list(v) for k, v in by_place.items()}
        for slot in chosen:
            if slot.place in ("pre", "post"):  # "Federación Sindical Mundial"
                places.setdefault(slot.place, []).append(slot.text)
            else:
                places.setdefault("of-" + slot.place, []).append(slot.text)
        yield from _assemble_one(language, noun, places, tails, trailing)


def _assemble_one(
    language: str,
    noun: Noun,
    places: dict[str, list[str]],
    tails: Sequence[str],
    trailing: Sequence[str],
) -> Iterator[str]:
    pre = places.get("pre", [])
    post = places.get("post", [])
    country_slot = places.get("country", [])
    comps = places.get("comp", []) + places.get("of-comp", [])
    gens = places.get("gen", []) + places.get("of-gen", [])
    if language in ROMANCE:
        for order in _orders(post):
            for tail in tails:
                for trail in trailing:
                    yield " ".join([*pre, noun.form, *order, *country_slot, *comps, tail, trail])
    elif language in ("el", "ru"):
        for tail in tails:
            for trail in trailing:
                yield " ".join([*pre, noun.form, *gens, tail, trail])
    elif language == "de":
        compounds = places.get("compound", [])
        if len(compounds) > 1:
            return
        head = "".join([*compounds, noun.form])
        for tail in tails:
            for trail in trailing:
                yield " ".join([*pre, head, *gens, tail, trail])
    elif language == "tr":
        # the complements before the modifiers or after them: "İspanya İşçilerin Komünist
        # Partisi", "Dünya Sendikalar Federasyonu"
        complements = places.get("of-trcomp", [])
        orders = [country_slot + complements + pre, country_slot + pre + complements]
        for before in dict.fromkeys(tuple(order) for order in orders):
            heads = [noun.genitive or noun.form] if before else []
            if not country_slot and not complements:
                heads.append(noun.form)  # "Komünist Parti"
            for head in dict.fromkeys(heads):
                for trail in trailing:
                    yield " ".join([*before, head, trail])


# ---------------------------------------------------------------------------------------------
# entry point


@functools.lru_cache(maxsize=1 << 14)
def translations(key: str, code: str | None) -> tuple[tuple[str, int], ...]:
    """(normalised variant, priority) of the English name *key* of an organisation of the
    country *code* (None: an international organisation) in every language of
    :data:`LANGUAGES`; empty when the name is not composed of the vocabulary."""
    country = country_words(code) if code else None
    shape = parse(key, country)
    if shape is None:
        return ()
    if shape.country == "of":
        modes = [("of", 1), ("adj", 2)]
    elif shape.country == "adj":
        modes = [("adj", 1), ("of", 2)]
    elif shape.country == "in":
        modes = [("in", 1)]
    else:
        modes = [("", 1)]
    best: dict[str, int] = {}
    for language in LANGUAGES:
        for mode, priority in modes:
            for text in render(shape, language, mode, country):
                variant = normalise_name(text)
                if variant and priority < best.get(variant, 9):
                    best[variant] = priority
        if shape.country:
            for text in render(shape, language, "", country):
                variant = normalise_name(text)
                if is_generic_key(variant) and variant not in best:
                    best[variant] = 2
    best.pop(key, None)
    return tuple(best.items())


@functools.cache
def generic_words() -> frozenset[str]:
    """Every word the vocabulary's generic entries take in any language, in every inflection,
    and the joints and articles around them."""
    words: set[str] = set(GENERIC_ENGLISH)
    probes = [Noun("", g, "") for g in ("m", "f", "n", "mp", "fp", "np", "p")]
    for entry in vocabulary().values():
        if not entry.generic:
            continue
        for nouns in entry.nouns.values():
            for noun in nouns:
                words.update(normalise_name(noun.form).split())
                words.update(normalise_name(noun.genitive).split())
        for language, adjectives in entry.adjectives.items():
            for adjective in adjectives:
                words.update(normalise_name(adjective.lemma.rstrip("-")).split())
                for probe in probes:
                    for genitive in (False, True):
                        for form in inflect(language, adjective, probe, genitive):
                            words.update(normalise_name(form).split())
    # German compounds of two generic words ("Arbeiterpartei", "Arbeiterjugend")
    generic_entries = [e for e in vocabulary().values() if e.generic]
    prefixes = {
        a.lemma[:-1] for e in generic_entries for a in e.adjectives.get("de", []) if a.compound
    }
    heads = {n.form for e in generic_entries for n in e.nouns.get("de", [])}
    words.update(normalise_name(p + h) for p in prefixes for h in heads)
    for table in (_ROMANCE_OF, _ROMANCE_OF_ELIDED):
        for by_gender in table.values():
            for options in by_gender.values():
                for joint in options:
                    words.update(joint.split())
    for table_of in (_COUNTRY_OF, _COUNTRY_OF_PLURAL, _COUNTRY_OF_ELIDED):
        for joints in table_of.values():
            for joint in joints:
                words.update(joint.split())
    words.update(("der", "des", "της", "του", "των"))
    return frozenset(w for w in words if w)


def is_generic_key(key: str) -> bool:
    return generic_words().issuperset(key.split())

"""Adjectives agreeing with their noun, and names in the genitive, in the languages the
network writes organisation names in: Romance gender and number, Greek and Russian cases,
German strong endings (for :mod:`tribune.understand.translations`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tribune.understand.textnorm import normalise_name

if TYPE_CHECKING:  # the vocabulary's words are built with the genitives made here
    from tribune.understand.name_vocabulary import Adjective, Noun

ROMANCE = frozenset({"es", "pt", "it", "fr", "ca"})
VOWELS = frozenset("aeiouáéíóúàèìòùâêôãõ")

# ---------------------------------------------------------------------------------------------
# inflection


def _fold(text: str) -> str:
    return normalise_name(text)


def _greek_genitive_word(word: str) -> str | None:
    """The genitive of one word of a Greek country name, by its ending: Ελλάδα -> Ελλάδας, Κύπρος
    -> Κύπρου, Μεξικό -> Μεξικού, Κάτω Χώρες -> Κάτω Χωρών; Ιράν, Περού stay. None where the
    ending says nothing (an article)."""
    low = _fold(word)
    if low.endswith("ες"):
        return word[:-2] + "ων"
    if low.endswith("ος"):
        return word[:-2] + "ου"
    if low.endswith("ς"):
        return None
    if low.endswith(("α", "η")):
        return word + "ς"
    if low.endswith("ου"):
        return word
    if low.endswith("ο"):
        return word + "υ"
    return word


def _russian_genitive_word(word: str) -> str:
    """The genitive of one word of a Russian country name, by its ending: Греция -> Греции, Куба
    -> Кубы, Мексика -> Мексики, Китай -> Китая, Беларусь -> Беларуси, Пакистан -> Пакистана,
    Соединённые Штаты -> Соединённых Штатов, Южная Африка -> Южной Африки; Перу, Чили stay."""
    if word.endswith("ая"):
        return word[:-2] + ("ей" if word[-3:-2] in "жшчщ" else "ой")
    if word.endswith(("ые", "ие")):
        return word[:-2] + word[-2] + "х"
    if word.endswith(("ое", "ый", "ий", "ой")):
        return word[:-2] + "ого"
    if word.endswith("ия"):
        return word[:-1] + "и"
    if word.endswith("а"):
        return word[:-1] + ("и" if word[-2:-1] in "кгхжчшщ" else "ы")
    if word.endswith("я"):
        return word[:-1] + "и"
    if word.endswith("й"):
        return word[:-1] + "я"
    if word.endswith("ь"):
        return word[:-1] + "и"
    if word.endswith("ы"):
        return word[:-1] + "ов"
    if word[-1:] in ("и", "о", "е", "у", "ю", "э", "ё"):
        return word
    return word + "а"


def genitives(language: str, name: str) -> list[str]:
    """A country name in the genitive, where the language puts it there ("of Greece")."""
    if language == "el":
        words = [_greek_genitive_word(w) for w in name.split()]
        if any(w is None for w in words):
            return []
        return [" ".join(w for w in words if w)]
    if language == "ru":
        return [" ".join(_russian_genitive_word(w) for w in name.split())]
    if language == "de":
        forms = [f"der {name}", f"des {name}"]
        if not name.endswith(("s", "ß", "x", "z")):
            forms.append(name + "s")
        return forms
    return []


def greek_article(genitive: str) -> str:
    low = _fold(genitive)
    if low.endswith("ων"):
        return "των"
    if low.endswith("ου"):
        return "του"
    return "της" if low.endswith("ς") else ""


def _romance_feminine(language: str, adjective: Adjective) -> str:
    if adjective.feminine:
        return adjective.feminine
    lemma = adjective.lemma
    if language == "fr":
        if lemma.endswith("e"):
            return lemma
        if lemma.endswith(("en", "ien", "éen")):
            return lemma + "ne"
        return lemma + "e"
    if lemma.endswith("o"):
        return lemma[:-1] + "a"
    return lemma


def _romance_plural(language: str, word: str, feminine: bool) -> list[str]:
    last = word[-1:]
    if language == "es":
        if word.endswith("z"):
            return [word[:-1] + "ces"]
        if last in "íú":
            return [word + "es", word + "s"]
        return [word + "s"] if last in VOWELS else [word + "es"]
    if language == "pt":
        if word.endswith("ão"):
            return [word[:-2] + "ães", word[:-2] + "ões"]
        if last == "l":
            return [word[:-1] + "is"]
        if last == "m":
            return [word[:-1] + "ns"]
        return [word + "s"] if last in VOWELS else [word + "es"]
    if language == "it":
        if last in "àèìòù":
            return [word]
        if word.endswith(("co", "go")):
            return [word[:-1] + "i", word[:-1] + "hi"]
        if word.endswith(("ca", "ga")) and feminine:
            return [word[:-1] + "he"]
        if last == "a":
            return [word[:-1] + ("e" if feminine else "i")]
        if last in "oe":
            return [word[:-1] + "i"]
        return [word]
    if language == "fr":
        if last in "sxz":
            return [word]
        if word.endswith("al") and not feminine:
            return [word[:-2] + "aux"]
        if word.endswith("eau"):
            return [word + "x"]
        return [word + "s"]
    if last == "a":
        return [word[:-1] + "es"]
    return [word + "s"]


def _romance_adjective(language: str, adjective: Adjective, noun: Noun) -> list[str]:
    feminine = noun.base_gender == "f"
    form = _romance_feminine(language, adjective) if feminine else adjective.lemma
    return _romance_plural(language, form, feminine) if noun.plural else [form]


def _greek_adjective(adjective: Adjective, noun: Noun, genitive: bool) -> list[str]:
    lemma = adjective.lemma
    if not _fold(lemma).endswith("ος"):
        return [lemma]  # indeclinable ("σουαζί")
    stem = lemma[:-2]
    after_vowel = _fold(stem)[-1:] in "αειουη"
    gender, plural = noun.base_gender, noun.plural
    if genitive:
        if plural:
            return [stem + "ων"]
        if gender == "f":
            return [stem + ("ας" if after_vowel else "ης")]
        return [stem + "ου"]
    if plural:
        return [stem + {"m": "οι", "f": "ες"}.get(gender, "α")]
    if gender == "f":
        return [stem + ("α" if after_vowel else "η")]
    return [stem + ("ο" if gender == "n" else "ος")]


def _russian_adjective(adjective: Adjective, noun: Noun, genitive: bool) -> list[str]:
    lemma = adjective.lemma
    ending, stem = lemma[-2:], lemma[:-2]
    if ending not in ("ый", "ий", "ой"):
        return [lemma]
    hard_velar = stem[-1:] in "кгх"
    sibilant = stem[-1:] in "жшчщц"
    soft = ending == "ий" and not hard_velar and not sibilant
    i = "и" if (hard_velar or sibilant or soft) else "ы"
    gender = "p" if noun.plural else noun.base_gender
    if genitive:
        if gender == "p":
            return [stem + i + "х"]
        if gender == "f":
            return [stem + ("ей" if (soft or (sibilant and ending != "ой")) else "ой")]
        return [stem + ("его" if (soft or (sibilant and ending != "ой")) else "ого")]
    if gender == "p":
        return [stem + i + "е"]
    if gender == "f":
        return [stem + ("яя" if soft else "ая")]
    if gender == "n":
        return [stem + ("ее" if (soft or (sibilant and ending != "ой")) else "ое")]
    return [lemma]


def _german_adjective(adjective: Adjective, noun: Noun, genitive: bool) -> list[str]:
    if genitive:
        return [adjective.lemma + "en"]
    if noun.plural:
        return [adjective.lemma + "e"]
    return [adjective.lemma + {"m": "er", "f": "e", "n": "es"}[noun.base_gender]]


def inflect(language: str, adjective: Adjective, noun: Noun, genitive: bool = False) -> list[str]:
    """The adjective agreeing with the noun (and in the genitive where the language says so)."""
    if language in ROMANCE:
        return _romance_adjective(language, adjective, noun)
    if language == "el":
        return _greek_adjective(adjective, noun, genitive)
    if language == "ru":
        return _russian_adjective(adjective, noun, genitive)
    if language == "de":
        return _german_adjective(adjective, noun, genitive)
    return [adjective.lemma]

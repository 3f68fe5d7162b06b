"""The linker's lexicon: every name in the KB, with its variants, in one Aho-Corasick automaton.

Built from the database (so editors' additions count) plus the packaged country table. Each key
is a normalised name (see :mod:`tribune.understand.textnorm`) stored with a space on each side,
so one pass over a normalised text finds whole-word matches only.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, NamedTuple

import ahocorasick
import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import events, org_names, organizations, people, person_names, roles
from tribune.kb.countries import CountryTable, load_countries
from tribune.understand.fuzzy_index import FuzzyIndex
from tribune.understand.textnorm import fold_cased, normalise_name
from tribune.understand.titles import title_key
from tribune.understand.variants import (
    CountryForms,
    acronym_forms,
    is_generic,
    name_variants,
    stated_forms,
)


class Candidate(NamedTuple):
    """One meaning of a key. A named tuple: the build makes hundreds of thousands of them."""

    type: str  # org, person, country
    id: str
    acronym: bool = False
    form: str = ""  # for acronyms: the cased form the text must show
    valid_from: date | None = None
    valid_to: date | None = None
    certain: bool = True
    priority: int = 0
    generic: bool = False

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_to is not None and day > self.valid_to)


@dataclass(frozen=True, slots=True)
class OrgInfo:
    id: str
    country: str | None
    network_member: bool
    seed: bool
    kind: str
    parent_id: str | None
    year_first: int | None
    year_last: int | None
    acronyms: tuple[str, ...] = ()

    def existed_in(self, day: date | None) -> bool:
        """Party Facts' years of a world party; seed organisations date their names instead."""
        if day is None or self.seed:
            return True
        if self.year_first is not None and day.year < self.year_first:
            return False
        return not (self.year_last is not None and day.year > self.year_last)


class _NameRow(NamedTuple):
    org_id: str
    name: str
    language: str
    kind: str
    valid_from: date | None
    valid_to: date | None
    certain: bool


class Holder(NamedTuple):
    """Who held a title in an organisation, and when (the KB's ``roles``)."""

    person_id: str
    start: date | None
    end: date | None

    def held_on(self, day: date) -> bool:
        """Whether the term covers *day*; it ends on the day the next one starts."""
        if self.start is not None and day < self.start:
            return False
        return self.end is None or day < self.end


@dataclass(frozen=True, slots=True)
class EventInfo:
    id: str
    series: str
    number: int | None


@dataclass
class Lexicon:
    orgs: dict[str, OrgInfo]
    events: dict[str, EventInfo]
    countries: CountryTable
    entries: list[tuple[str, tuple[Candidate, ...]]]
    automaton: Any
    country_entries: list[tuple[str, tuple[Candidate, ...]]] = field(default_factory=list)
    country_automaton: Any = None
    acronym_entries: list[tuple[str, tuple[Candidate, ...]]] = field(default_factory=list)
    acronym_automaton: Any = None
    acronyms: dict[str, set[str]] = field(default_factory=dict)  # cased form -> org ids
    event_pattern: re.Pattern[str] | None = None
    event_numbers: dict[tuple[str, int], str] = field(default_factory=dict)
    event_labels: dict[str, str] = field(default_factory=dict)  # normalised label -> series
    fuzzy: FuzzyIndex | None = None
    # (key, surface, date, kind) -> the candidates the surface allows (see spans.py)
    surface_cache: dict[tuple[Any, ...], list[Candidate]] = field(default_factory=dict)
    # (organisation id, title key) -> who held that title there (see role_refs.py)
    holders: dict[tuple[str, str], tuple[Holder, ...]] = field(default_factory=dict)


def kb_fingerprint(db: Database) -> tuple[Any, ...]:
    """Changes whenever a KB row the lexicon reads is added, removed or edited."""
    parts: list[Any] = []
    with db.read() as conn:
        for table, stamp in (
            (organizations, organizations.c.updated_at),
            (org_names, org_names.c.created_at),
            (people, people.c.updated_at),
            (person_names, person_names.c.created_at),
            (events, events.c.updated_at),
            (roles, roles.c.updated_at),
        ):
            row = conn.execute(sa.select(sa.func.count(), sa.func.max(stamp)).select_from(table))
            parts.extend(row.one())
        removed = sa.select(sa.func.count()).where(org_names.c.removed.is_(True))
        parts.append(conn.execute(removed).scalar())
    return tuple(parts)


def build_lexicon(db: Database) -> Lexicon:
    """Read the KB from the database and build the automaton.

    The build allocates millions of small objects and no reference cycles, so the cyclic
    garbage collector is paused meanwhile (its full passes would walk every object again and
    again); afterwards the lexicon is moved out of the collector's sight (``gc.freeze``), so
    that linking, which allocates a lot, does not make it walk the lexicon either.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        lexicon = _build_lexicon(db)
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return lexicon


def _build_lexicon(db: Database) -> Lexicon:
    countries = load_countries()
    with db.read() as conn:
        org_rows = conn.execute(
            sa.select(
                organizations.c.id,
                organizations.c.country,
                organizations.c.network_member,
                organizations.c.in_seed,
                organizations.c.kind,
                organizations.c.parent_id,
                organizations.c.year_first,
                organizations.c.year_last,
                organizations.c.wikidata_id,
            )
        ).all()
        name_rows = conn.execute(
            sa.select(
                org_names.c.org_id,
                org_names.c.name,
                org_names.c.language,
                org_names.c.kind,
                org_names.c.valid_from,
                org_names.c.valid_to,
                org_names.c.certain,
                org_names.c.field,
            ).where(org_names.c.removed.is_(False))
        ).all()
        person_rows = conn.execute(sa.select(people.c.id, people.c.name)).all()
        alias_rows = conn.execute(
            sa.select(person_names.c.person_id, person_names.c.name).where(
                person_names.c.removed.is_(False)
            )
        ).all()
        event_rows = conn.execute(
            sa.select(events.c.id, events.c.series, events.c.number, events.c.name_en)
        ).all()
        role_rows = conn.execute(
            sa.select(roles.c.person_id, roles.c.org_id, roles.c.title, roles.c.start, roles.c.end)
        ).all()

    # A world party with the Wikidata id of a seed organisation is that organisation.
    seed_by_wikidata = {r.wikidata_id: r.id for r in org_rows if r.in_seed and r.wikidata_id}
    same_as = {
        r.id: seed_by_wikidata[r.wikidata_id]
        for r in org_rows
        if not r.in_seed and r.wikidata_id in seed_by_wikidata
    }
    # A name with a dated row is valid only in its ranges, even where another row lists it
    # undated (organizations.csv's name_en): "Hungarian Workers' Party" dates from 2013.
    dated = {
        (r.org_id, normalise_name(r.name))
        for r in name_rows
        if r.valid_from is not None or r.valid_to is not None
    }
    dated_orgs = {org_id for org_id, _ in dated}
    names: list[Any] = [
        _NameRow(same_as[r.org_id], *r[1:7]) if r.org_id in same_as else r
        for r in name_rows
        if r.org_id not in dated_orgs
        or r.valid_from is not None
        or r.valid_to is not None
        or (r.org_id, normalise_name(r.name)) not in dated
    ]
    org_rows = [r for r in org_rows if r.id not in same_as]
    acronyms_by_org: dict[str, list[str]] = defaultdict(list)
    for r in names:
        if r.kind == "acronym" and r.certain:
            acronyms_by_org[r.org_id].append(r.name)
    orgs = {
        r.id: OrgInfo(
            id=r.id,
            country=r.country,
            network_member=r.network_member == "yes",
            seed=bool(r.in_seed),
            kind=r.kind,
            parent_id=r.parent_id,
            year_first=r.year_first,
            year_last=r.year_last,
            acronyms=tuple(acronyms_by_org.get(r.id, ())),
        )
        for r in org_rows
    }
    builder = _Builder(orgs)
    acronym_builder = _Builder(orgs)  # matched on the text with its case kept
    for r in names:
        info = orgs.get(r.org_id)
        name = r.name.strip()
        if info is None or not name:
            continue
        if r.kind == "acronym" and _looks_like_acronym(name):
            for form in acronym_forms(name, info.country):
                acronym_builder.add(
                    fold_cased(form),
                    Candidate(
                        "org",
                        r.org_id,
                        acronym=True,
                        form=fold_cased(form),
                        valid_from=r.valid_from,
                        valid_to=r.valid_to,
                        certain=bool(r.certain),
                    ),
                )
            continue
        forms = _country_forms(info.country) if info.seed else None
        country_names = forms.english if forms is not None else set()
        for stated, stated_priority in stated_forms(name, country_names):
            for variant in name_variants(normalise_name(stated), forms, translate=info.seed):
                generic = is_generic(variant.key) if variant.generic is None else variant.generic
                if " " not in variant.key and (len(variant.key) < 3 or (generic and not info.seed)):
                    # "A", "P": too short to be a name; a world party called "Party" or "Left"
                    # can never be told apart
                    continue
                builder.add(
                    variant.key,
                    Candidate(
                        "org",
                        r.org_id,
                        valid_from=r.valid_from,
                        valid_to=r.valid_to,
                        priority=max(variant.priority, stated_priority),
                        generic=generic,
                    ),
                )

    for person_id, person_name in [*person_rows, *alias_rows]:
        for form in _person_forms(person_name):
            builder.add(normalise_name(form), Candidate("person", person_id))

    lexicon = Lexicon(
        orgs=orgs,
        events={r.id: EventInfo(r.id, r.series, r.number) for r in event_rows},
        countries=countries,
        entries=[],
        automaton=None,
    )
    for org_id, acronyms in acronyms_by_org.items():
        for acronym in acronyms:
            lexicon.acronyms.setdefault(fold_cased(acronym), set()).add(org_id)
    _add_events(lexicon, event_rows)
    lexicon.holders = _holders(role_rows, same_as)
    lexicon.entries, lexicon.automaton = builder.build()
    lexicon.acronym_entries, lexicon.acronym_automaton = acronym_builder.build()
    lexicon.country_entries, lexicon.country_automaton = _country_matcher()
    lexicon.fuzzy = FuzzyIndex(lexicon.entries)
    return lexicon


def _holders(
    rows: Sequence[Any], same_as: dict[str, str]
) -> dict[tuple[str, str], tuple[Holder, ...]]:
    """The KB's roles by (organisation, title key); titles without a known key are left out."""
    out: dict[tuple[str, str], list[Holder]] = defaultdict(list)
    for r in rows:
        key = title_key(r.title or "")
        if key is not None:
            org_id = same_as.get(r.org_id, r.org_id)
            out[(org_id, key)].append(Holder(r.person_id, r.start, r.end))
    return {k: tuple(v) for k, v in out.items()}


@cache
def _country_entries() -> tuple[tuple[str, Candidate], ...]:
    """Every country name and adjective: packaged data, so prepared once per process."""
    countries = load_countries()
    out: list[tuple[str, Candidate]] = []
    for country in countries:
        for name in (country.name_en, *country.names, *countries.adjectives(country.code)):
            key = normalise_name(name)
            if len(key) >= 2:
                out.append((key, Candidate("country", country.code, form=fold_cased(name))))
    return tuple(out)


@cache
def _country_matcher() -> tuple[list[tuple[str, tuple[Candidate, ...]]], Any]:
    """The automaton of country names: packaged data, so built once per process."""
    builder = _Builder({})
    for key, candidate in _country_entries():
        builder.add(key, candidate)
    return builder.build()


@cache
def _country_forms(code: str | None) -> CountryForms | None:
    if code is None:
        return None
    countries = load_countries()
    country = countries.get(code)
    return CountryForms(country, countries.adjectives(code)) if country else None


class _Builder:
    def __init__(self, orgs: dict[str, OrgInfo]) -> None:
        self._orgs = orgs
        self._by_key: dict[str, dict[Candidate, None]] = defaultdict(dict)

    def add(self, key: str, candidate: Candidate) -> None:
        if key:
            self._by_key[key][candidate] = None

    def build(self) -> tuple[list[tuple[str, tuple[Candidate, ...]]], Any]:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        entries: list[tuple[str, tuple[Candidate, ...]]] = []
        for key, cands in self._by_key.items():
            kept = _best_priority(list(cands), self._orgs)
            automaton.add_word(f" {key} ", len(entries))
            entries.append((key, tuple(kept)))
        if not entries:
            return entries, None  # an empty KB: an automaton without words cannot be searched
        automaton.make_automaton()
        return entries, automaton


def _best_priority(cands: list[Candidate], orgs: dict[str, OrgInfo]) -> list[Candidate]:
    """Among organisation names for one key, keep the best (stated names win over variants).

    Seed organisations compete among themselves by priority. A world party keeps its stated
    name, unless a seed organisation of the same country states the very same name (the world
    data then describes the same party, or its namesake of another time).
    """
    if len(cands) == 1:
        return cands
    names = [c for c in cands if c.type == "org" and not c.acronym and orgs[c.id].seed]
    if not names or all(c.generic for c in names):
        return cands  # generic names ("Communist Party") compete by context alone
    best = min(c.priority for c in names)
    stated_countries = {orgs[c.id].country for c in names if c.priority == 0}
    kept: list[Candidate] = []
    for c in cands:
        if c.type != "org" or c.acronym:
            kept.append(c)
        elif orgs[c.id].seed:
            if c.priority == best:
                kept.append(c)
        elif orgs[c.id].country not in stated_countries:
            kept.append(c)
    return kept


def _person_forms(name: str) -> list[str]:
    """A person's name, and with the first name as an initial ("D. Koutsoumbas")."""
    words = name.split()
    forms = [name]
    if len(words) >= 2 and len(words[0]) > 2 and words[0][0].isupper():
        forms.append(f"{words[0][0]}. {' '.join(words[1:])}")
    return forms


def _looks_like_acronym(name: str) -> bool:
    """Party Facts' short names are sometimes words ("Left", "Yachad"): those are names."""
    capitals = sum(1 for ch in name if ch.isupper() or ch.isdigit())
    return capitals >= 2 and sum(1 for ch in name if ch.isalnum()) >= 2


_ORDINAL = r"(?P<num>\d{1,3})\s*(?:st|nd|rd|th|\.|º|ª|°)?"


def _add_events(lexicon: Lexicon, rows: Sequence[Any]) -> None:
    """Events are found as an ordinal followed by the series' name or acronym ("21st IMCWP")."""
    patterns: set[str] = set()
    for r in rows:
        if r.number is None:
            continue
        lexicon.event_numbers[(r.series, int(r.number))] = r.id
        label = re.sub(r"^\s*\d+\s*(?:st|nd|rd|th)?\s+", "", r.name_en or "").strip()
        for text in (r.series.upper(), label):
            words = [re.escape(w) for w in re.split(r"[\s'’]+", text) if w]
            if words:
                patterns.add(r"[\s'’]+".join(words))
                lexicon.event_labels[normalise_name(text)] = r.series
    if not patterns:
        return
    alternatives = "|".join(sorted(patterns, key=len, reverse=True))
    lexicon.event_pattern = re.compile(
        rf"\b{_ORDINAL}\s+(?P<label>{alternatives})\b", re.IGNORECASE
    )

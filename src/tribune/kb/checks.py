"""Checks between rows and between files: duplicates, dangling ids, Party Facts merges, periods.

These run after every row has been parsed (:mod:`tribune.kb.records`). A check that needs a file
which could not be read is skipped: its problem is already reported, and a list of "unknown id"
errors caused by it would only bury the real one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from tribune.kb.records import KBData, OrgName, WorldParty

ORGS, PARTIES, NAMES = "organizations.csv", "world_parties.csv", "org_names.csv"
PEOPLE, ROLES, EVENTS = "people.csv", "roles.csv", "events.csv"


class _Identified(Protocol):
    @property
    def line(self) -> int: ...
    @property
    def id(self) -> str: ...


def check_kb(data: KBData, readable: set[str], problems: list[str]) -> None:
    """Append to *problems* everything wrong between the rows of *data*."""
    orgs = _unique_ids(ORGS, data.organizations, problems)
    _unique_ids(PARTIES, data.world_parties, problems)
    people = _unique_ids(PEOPLE, data.people, problems)
    _unique_ids(EVENTS, data.events, problems)
    for party in data.world_parties:
        if party.id in orgs:
            problems.append(
                f"{PARTIES}:{party.line}: id {party.id} is also the id of {ORGS}:{orgs[party.id]}"
            )
        if party.id != f"pf-{party.partyfacts_id}":
            problems.append(
                f"{PARTIES}:{party.line}: id {party.id} does not match partyfacts_id "
                f"{party.partyfacts_id} (expected pf-{party.partyfacts_id})"
            )
    _check_overlaps(data.org_names, problems)
    _check_duplicate_roles(data, problems)
    if ORGS not in readable:
        return
    _check_parent_cycles(data, problems)
    if PARTIES not in readable:
        return
    _check_merges(data, problems)
    known = set(orgs) | {p.id for p in data.world_parties if p.seed_id is None}
    where = f"an organisation in {ORGS} or {PARTIES}"
    refs: list[tuple[str, int, str, str]] = [
        (ORGS, o.line, "parent", o.parent) for o in data.organizations if o.parent
    ]
    if NAMES in readable:
        refs += [(NAMES, n.line, "org_id", n.org_id) for n in data.org_names]
    if ROLES in readable:
        refs += [(ROLES, r.line, "org_id", r.org_id) for r in data.roles]
    if EVENTS in readable:
        refs += [(EVENTS, e.line, "hosts", host) for e in data.events for host in e.hosts]
    for file, line, col, ref in refs:
        if ref and ref not in known:
            problems.append(f"{file}:{line}: {col} {ref!r} is not {where}")
    if PEOPLE in readable and ROLES in readable:
        for role in data.roles:
            if role.person_id and role.person_id not in people:
                problems.append(
                    f"{ROLES}:{role.line}: person_id {role.person_id!r} is not a person in {PEOPLE}"
                )


def _unique_ids(file: str, rows: Iterable[_Identified], problems: list[str]) -> dict[str, int]:
    """Each id with the line it is first defined on; later repeats are problems."""
    seen: dict[str, int] = {}
    for row in rows:
        if row.id in seen:
            problems.append(
                f"{file}:{row.line}: duplicate id {row.id} (first on line {seen[row.id]})"
            )
        else:
            seen[row.id] = row.line
    return seen


def _check_parent_cycles(data: KBData, problems: list[str]) -> None:
    parents = {o.id: o.parent for o in data.organizations if o.parent}
    for org in data.organizations:
        seen = {org.id}
        current = parents.get(org.id)
        while current is not None:
            if current in seen:
                problems.append(
                    f"{ORGS}:{org.line}: parent chain of {org.id} loops back to {current}"
                )
                break
            seen.add(current)
            current = parents.get(current)


def _check_merges(data: KBData, problems: list[str]) -> None:
    """Rows with a ``seed_id`` become that seed organisation; their facts must agree with it.

    Party Facts ids are unique among the resulting organisations, so a Party Facts row that is
    really a seed organisation but lacks its ``seed_id`` is caught here too.
    """
    by_id = {o.id: o for o in data.organizations}
    merged: dict[str, WorldParty] = {}
    for party in data.world_parties:
        if party.seed_id is None:
            continue
        seed = by_id.get(party.seed_id)
        if seed is None:
            problems.append(
                f"{PARTIES}:{party.line}: seed_id {party.seed_id!r} is not an organisation "
                f"in {ORGS}"
            )
            continue
        if party.seed_id in merged:
            problems.append(
                f"{PARTIES}:{party.line}: seed_id {party.seed_id} is already the seed_id of "
                f"line {merged[party.seed_id].line}"
            )
            continue
        merged[party.seed_id] = party
        pairs = (
            ("partyfacts_id", seed.partyfacts_id, party.partyfacts_id),
            ("wikidata_id", seed.wikidata_id, party.wikidata_id),
            ("country", seed.country, party.country),
        )
        for col, ours, theirs in pairs:
            if ours is not None and theirs is not None and ours != theirs:
                problems.append(
                    f"{PARTIES}:{party.line}: {col} {theirs} disagrees with {ORGS}:{seed.line} "
                    f"({seed.id} has {ours})"
                )
    owners: dict[int, str] = {}
    for org in data.organizations:
        pf = merged[org.id].partyfacts_id if org.id in merged else org.partyfacts_id
        if pf is not None:
            owners[pf] = f"{ORGS}:{org.line} ({org.id})"
    for party in data.world_parties:
        if party.seed_id is None and party.partyfacts_id in owners:
            problems.append(
                f"{PARTIES}:{party.line}: partyfacts_id {party.partyfacts_id} already belongs to "
                f"{owners[party.partyfacts_id]}; set seed_id to merge the two"
            )


def _check_overlaps(names: list[OrgName], problems: list[str]) -> None:
    """One organisation's rows with the same name and language must not overlap in time.

    Ranges are inclusive and an empty end is open, so 2014-11-01..2017-06-30 and
    2017-06-30..(open) overlap on one day.
    """
    groups: dict[tuple[str, str, str], list[OrgName]] = {}
    for row in names:
        groups.setdefault((row.org_id, row.name, row.language), []).append(row)
    for group in groups.values():
        for i, later in enumerate(group):
            for earlier in group[:i]:
                if _overlap(earlier, later):
                    problems.append(
                        f"{NAMES}:{later.line}: {later.name!r} ({later.language or 'no language'})"
                        f" of {later.org_id} overlaps in time with line {earlier.line}"
                    )


def _overlap(a: OrgName, b: OrgName) -> bool:
    lo, hi = date.min, date.max
    return (a.valid_from or lo) <= (b.valid_to or hi) and (b.valid_from or lo) <= (a.valid_to or hi)


def _check_duplicate_roles(data: KBData, problems: list[str]) -> None:
    """A role is known by person, organisation, title and start: a repeat would be ambiguous."""
    seen: dict[tuple[str, str, str, date | None], int] = {}
    for role in data.roles:
        key = (role.person_id, role.org_id, role.title, role.start)
        if key in seen:
            problems.append(
                f"{ROLES}:{role.line}: the same role as line {seen[key]} "
                "(person, organisation, title and start)"
            )
        else:
            seen[key] = role.line

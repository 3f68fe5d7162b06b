"""The seed files as typed records: reading the six CSV files and checking every row.

:func:`read_kb` reads a directory (the packaged ``tribune.data/kb`` or any other), parses each row
into a frozen dataclass and collects every problem it meets, in every file, before it raises one
:class:`~tribune.kb.errors.KBError`: whoever fixes the files sees all of them at once. Problems
inside one row are found here; problems between rows and files (duplicates, dangling ids,
overlapping name periods) are found by :mod:`tribune.kb.checks`.

Values are kept exactly as written (no stripping), so that an export writes them back unchanged;
a field that is only whitespace counts as empty.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from datetime import date
from importlib.resources.abc import Traversable

from tribune.kb.errors import KBError
from tribune.kb.fields import RowReader

__all__ = [
    "COLUMNS",
    "Event",
    "KBData",
    "Org",
    "OrgName",
    "Person",
    "Role",
    "WorldParty",
    "read_kb",
]

COLUMNS: dict[str, tuple[str, ...]] = {
    "organizations.csv": (
        "id",
        "kind",
        "name_en",
        "native_name",
        "native_name_certain",
        "acronyms",
        "acronyms_uncertain",
        "country",
        "website",
        "network_member",
        "parent",
        "notes",
        "partyfacts_id",
        "wikidata_id",
    ),
    "org_names.csv": ("org_id", "name", "language", "kind", "valid_from", "valid_to", "notes"),
    "people.csv": ("id", "name", "aliases", "notes"),
    "roles.csv": ("person_id", "org_id", "title", "start", "end", "notes"),
    "events.csv": (
        "id",
        "series",
        "number",
        "name_en",
        "start",
        "end",
        "date_precision",
        "city",
        "country",
        "hosts",
        "notes",
    ),
    "world_parties.csv": (
        "id",
        "partyfacts_id",
        "wikidata_id",
        "country",
        "name_short",
        "name",
        "name_english",
        "name_native",
        "name_other",
        "year_first",
        "year_last",
        "wikipedia",
        "seed_id",
    ),
}
"""Every seed file with its columns, in the order an export writes them."""

ORG_KINDS = ("party", "youth", "union", "front", "media")
NETWORK_MEMBER = ("yes", "no", "unknown")
NAME_KINDS = ("official", "acronym", "variant")
DATE_PRECISIONS = ("day", "month", "year")
PF_SEPARATOR = " / "
"""Party Facts packs several names into one field with this separator."""


@dataclass(frozen=True)
class Org:
    """A row of organizations.csv."""

    line: int
    id: str
    kind: str
    name_en: str
    native_name: str
    native_name_certain: bool | None
    acronyms: tuple[str, ...]
    acronyms_uncertain: tuple[str, ...]
    country: str | None
    website: str
    network_member: str
    parent: str | None
    notes: str
    partyfacts_id: int | None
    wikidata_id: str | None


@dataclass(frozen=True)
class OrgName:
    """A row of org_names.csv: a name an organisation carried for a time."""

    line: int
    org_id: str
    name: str
    language: str
    kind: str
    valid_from: date | None
    valid_to: date | None
    notes: str


@dataclass(frozen=True)
class Person:
    """A row of people.csv."""

    line: int
    id: str
    name: str
    aliases: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class Role:
    """A row of roles.csv."""

    line: int
    person_id: str
    org_id: str
    title: str
    start: date | None
    end: date | None
    notes: str


@dataclass(frozen=True)
class Event:
    """A row of events.csv."""

    line: int
    id: str
    series: str
    number: int | None
    name_en: str
    start: date | None
    end: date | None
    date_precision: str
    city: str
    country: str | None
    hosts: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class WorldParty:
    """A row of world_parties.csv (the Party Facts core list).

    ``name_english`` and ``name_other`` hold several names separated by ``" / "``; they are split
    here, each part kept exactly (joining them again gives back the field).
    """

    line: int
    id: str
    partyfacts_id: int
    wikidata_id: str | None
    country: str | None
    name_short: str
    name: str
    name_english: tuple[str, ...]
    name_native: str
    name_other: tuple[str, ...]
    year_first: int | None
    year_last: int | None
    wikipedia: str
    seed_id: str | None


@dataclass
class KBData:
    """Everything the seed files say, in file order."""

    organizations: list[Org]
    world_parties: list[WorldParty]
    org_names: list[OrgName]
    people: list[Person]
    roles: list[Role]
    events: list[Event]


def read_kb(source: Traversable) -> KBData:
    """Read and validate the six files in *source*; raise :class:`KBError` listing every problem."""
    from tribune.kb.checks import check_kb

    problems: list[str] = []
    raw = {name: _read_csv(source, name, problems) for name in COLUMNS}

    def rows(name: str) -> list[RowReader]:
        return [RowReader(name, line, values, problems) for line, values in raw[name] or []]

    data = KBData(
        organizations=[_org(r) for r in rows("organizations.csv")],
        world_parties=[_world_party(r) for r in rows("world_parties.csv")],
        org_names=[_org_name(r) for r in rows("org_names.csv")],
        people=[_person(r) for r in rows("people.csv")],
        roles=[_role(r) for r in rows("roles.csv")],
        events=[_event(r) for r in rows("events.csv")],
    )
    # Cross-file checks on a file that could not be read would only echo that problem.
    readable = {name for name, content in raw.items() if content is not None}
    check_kb(data, readable, problems)
    if problems:
        raise KBError(problems)
    return data


def _read_csv(
    source: Traversable, name: str, problems: list[str]
) -> list[tuple[int, dict[str, str]]] | None:
    """The data rows of one file with the line each starts on, or None if it cannot be read."""
    path = source.joinpath(name)
    if not path.is_file():
        problems.append(f"{name}: file is missing")
        return None
    data = path.read_bytes()
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + bom
        line = data.count(b"\n", 0, offset) + 1
        problems.append(
            f"{name}:{line}: not UTF-8 text (byte 0x{data[offset]:02x} at offset {offset}); "
            "save the file as UTF-8"
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            problems.append(f"{name}:1: the file is empty (no header line)")
            return None
        if not _header_ok(name, header, problems):
            return None
        start = reader.line_num + 1
        for fields in reader:
            line, start = start, reader.line_num + 1
            if not fields:  # a blank line
                continue
            if len(fields) != len(header):
                problems.append(f"{name}:{line}: {len(fields)} fields, expected {len(header)}")
                continue
            rows.append((line, dict(zip(header, fields, strict=True))))
    except csv.Error as exc:
        problems.append(f"{name}:{start}: malformed CSV: {exc}")
        return None
    return rows


def _header_ok(name: str, header: list[str], problems: list[str]) -> bool:
    expected = COLUMNS[name]
    missing = [c for c in expected if c not in header]
    unexpected = [c for c in header if c not in expected]
    repeated = sorted({c for c in header if header.count(c) > 1})
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if unexpected:
        parts.append("unexpected column(s) " + ", ".join(repr(c) for c in unexpected))
    if repeated:
        parts.append("repeated column(s) " + ", ".join(repeated))
    if parts:
        problems.append(f"{name}:1: " + "; ".join(parts))
    return not parts


def _org(r: RowReader) -> Org:
    org_id = r.ident("id", "organizations.id")
    return Org(
        line=r.line,
        id=org_id,
        kind=r.choice("kind", ORG_KINDS),
        name_en=r.text("name_en", "organizations.name_en", required=True),
        native_name=r.text("native_name", "organizations.native_name"),
        native_name_certain=r.yes_no("native_name_certain"),
        acronyms=r.items("acronyms", "|", "org_names.name"),
        acronyms_uncertain=r.items("acronyms_uncertain", "|", "org_names.name"),
        country=r.country("country", optional=org_id.startswith("int-")),
        website=r.text("website", "organizations.website"),
        network_member=r.choice("network_member", NETWORK_MEMBER),
        parent=r.ident("parent", "organizations.id", required=False) or None,
        notes=r.text("notes"),
        partyfacts_id=r.integer("partyfacts_id"),
        wikidata_id=r.wikidata("wikidata_id"),
    )


def _world_party(r: RowReader) -> WorldParty:
    return WorldParty(
        line=r.line,
        id=r.ident("id", "organizations.id"),
        partyfacts_id=r.integer("partyfacts_id", required=True) or 0,
        wikidata_id=r.wikidata("wikidata_id"),
        country=r.country("country", optional=True),
        name_short=r.text("name_short", "org_names.name"),
        name=r.text("name", "org_names.name"),
        name_english=r.items("name_english", PF_SEPARATOR, "org_names.name"),
        name_native=r.text("name_native", "org_names.name"),
        name_other=r.items("name_other", PF_SEPARATOR, "org_names.name"),
        year_first=r.integer("year_first"),
        year_last=r.integer("year_last"),
        wikipedia=r.text("wikipedia", "organizations.wikipedia"),
        seed_id=r.ident("seed_id", "organizations.id", required=False) or None,
    )


def _org_name(r: RowReader) -> OrgName:
    return OrgName(
        line=r.line,
        org_id=r.ident("org_id", "organizations.id"),
        name=r.text("name", "org_names.name", required=True),
        language=r.language("language"),
        kind=r.choice("kind", NAME_KINDS),
        valid_from=r.date("valid_from"),
        valid_to=r.date("valid_to", after="valid_from"),
        notes=r.text("notes"),
    )


def _person(r: RowReader) -> Person:
    return Person(
        line=r.line,
        id=r.ident("id", "people.id"),
        name=r.text("name", "people.name", required=True),
        aliases=r.items("aliases", "|", "person_names.name"),
        notes=r.text("notes"),
    )


def _role(r: RowReader) -> Role:
    return Role(
        line=r.line,
        person_id=r.ident("person_id", "people.id"),
        org_id=r.ident("org_id", "organizations.id"),
        title=r.text("title", "roles.title", required=True),
        start=r.date("start"),
        end=r.date("end", after="start"),
        notes=r.text("notes"),
    )


def _event(r: RowReader) -> Event:
    return Event(
        line=r.line,
        id=r.ident("id", "events.id"),
        series=r.text("series", "events.series", required=True),
        number=r.integer("number"),
        name_en=r.text("name_en", "events.name_en", required=True),
        start=r.date("start"),
        end=r.date("end", after="start"),
        date_precision=r.choice("date_precision", DATE_PRECISIONS),
        city=r.text("city", "events.city"),
        country=r.country("country", optional=False),
        hosts=r.items("hosts", "|", "organizations.id", ident=True),
        notes=r.text("notes"),
    )

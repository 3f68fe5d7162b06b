"""Parsing one KB field: the rules shared by the seed files and by editors' changes.

Each ``parse_*`` function turns the text of a field into its value or raises :class:`FieldError`
with a message that names the field. :class:`RowReader` applies them to a CSV row and, instead of
stopping at the first bad field, records the problem with the file and line and goes on, so one
pass over the files reports everything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from tribune.db.tables import metadata
from tribune.kb.countries import load_countries

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"\d{1,9}")
_WIKIDATA = re.compile(r"Q[1-9]\d*")
_IDENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
YES_NO = {"yes": True, "no": False}


class FieldError(ValueError):
    """A field whose text is not a valid value; the message names the field."""


def limit(column: str) -> int | None:
    """The longest text the database column ``table.column`` accepts (None: unlimited)."""
    table, name = column.split(".")
    length = getattr(metadata.tables[table].c[name].type, "length", None)
    return length if isinstance(length, int) else None


def check_text(col: str, text: str, column: str | None = None, *, required: bool = False) -> str:
    """*text* itself, refused if empty while *required*, too long for *column*, or with a NUL."""
    if required and not text.strip():
        raise FieldError(f"{col} is empty")
    if "\x00" in text:
        raise FieldError(f"{col} contains a NUL character")
    longest = limit(column) if column else None
    if longest is not None and len(text) > longest:
        raise FieldError(f"{col} is {len(text)} characters long; at most {longest} fit")
    return text


def parse_ident(col: str, text: str, column: str, *, required: bool = True) -> str:
    """A slug id (``gr-kke``): lower-case ASCII letters and digits joined by single hyphens."""
    check_text(col, text, column, required=required)
    if text and not _IDENT.fullmatch(text):
        raise FieldError(
            f"{col} {text!r} is not an id (lower-case letters and digits joined by hyphens)"
        )
    return text


def parse_date(col: str, text: str) -> date | None:
    """A calendar date written YYYY-MM-DD; empty means none."""
    if not text:
        return None
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(f"{col} {text!r} is not a date (YYYY-MM-DD expected)") from None


def parse_integer(col: str, text: str, *, required: bool = False) -> int | None:
    """A non-negative whole number; empty means none unless *required*."""
    if not text:
        if required:
            raise FieldError(f"{col} is empty")
        return None
    if not _INTEGER.fullmatch(text):
        raise FieldError(f"{col} {text!r} is not a whole number")
    return int(text)


def parse_yes_no(col: str, text: str) -> bool | None:
    """``yes`` or ``no``; empty means unknown."""
    if not text:
        return None
    if text not in YES_NO:
        raise FieldError(f"{col} {text!r} is not yes or no")
    return YES_NO[text]


def parse_choice(col: str, text: str, allowed: Sequence[str]) -> str:
    """One of *allowed*, exactly."""
    if text not in allowed:
        shown = repr(text) if text else "empty"
        raise FieldError(f"{col} is {shown}; expected one of {', '.join(allowed)}")
    return text


def parse_country(col: str, text: str, *, optional: bool) -> str | None:
    """An ISO 3166-1 alpha-2 code (or XK); empty means none, where that is allowed."""
    if not text:
        if optional:
            return None
        raise FieldError(f"{col} is empty (only int- organisations and world parties may lack one)")
    if not load_countries().is_valid_code(text):
        raise FieldError(f"{col} {text!r} is not an ISO 3166-1 alpha-2 code")
    return text


def parse_wikidata(col: str, text: str) -> str | None:
    """A Wikidata item id (``Q123``); empty means none."""
    if not text:
        return None
    if not _WIKIDATA.fullmatch(text):
        raise FieldError(f"{col} {text!r} is not a Wikidata item id (Q followed by digits)")
    return text


def parse_language(col: str, text: str) -> str:
    """A BCP 47 language tag (``tr``, ``pt-BR``) or empty for an unknown language."""
    if text and not _LANGUAGE.fullmatch(text):
        raise FieldError(f"{col} {text!r} is not a language code (ISO 639 like en, tr, pt-BR)")
    return check_text(col, text, "org_names.language")


def split_items(col: str, text: str, separator: str, column: str) -> tuple[str, ...]:
    """A list packed into one field; every item must be non-empty and fit *column*."""
    if not text:
        return ()
    items = tuple(text.split(separator))
    if any(not item.strip() for item in items):
        raise FieldError(f"{col} has an empty item between {separator.strip()!r} separators")
    for item in items:
        check_text(col, item, column)
    return items


class RowReader:
    """One CSV row: each accessor parses a field, recording a problem instead of raising."""

    def __init__(self, file: str, line: int, values: dict[str, str], problems: list[str]) -> None:
        self.file = file
        self.line = line
        self.values = values
        self.problems = problems

    def _fail(self, exc: FieldError) -> None:
        self.problems.append(f"{self.file}:{self.line}: {exc}")

    def text(self, col: str, column: str | None = None, *, required: bool = False) -> str:
        try:
            return check_text(col, self.values[col], column, required=required)
        except FieldError as exc:
            self._fail(exc)
            return self.values[col]

    def ident(self, col: str, column: str, *, required: bool = True) -> str:
        try:
            return parse_ident(col, self.values[col], column, required=required)
        except FieldError as exc:
            self._fail(exc)
            return self.values[col]

    def date(self, col: str, *, after: str | None = None) -> date | None:
        """A date; with *after*, also refused when it comes before that other date field."""
        try:
            value = parse_date(col, self.values[col])
        except FieldError as exc:
            self._fail(exc)
            return None
        if value is None or after is None:
            return value
        try:
            first = parse_date(after, self.values[after])
        except FieldError:  # reported by that field's own accessor
            return value
        if first is not None and value < first:
            self._fail(FieldError(f"{col} {value} is before {after} {first}"))
        return value

    def integer(self, col: str, *, required: bool = False) -> int | None:
        try:
            return parse_integer(col, self.values[col], required=required)
        except FieldError as exc:
            self._fail(exc)
            return None

    def yes_no(self, col: str) -> bool | None:
        try:
            return parse_yes_no(col, self.values[col])
        except FieldError as exc:
            self._fail(exc)
            return None

    def choice(self, col: str, allowed: Sequence[str]) -> str:
        try:
            return parse_choice(col, self.values[col], allowed)
        except FieldError as exc:
            self._fail(exc)
            return self.values[col]

    def country(self, col: str, *, optional: bool) -> str | None:
        try:
            return parse_country(col, self.values[col], optional=optional)
        except FieldError as exc:
            self._fail(exc)
            return None

    def wikidata(self, col: str) -> str | None:
        try:
            return parse_wikidata(col, self.values[col])
        except FieldError as exc:
            self._fail(exc)
            return None

    def language(self, col: str) -> str:
        try:
            return parse_language(col, self.values[col])
        except FieldError as exc:
            self._fail(exc)
            return self.values[col]

    def items(
        self, col: str, separator: str, column: str, *, ident: bool = False
    ) -> tuple[str, ...]:
        try:
            items = split_items(col, self.values[col], separator, column)
            for item in items if ident else ():
                parse_ident(col, item, column)
            return items
        except FieldError as exc:
            self._fail(exc)
            return ()

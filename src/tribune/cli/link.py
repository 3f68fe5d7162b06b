"""``tribune link``: the entity linker on one text, or on JSON Lines from stdin."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated, Any

import typer

_DATE_HELP = "The text's date (YYYY-MM-DD): names link only within their validity."


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD)") from None


def link_command(
    text: Annotated[str | None, typer.Argument(help="The text to link.")] = None,
    on: Annotated[str | None, typer.Option("--date", help=_DATE_HELP)] = None,
    source_org: Annotated[
        str | None, typer.Option("--source-org", help="Id of the organisation that published it.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"mentions": [...]}.')] = False,
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help='Read {"text", "date", "source_org"} lines from stdin; write one '
            '{"mentions": [...]} line each, in order.',
        ),
    ] = False,
) -> None:
    """Find the organisations, people, events and countries a text names."""
    from tribune.cli import database, emit, fail
    from tribune.config import get_settings
    from tribune.understand.link import LinkInputError, get_linker

    if jsonl and text is not None:
        fail("give either TEXT or --jsonl, not both")
    if not jsonl and text is None:
        fail("give the TEXT to link, or --jsonl to read JSON Lines from stdin")
    with database() as db:
        linker = get_linker(db, max_chars=get_settings().link_max_chars)
    if jsonl:
        raise typer.Exit(_link_lines(linker))
    try:
        mentions = linker.link(str(text), date=_parse_date(on), source_org=source_org)
    except (LinkInputError, ValueError) as exc:
        fail(str(exc))
    if as_json:
        emit({"mentions": [m.to_json() for m in mentions]})
        return
    if not mentions:
        typer.echo("no mentions")
    for m in mentions:
        target = m.id or "?  (" + ", ".join(m.candidates) + ")"
        typer.echo(
            f"{m.start:>5}-{m.end:<5} {m.type:<8} {m.surface!r:<40} {target}  {m.confidence}"
        )


def _link_lines(linker: Any) -> int:
    """Link each stdin line; a bad line gets an "error" and an empty list, the rest go on."""
    from tribune.understand.link import LinkInputError

    failures = 0
    out = sys.stdout
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("each line must be a JSON object")
            mentions = linker.link(
                record.get("text"),
                date=_parse_date(record.get("date")),
                source_org=record.get("source_org"),
            )
            result: dict[str, Any] = {"mentions": [m.to_json() for m in mentions]}
        except (LinkInputError, ValueError) as exc:
            failures += 1
            print(f"line {number}: {exc}", file=sys.stderr)
            result = {"mentions": [], "error": str(exc)}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return 1 if failures else 0

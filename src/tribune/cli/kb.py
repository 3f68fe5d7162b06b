"""``tribune kb ...``: load, show, search and export the knowledge base.

Each command imports the core (and the helpers of :mod:`tribune.cli`, which imports this module)
inside its body, so ``tribune --help`` stays fast and there is no import cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(help="The knowledge base: organisations, people, events.", no_args_is_help=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output.")]


@app.command()
def load(
    directory: Annotated[
        Path | None,
        typer.Argument(help="A directory with the six CSV files; the packaged KB if left out."),
    ] = None,
) -> None:
    """Load the packaged KB, or the CSV files in DIR; never overwrites an editor's change."""
    from tribune.cli import database, fail
    from tribune.kb.errors import KBError
    from tribune.kb.load import load_kb

    with database() as db:
        try:
            report = load_kb(db, directory)
        except KBError as exc:
            for problem in exc.problems:
                typer.echo(problem, err=True)
            fail(f"{len(exc.problems)} problem(s): nothing was loaded")
    for line in report.lines():
        typer.echo(line)


@app.command()
def show(
    entity_id: Annotated[
        str, typer.Argument(metavar="ID", help="An organisation, person or event id.")
    ],
    as_json: JsonFlag = False,
) -> None:
    """One organisation, person or event, with its names, Party Facts and Wikidata ids."""
    from tribune.cli import database, emit, fail
    from tribune.kb.query import show as show_entry

    with database() as db:
        entry = show_entry(db, entity_id)
    if entry is None:
        fail(f"no organisation, person or event with id {entity_id}", code=1)
    if as_json:
        emit(entry)
    else:
        typer.echo("\n".join(_describe(entry)))


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Part of a name; case and accents do not matter.")],
    limit: Annotated[int, typer.Option(help="At most this many results.")] = 20,
    as_json: JsonFlag = False,
) -> None:
    """Find KB entries by name (JSON Lines with --json)."""
    from tribune.cli import database, emit
    from tribune.kb.query import search as search_entries

    with database() as db:
        results = search_entries(db, text, limit=limit)
    for result in results:
        if as_json:
            emit(result)
        else:
            where = f" [{result['country']}]" if result["country"] else ""
            matched = result["matched_name"]
            via = f"  (as {matched})" if matched != result["name"] else ""
            typer.echo(f"{result['type']:6} {result['id']:24} {result['name']}{where}{via}")


@app.command()
def export(
    directory: Annotated[Path, typer.Argument(help="Where to write the six CSV files.")],
) -> None:
    """Write the KB in the same CSV layout it is loaded from."""
    from tribune.cli import database
    from tribune.kb.export import export_kb

    with database() as db:
        written = export_kb(db, directory)
    for path in written:
        typer.echo(str(path))


def _describe(entry: dict[str, Any]) -> list[str]:
    """A readable block for one entry."""
    lines = [f"{entry['id']} ({entry['type']})"]
    if entry.get("redirected_from"):
        lines.append(f"  redirected from {entry['redirected_from']}")
    if entry["type"] == "person":
        lines.append(f"  name: {entry['name']}")
        lines += [f"  also: {n['name']}" for n in entry["names"]]
        lines += [
            f"  role: {r['title']}, {r['org_name']} ({r['org_id']}) {_period(r['start'], r['end'])}"
            for r in entry["roles"]
        ]
    elif entry["type"] == "event":
        lines.append(f"  {entry['name_en']}")
        lines.append(f"  {_period(entry['start'], entry['end'])} ({entry['date_precision']})")
        lines.append(f"  {entry['city']}, {entry['country_name'] or entry['country']}")
        lines += [f"  host: {h['name_en']} ({h['id']})" for h in entry["hosts"]]
    else:
        lines += _describe_org(entry)
    if entry.get("notes"):
        lines.append(f"  notes: {entry['notes']}")
    return lines


def _describe_org(org: dict[str, Any]) -> list[str]:
    country = org["country_name"] or "international"
    lines = [
        f"  {org['name_en']}",
        f"  {org['kind']}, {country}; network member: {org['network_member']}",
    ]
    if org["partyfacts_id"] is not None:
        lines.append(f"  Party Facts: {org['partyfacts_id']}  {org['partyfacts_url']}")
    if org["wikidata_id"]:
        lines.append(f"  Wikidata: {org['wikidata_id']}  {org['wikidata_url']}")
    for label in ("website", "wikipedia"):
        if org[label]:
            lines.append(f"  {label}: {org[label]}")
    if org["year_first"] is not None or org["year_last"] is not None:
        lines.append(f"  years: {org['year_first'] or '?'}-{org['year_last'] or ''}")
    if org["parent"]:
        lines.append(f"  part of: {org['parent']['name_en']} ({org['parent']['id']})")
    lines += [f"  has: {c['name_en']} ({c['id']}, {c['kind']})" for c in org["children"]]
    for name in org["names"]:
        language = f" [{name['language']}]" if name["language"] else ""
        doubt = "" if name["certain"] else " (uncertain)"
        period = (
            _period(name["valid_from"], name["valid_to"])
            if (name["valid_from"] or name["valid_to"])
            else ""
        )
        lines.append(f"  {name['kind']:8} {name['name']}{language}{doubt} {period}".rstrip())
    lines += [
        f"  person: {p['name']} ({p['person_id']}), {p['title']} {_period(p['start'], p['end'])}"
        for p in org["people"]
    ]
    lines += [f"  hosted: {e['name_en']} ({e['id']})" for e in org["events"]]
    return lines


def _period(start: str | None, end: str | None) -> str:
    return f"{start or '?'} to {end or 'now'}"

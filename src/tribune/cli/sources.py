"""``tribune sources ...``: add, list, import and export the sites Tribune polls."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The sources Tribune polls: feeds, listing pages, sitemaps.")
JsonFlag = Annotated[bool, typer.Option("--json", help="JSON Lines, one source a line.")]


@app.command()
def add(
    url: Annotated[str, typer.Argument(help="The feed, listing page or sitemap URL.")],
    org: Annotated[str, typer.Option("--org", help="The organisation id it belongs to.")],
    kind: Annotated[
        str, typer.Option(help="feed, page, sitemap or auto (found at the first poll).")
    ] = "auto",
    recipe: Annotated[
        Path | None, typer.Option(help="A JSON recipe for a listing page (CSS or XPath).")
    ] = None,
    language: Annotated[str, typer.Option(help="Language hint (ISO 639-1).")] = "",
    rights: Annotated[
        str, typer.Option(help="full-text, or excerpt (lead and link only).")
    ] = "full-text",
    min_interval: Annotated[int, typer.Option(help="Poll at most this often (seconds).")] = 900,
    max_interval: Annotated[int, typer.Option(help="Poll at least this often (seconds).")] = 86400,
) -> None:
    """Store a source without fetching it."""
    from tribune.cli import database, fail
    from tribune.ingest.sources import NewSource, SourceError, add_source, load_recipe

    try:
        new = NewSource(
            url=url,
            org_id=org,
            kind=kind,
            recipe=load_recipe(recipe) if recipe else None,
            language=language,
            rights=rights,
            min_interval_s=min_interval,
            max_interval_s=max_interval,
        )
        with database() as db:
            public_id = add_source(db, new)
    except SourceError as exc:
        fail(str(exc))
    typer.echo(public_id)


@app.command("list")
def list_command(as_json: JsonFlag = False) -> None:
    """Every source with its health, failing ones first."""
    from tribune.cli import database, emit
    from tribune.ingest.sources import list_sources

    with database() as db:
        rows = list_sources(db)
    for row in rows:
        if as_json:
            emit(row)
        else:
            health = f"{row['error_count']} errors" if row["error_count"] else "ok"
            typer.echo(
                f"{row['id']}  {row['kind']:7} {row['org_id'] or '-':16} {row['state']:7} "
                f"{health:10} next {row['next_check_at'] or '-'}  {row['url']}"
            )


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="An OPML file (Miniflux, FreshRSS or Tribune).")],
    org: Annotated[
        str | None, typer.Option("--org", help="Organisation for outlines that name none.")
    ] = None,
) -> None:
    """Add the feeds of an OPML file; existing sources are left alone."""
    from tribune.cli import database, fail
    from tribune.ingest.opml import import_opml
    from tribune.ingest.sources import SourceError

    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")
    try:
        with database() as db:
            report = import_opml(db, text, default_org=org)
    except SourceError as exc:
        fail(str(exc))
    for problem in report.problems:
        typer.echo(problem, err=True)
    typer.echo(
        f"{len(report.added)} added, {len(report.existing)} already there, "
        f"{len(report.problems)} refused"
    )
    if report.problems:
        raise typer.Exit(1)


@app.command()
def export() -> None:
    """Write every source as OPML 2.0 to standard output."""
    from tribune.cli import database
    from tribune.ingest.opml import export_opml

    with database() as db:
        typer.echo(export_opml(db), nl=False)


@app.command("test")
def dry_run(
    url: Annotated[str, typer.Argument(help="The URL to try.")],
    kind: Annotated[str, typer.Option("--kind", help="feed, page, sitemap or auto.")] = "auto",
    recipe_file: Annotated[
        Path | None, typer.Option("--recipe", help="A JSON recipe for a listing page.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON.")] = False,
) -> None:
    """A dry run: what polling URL would ingest, and why. Nothing is stored."""
    from dataclasses import asdict

    from tribune.cli import emit, fail
    from tribune.ingest.probe import probe
    from tribune.ingest.sources import KINDS, SourceError, check_url, load_recipe

    try:
        check_url(url)
        if kind not in KINDS:
            raise SourceError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
        recipe = load_recipe(recipe_file) if recipe_file else None
    except SourceError as exc:
        fail(str(exc))
    report = probe(url, kind=kind, recipe=recipe)
    if as_json:
        emit(asdict(report))
    else:
        typer.echo(f"{report.kind}: {report.detail}")
        for feed in report.feeds:
            typer.echo(f"  feed: {feed}")
        for entry in report.entries:
            typer.echo(f"  {entry['published_at'] or '-':25} {entry['title']}  ({entry['why']})")
    if report.kind == "error":
        raise typer.Exit(1)

"""``tribune demo``: build the demo database and show what the linker finds."""

from __future__ import annotations

import os

import typer


def demo_command() -> None:
    """Build ./tribune-demo.db (or TRIBUNE_DATABASE_URL) with the KB, and link sample texts."""
    from tribune.cli import fail
    from tribune.db.engine import Database, DatabaseError
    from tribune.demo import DEFAULT_DEMO_URL, build_demo
    from tribune.kb.errors import KBError

    url = os.environ.get("TRIBUNE_DATABASE_URL") or DEFAULT_DEMO_URL
    db = Database(url)
    _close = db.dispose
    typer.echo(f"Building the demo database {db.describe()} (schema, knowledge base)...")
    try:
        results = build_demo(db)
    except (DatabaseError, KBError) as exc:
        fail(str(exc))
    finally:
        _close()
    for sample, mentions in results:
        meta = ", ".join(
            x
            for x in (str(sample.date or ""), f"from {sample.source_org}" * bool(sample.source_org))
            if x
        )
        typer.echo("")
        typer.secho(sample.text, bold=True)
        if meta:
            typer.echo(f"  ({meta})")
        for m in mentions:
            target = m.id or "abstains: " + ", ".join(m.candidates)
            typer.echo(f"  {m.type:<8} {m.surface!r:<42} -> {target}  ({m.confidence:.2f})")
    typer.echo("")
    typer.echo("Try your own text:  .venv/bin/tribune link --date 2024-01-01 'the PCP and the KKE'")
    typer.echo(f"(with TRIBUNE_DATABASE_URL={url})")

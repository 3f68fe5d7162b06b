"""``tribune kb ...``: load, show, search and export the knowledge base."""

from __future__ import annotations

import typer

app = typer.Typer(help="The knowledge base: organisations, people, events.", no_args_is_help=True)

"""A database without a KB still links: countries only, no crash."""

from __future__ import annotations

from tribune.db.engine import Database
from tribune.understand.link import get_linker


def test_an_empty_kb_links_countries_and_nothing_else(empty_db: Database) -> None:
    found = get_linker(empty_db).link("The KKE sent greetings to the people of Cuba.")
    assert [(m.type, m.id) for m in found] == [("country", "CU")]

"""The linker of the packaged KB, built once per module and database for the linker's tests."""

from __future__ import annotations

import pytest

from tribune.db.engine import Database
from tribune.understand.link import Linker


@pytest.fixture(scope="module")
def linkers() -> dict[str, Linker]:
    return {}


@pytest.fixture
def linker(shared_kb_db: Database, linkers: dict[str, Linker]) -> Linker:
    if shared_kb_db.url not in linkers:
        linkers[shared_kb_db.url] = Linker.from_db(shared_kb_db)
    return linkers[shared_kb_db.url]

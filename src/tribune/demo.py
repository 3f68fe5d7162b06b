"""The demo: a database with the KB loaded, and the linker at work on sample texts.

The sample texts are written for the demo (``data/demo/sample_texts.jsonl``): they show the
acronyms, typos and ambiguities the linker is built for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources

from tribune.db.engine import Database
from tribune.db.migrate import upgrade
from tribune.kb.load import load_kb
from tribune.understand.link import get_linker
from tribune.understand.mention import Mention

DEFAULT_DEMO_URL = "sqlite:///tribune-demo.db"


@dataclass(frozen=True)
class Sample:
    text: str
    date: date | None
    source_org: str | None


def sample_texts() -> list[Sample]:
    raw = resources.files("tribune.data").joinpath("demo/sample_texts.jsonl").read_text("utf-8")
    out = []
    for line in raw.splitlines():
        if line.strip():
            record = json.loads(line)
            day = date.fromisoformat(record["date"]) if record.get("date") else None
            out.append(Sample(record["text"], day, record.get("source_org")))
    return out


def build_demo(db: Database) -> list[tuple[Sample, list[Mention]]]:
    """Create or upgrade the demo database, load the KB, and link the sample texts."""
    upgrade(db)
    load_kb(db)
    linker = get_linker(db)
    return [(s, linker.link(s.text, date=s.date, source_org=s.source_org)) for s in sample_texts()]

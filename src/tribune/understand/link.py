"""The entity linker: which organisations, people, events and countries a text names.

``link(text, date=..., source_org=...)`` returns :class:`Mention` objects with Python-slice
offsets into ``text``. The method, in order:

1. one Aho-Corasick pass over the normalised text finds every KB name, variant, acronym, person
   and country name as whole words (:mod:`.spans`);
2. organisation spans never overlap: the longest wins; country and person spans fill the rest;
3. the context is gathered: countries the text names, organisations it names without ambiguity,
   the publishing organisation (:mod:`.context`);
4. each organisation span is resolved: candidates that need support (uncertain acronyms, generic
   names such as "Communist Party", two-letter acronyms) are dropped without it; the best
   remaining candidate must lead by a margin, else the linker abstains and lists the candidates.
   Precision comes before recall;
5. the text's own definitions are applied ("Communist Party of Greece (CPG)" makes "CPG" a name
   of the KKE in this text), typos of acronyms are linked when the text also names the
   organisation ("SCAP" beside "South African Communist Party"), long names are matched
   fuzzily ("Communist Part of Turkey"), and events are found by ordinal and series name
   (:mod:`.resolve`, :mod:`.fuzzy`);
6. a title tied to an organisation with no name beside it ("the General Secretary of the KKE")
   names the person who held it on the text's date, by the KB's roles (:mod:`.role_refs`).
"""

from __future__ import annotations

import functools
import threading
from datetime import date
from typing import Any

from tribune.db.engine import Database
from tribune.understand.lexicon import Lexicon, build_lexicon, kb_fingerprint
from tribune.understand.mention import Mention


class LinkInputError(ValueError):
    """The text or its metadata cannot be linked (empty, too long, unknown source...)."""


class Linker:
    """A lexicon built from one database, and the linking rules over it."""

    def __init__(self, lexicon: Lexicon, *, max_chars: int = 5_000_000) -> None:
        self.lexicon = lexicon
        self.max_chars = max_chars

    @classmethod
    def from_db(cls, db: Database, *, max_chars: int = 5_000_000) -> Linker:
        return cls(build_lexicon(db), max_chars=max_chars)

    def link(
        self, text: str, *, date: date | None = None, source_org: str | None = None
    ) -> list[Mention]:
        from tribune.understand.resolve import resolve

        if not isinstance(text, str):
            raise LinkInputError(f"the text must be a string, not {type(text).__name__}")
        if not text.strip():
            raise LinkInputError("the text is empty")
        if len(text) > self.max_chars:
            raise LinkInputError(
                f"the text has {len(text):,} characters, more than the limit of "
                f"{self.max_chars:,} (TRIBUNE_LINK_MAX_CHARS)"
            )
        source = None
        if source_org is not None:
            source = self.lexicon.orgs.get(source_org)
            if source is None:
                raise LinkInputError(f"unknown source organisation {source_org!r}")
        return resolve(self.lexicon, text, date, source)


CACHED_LINKERS = 2  # databases whose linker a process keeps (one, outside the tests)
_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], Linker]] = {}


def get_linker(db: Database, *, max_chars: int = 5_000_000) -> Linker:
    """The linker for ``db``, rebuilt when the KB in the database has changed."""
    stamp = kb_fingerprint(db)
    with _cache_lock:
        cached = _cache.get(db.url)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        linker = Linker.from_db(db, max_chars=max_chars)
        _cache.pop(db.url, None)
        _cache[db.url] = (stamp, linker)
        while len(_cache) > CACHED_LINKERS:  # the oldest goes: a linker is large
            del _cache[next(iter(_cache))]
        return linker


@functools.cache
def _configured_database(url: str, busy_timeout_ms: int) -> Database:
    """One handle (and connection pool) per configured database, not one per call."""
    return Database(url, busy_timeout_ms=busy_timeout_ms)


def link(
    text: str,
    *,
    date: date | None = None,
    source_org: str | None = None,
    db: Database | None = None,
) -> list[Mention]:
    """Link ``text`` against the KB of ``db`` (by default the configured database)."""
    from tribune.config import get_settings

    settings = get_settings()
    if db is None:
        db = _configured_database(settings.database_url, settings.sqlite_busy_timeout_ms)
    return get_linker(db, max_chars=settings.link_max_chars).link(
        text, date=date, source_org=source_org
    )

"""Full-text search over published items, behind one interface for both databases.

SQLite: an FTS5 table (``unicode61 remove_diacritics 2``), rowid = the item's id. PostgreSQL: a
table with a ``tsvector`` document (weights: title A, lead B, body D) and a GIN index.

**The same matches on both.** Both backends give the same items for the same query because both
see the same words: the words of the texts and of the queries are always cut and folded by FTS5's
own tokenizer. On SQLite, FTS5 does it in the database; for PostgreSQL, the same tokenizer does it
in this process (an in-memory FTS5 table of the ``sqlite3`` module, :class:`_Tokenizer`), and
the document and the query are handed to PostgreSQL ready made, as ``tsvector`` and ``tsquery``
literals. PostgreSQL's own parser and ``unaccent`` are not used for matching: they cut and fold
differently (``example.com`` is one word there; ``ß``, ``ø``, ``ı`` are folded to ``ss``, ``o``,
``i`` by ``unaccent`` but kept by FTS5; final sigma ``ς`` is not folded to ``σ``), which made the
two backends disagree.

**Words.** A word is a run of letters and digits, matched whole (no prefix matching on either
backend), case-insensitively and accent-insensitively. FTS5 removes diacritics from Latin letters
only, so before tokenizing, letters whose diacritics FTS5 would keep but can remove once the
letter is decomposed (Greek ``έ``, ``ΐ``; Cyrillic ``ё``, ``ї``, but not the letters ``й``,
``ў``) are stored decomposed (:func:`_prepare`): ``ΕΚΛΟΓΕΣ`` finds ``εκλογές``. Consequence:
SQLite snippets hold those letters decomposed (canonically equivalent text: it renders the same;
normalise to NFC where that matters). Dotless ``ı`` is a letter of its own (as in Turkish), while
``İ`` folds to ``i`` (so ``IŞIK`` does not find ``ışık``, on either backend).

**Queries** (:func:`fts5_query` for SQLite, :func:`_tsquery` for PostgreSQL, from one parse):
words, all of which must match; ``"a phrase"`` (an unclosed quote runs to the end); ``a or b``
(``or`` in any case, between two terms, binds tighter than the implicit AND: ``x a or b`` is
``x AND (a OR b)``; elsewhere ``or`` is an ordinary word); ``-word`` and ``-"a phrase"`` exclude.
A word with inner punctuation is a phrase of its parts (``well-known``, ``example.com``). Every
word reaches FTS5 inside a quoted string, so no query can be an FTS5 syntax error. A query with
nothing to search for (no word, or only exclusions) or with more than :data:`MAX_QUERY_WORDS`
words raises :class:`SearchQueryError`.

Known limits of the agreement: PostgreSQL keeps word positions up to 16383 and 256 positions per
word, so phrases deep inside very long texts may match differently, and words longer than 2046
bytes are not indexed there (a query holding one is refused).

The index holds published items only; it is written in the same transaction as the change that
publishes, edits or withdraws an item (:func:`index_item`, :func:`unindex_item`).

Snippets mark matches with :data:`MARK_START` and :data:`MARK_END` (private-use characters,
removed from every indexed text), so the page escapes the snippet first and turns the marks into
``<mark>`` afterwards: a stored text can never inject markup through a snippet. On PostgreSQL the
highlighting is best effort (it runs on PostgreSQL's own parse of the text).
"""

from __future__ import annotations

import atexit
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection

MARK_START, MARK_END = "\ue000", "\ue001"
MAX_QUERY_WORDS = 64

_FTS5_TOKENIZE = "unicode61 remove_diacritics 2"  # as item_search in migration 0005
# Cyrillic letters with a breve are letters of their own, not accented ones ("мой" is not "мои")
_LETTERS_OF_THEIR_OWN = "йЙўЎ"
_RAW_TERM = re.compile(r'-?"[^"]*"?|[^\s"]+')
_PG_MAX_POSITION = 16383
_PG_MAX_POSITIONS = 256
_PG_MAX_LEXEME_BYTES = 2046
_PG_WEIGHTS = ("A", "B", "D")  # title, lead, body
_COMBINING = f"[{chr(0x300)}-{chr(0x36F)}]"
_PG_HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=24, MinWords=8, "
    "FragmentDelimiter=…"
)


@dataclass(frozen=True)
class Hit:
    item_id: int
    snippet: str
    rank: float


class SearchQueryError(ValueError):
    """A query that cannot be searched for: nothing to look for, or far too much."""


class _Tokenizer:
    """FTS5's tokenizer, run in this process on an in-memory table (shared, behind a lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._decompose: dict[int, str] | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            conn.execute(
                f"CREATE VIRTUAL TABLE t USING fts5(x, content='', tokenize='{_FTS5_TOKENIZE}')"
            )
            conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
            atexit.register(conn.close)
            self._conn = conn
        return self._conn

    def _run(self, texts: Sequence[str]) -> list[list[tuple[str, int]]]:
        conn = self._connection()
        out: list[list[tuple[str, int]]] = [[] for _ in texts]
        conn.execute("BEGIN")
        try:
            conn.executemany(
                "INSERT INTO t (rowid, x) VALUES (?, ?)", [(i + 1, t) for i, t in enumerate(texts)]
            )
            for doc, term, offset in conn.execute(
                'SELECT doc, term, "offset" FROM v ORDER BY doc, "offset"'
            ):
                out[doc - 1].append((term, offset))
        finally:
            conn.execute("ROLLBACK")
        return out

    def tokens(self, texts: Sequence[str]) -> list[list[tuple[str, int]]]:
        """For each (prepared) text, its (word, position) pairs in order."""
        with self._lock:
            return self._run(texts)

    def decompositions(self) -> dict[int, str]:
        """The letters to store decomposed, so that FTS5 folds their diacritics away."""
        with self._lock:
            if self._decompose is None:
                candidates = [
                    c
                    for c in map(chr, range(0x80, 0x3000))
                    if unicodedata.category(c).startswith("L")
                    and unicodedata.normalize("NFD", c) != c
                    and c not in _LETTERS_OF_THEIR_OWN
                ]
                # inside a word, as a diacritic FTS5 does not know would split the word
                whole = self._run([f"x{c}x" for c in candidates])
                parts = self._run([f"x{unicodedata.normalize('NFD', c)}x" for c in candidates])
                self._decompose = {
                    ord(c): unicodedata.normalize("NFD", c)
                    for c, w, p in zip(candidates, whole, parts, strict=True)
                    if len(p) == 1 and w != p
                }
            return self._decompose


_tokenizer = _Tokenizer()


def _prepare(text: str) -> str:
    """A text as it is indexed and searched: NFC, letters decomposed where that helps FTS5
    fold them, without the snippet marks, NUL characters or lone surrogates."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text).translate(_tokenizer.decompositions())
    return text.replace(MARK_START, "").replace(MARK_END, "").replace("\x00", " ")


def index_item(conn: Connection, item_id: int, title: str, lead: str, body: str) -> None:
    """Put (or replace) an item in the index."""
    unindex_item(conn, item_id)
    fields = [_prepare(title), _prepare(lead), _prepare(body)]
    if conn.dialect.name == "sqlite":
        conn.execute(
            sa.text("INSERT INTO item_search (rowid, title, lead, body) VALUES (:i, :t, :l, :b)"),
            {"i": item_id, "t": fields[0], "l": fields[1], "b": fields[2]},
        )
        return
    strip = str.maketrans("", "", MARK_START + MARK_END + "\x00")
    conn.execute(
        sa.text(
            "INSERT INTO item_search (item_id, title, lead, body, document) "
            "VALUES (:i, :t, :l, :b, CAST(:d AS tsvector))"
        ),
        {
            "i": item_id,
            "t": title.translate(strip),
            "l": lead.translate(strip),
            "b": body.translate(strip),
            "d": _tsvector(_tokenizer.tokens(fields)),
        },
    )


def unindex_item(conn: Connection, item_id: int) -> None:
    """Take an item out of the index (unpublished, rejected or withdrawn)."""
    column = "rowid" if conn.dialect.name == "sqlite" else "item_id"
    conn.execute(sa.text(f"DELETE FROM item_search WHERE {column} = :i"), {"i": item_id})


def _pg_quote(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector(fields: list[list[tuple[str, int]]]) -> str:
    """The ``tsvector`` literal of an item's fields, positions continuing from field to field
    (with a gap, so that no phrase spans two fields, as in FTS5)."""
    positions: dict[str, dict[int, str]] = {}
    start = 1
    for tokens, weight in zip(fields, _PG_WEIGHTS, strict=True):
        for word, offset in tokens:
            if len(word.encode()) > _PG_MAX_LEXEME_BYTES:
                continue
            at = positions.setdefault(word, {})
            position = min(start + offset, _PG_MAX_POSITION)
            if position not in at and len(at) < _PG_MAX_POSITIONS:
                at[position] = weight
        if tokens:
            start += tokens[-1][1] + 2
    return " ".join(
        _pg_quote(word) + ":" + ",".join(f"{p}{w}" for p, w in at.items())
        for word, at in positions.items()
    )


@dataclass(frozen=True)
class _Phrase:
    text: str  # as typed (prepared), for FTS5, which tokenizes it itself
    words: tuple[str, ...]  # as FTS5 tokenizes it, for PostgreSQL


@dataclass(frozen=True)
class _Query:
    required: tuple[tuple[_Phrase, ...], ...]  # all of these groups, each any of its phrases
    excluded: tuple[_Phrase, ...]


def _parse(text: str) -> _Query:
    raw = _RAW_TERM.findall(_prepare(text))
    terms: list[tuple[str, bool, bool]] = []  # (text, negated, quoted)
    for term in raw:
        negated = term.startswith("-") and len(term) > 1
        body = term[1:] if negated else term
        quoted = body.startswith('"')
        if quoted:
            body = body[1:-1] if len(body) > 1 and body.endswith('"') else body[1:]
        terms.append((body, negated, quoted))
    tokens = _tokenizer.tokens([body for body, _, _ in terms])
    items: list[tuple[_Phrase, bool, bool]] = []  # (phrase, negated, is the operator `or`)
    for (body, negated, quoted), words in zip(terms, tokens, strict=True):
        if words:
            phrase = _Phrase(body, tuple(word for word, _ in words))
            is_or = not negated and not quoted and body.lower() == "or"
            items.append((phrase, negated, is_or))
    if sum(len(p.words) for p, _, _ in items) > MAX_QUERY_WORDS:
        raise SearchQueryError(f"the query has more than {MAX_QUERY_WORDS} words")
    for phrase, _, _ in items:
        if any(len(word.encode()) > _PG_MAX_LEXEME_BYTES for word in phrase.words):
            raise SearchQueryError("the query has a word too long to search for")
    required: list[list[_Phrase]] = []
    excluded: list[_Phrase] = []
    joining = False
    for k, (phrase, negated, is_or) in enumerate(items):
        positive_next = k + 1 < len(items) and not items[k + 1][1]
        if is_or and required and not joining and positive_next and not items[k - 1][1]:
            joining = True
        elif negated:
            excluded.append(phrase)
            joining = False
        elif joining:
            required[-1].append(phrase)
            joining = False
        else:
            required.append([phrase])
    if not required:
        raise SearchQueryError("the query holds no word to search for")
    return _Query(tuple(tuple(group) for group in required), tuple(excluded))


def fts5_query(text: str) -> str:
    """A reader's query in FTS5 syntax, with every word quoted (no FTS5 operator injection).

    ``a b`` → all of them; ``"a b"`` → the phrase; ``a or b`` → either; ``-a`` → not a.
    """
    query = _parse(text)

    def phrase(p: _Phrase) -> str:
        return '"' + p.text.replace('"', '""') + '"'

    out = " AND ".join(
        "(" + " OR ".join(map(phrase, group)) + ")" if len(group) > 1 else phrase(group[0])
        for group in query.required
    )
    for p in query.excluded:
        out = f"({out}) NOT {phrase(p)}"
    return out


def _tsquery(query: _Query) -> str:
    """The same query as a ``tsquery`` literal, over the words FTS5 would see."""

    def phrase(p: _Phrase) -> str:
        return "(" + " <-> ".join(map(_pg_quote, p.words)) + ")"

    out = " & ".join("(" + " | ".join(map(phrase, group)) + ")" for group in query.required)
    for p in query.excluded:
        out += f" & !{phrase(p)}"
    return out


def matched(conn: Connection, query: str) -> sa.Select[tuple[int]]:
    """The ids of the items that match *query*, unranked: for ``items.c.id.in_(...)`` and
    counts, which then start from the index and never probe it once per item."""
    if conn.dialect.name == "sqlite":
        sqlite_stmt = sa.text(
            "SELECT rowid AS item_id FROM item_search WHERE item_search MATCH :q"
        ).bindparams(sa.bindparam("q", fts5_query(query), unique=True))
        return sa.select(sqlite_stmt.columns(item_id=sa.Integer).subquery("matched").c.item_id)
    pg_stmt = sa.text(
        "SELECT item_id FROM item_search WHERE document @@ CAST(:q AS tsquery)"
    ).bindparams(sa.bindparam("q", _tsquery(_parse(query)), unique=True))
    return sa.select(pg_stmt.columns(item_id=sa.Integer).subquery("matched").c.item_id)


def ranked(conn: Connection, query: str, *, materialized: bool = True) -> sa.CTE:
    """A common table expression of (item_id, rank) for the items that match *query*; lower
    rank is better. *materialized* (for a join to ``items``): the matches are ranked first and
    then each is looked up by key, instead of the index being probed once per item. No
    snippet: make those with :func:`snippets` for the one page shown, since a snippet costs far
    more than a match and a common word matches tens of thousands of items."""
    columns = {"item_id": sa.Integer, "rank": sa.Float}
    if conn.dialect.name == "sqlite":
        sqlite_stmt = sa.text(
            "SELECT rowid AS item_id, bm25(item_search, 10.0, 4.0, 1.0) AS rank "
            "FROM item_search WHERE item_search MATCH :q"
        ).bindparams(sa.bindparam("q", fts5_query(query), unique=True))
        cte = sqlite_stmt.columns(**columns).cte("hits")
        return cte.prefix_with("MATERIALIZED") if materialized else cte
    pg_stmt = sa.text(
        "SELECT s.item_id AS item_id, -ts_rank_cd(s.document, q.tsq) AS rank "
        "FROM item_search AS s CROSS JOIN (SELECT CAST(:q AS tsquery) AS tsq) AS q "
        "WHERE s.document @@ q.tsq"
    ).bindparams(sa.bindparam("q", _tsquery(_parse(query)), unique=True))
    cte = pg_stmt.columns(**columns).cte("hits")
    return cte.prefix_with("MATERIALIZED") if materialized else cte


def snippets(conn: Connection, query: str, item_ids: list[int]) -> dict[int, str]:
    """The highlighted snippet of each of *item_ids* for *query* (those that match)."""
    if not item_ids:
        return {}
    hits = matching(conn, query)
    rows = conn.execute(
        sa.select(hits.c.item_id, hits.c.snippet).where(hits.c.item_id.in_(item_ids))
    )
    return {int(i): str(snippet or "") for i, snippet in rows}


def matching(conn: Connection, query: str) -> sa.Subquery:
    """A subquery of (item_id, rank, snippet) for the items that match *query*; lower rank is
    better (order by it). Raises :class:`SearchQueryError` for a query with nothing to search."""
    columns = {"item_id": sa.Integer, "rank": sa.Float, "snippet": sa.Text}
    if conn.dialect.name == "sqlite":
        sqlite_stmt = sa.text(
            "SELECT rowid AS item_id, bm25(item_search, 10.0, 4.0, 1.0) AS rank, "
            f"snippet(item_search, -1, '{MARK_START}', '{MARK_END}', '…', 24) AS snippet "
            "FROM item_search WHERE item_search MATCH :q"
        ).bindparams(sa.bindparam("q", fts5_query(query), unique=True))
        return sqlite_stmt.columns(**columns).subquery("hits")
    parsed = _parse(query)
    words = sorted({w for group in parsed.required for p in group for w in p.words})
    # The headline runs on PostgreSQL's parse of the original text: it highlights the words of
    # that parse which fold (roughly as FTS5 does) to a searched word.
    pg_stmt = sa.text(
        "SELECT s.item_id AS item_id, -ts_rank_cd(s.document, q.tsq) AS rank, "
        "ts_headline('simple', s.lead || ' ' || s.body, coalesce(("
        "  SELECT string_agg('''' || replace(replace(u.lexeme, '\\', '\\\\'), '''', '''''')"
        "    || '''', ' | ')::tsquery"
        "  FROM unnest(to_tsvector('simple', s.lead || ' ' || s.body)) AS u"
        "  WHERE translate(regexp_replace(normalize(u.lexeme, NFD), :marks, '', 'g'), 'ς', 'σ')"
        "    = ANY(:words)"
        ") || q.tsq, q.tsq), :options) AS snippet "
        "FROM item_search AS s CROSS JOIN (SELECT CAST(:q AS tsquery) AS tsq) AS q "
        "WHERE s.document @@ q.tsq"
    ).bindparams(
        sa.bindparam("q", _tsquery(parsed), unique=True),
        sa.bindparam("marks", _COMBINING, unique=True),
        sa.bindparam("words", words, type_=ARRAY(sa.Text), unique=True),
        sa.bindparam("options", _PG_HEADLINE_OPTIONS, unique=True),
    )
    return pg_stmt.columns(**columns).subquery("hits")

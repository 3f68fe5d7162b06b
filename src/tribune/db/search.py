"""Full-text search over published items, behind one interface for both databases.

SQLite: an FTS5 table (``unicode61 remove_diacritics 2``), rowid = the item's id. PostgreSQL: a
table with a ``tsvector`` made with the ``simple`` configuration over ``unaccent`` text, a GIN
index, and ``websearch_to_tsquery``. Both match whole words, case- and accent-insensitively, and
take the same query syntax from readers: words (all must match), ``"a phrase"``, ``or`` and
``-word``. The index holds published items only; it is written in the same transaction as the
change that publishes, edits or withdraws an item (:func:`index_item`, :func:`unindex_item`).

Snippets mark matches with :data:`MARK_START` and :data:`MARK_END` (private-use characters that
never occur in text), so the page escapes the snippet first and turns the marks into ``<mark>``
afterwards: a stored text can never inject markup through a snippet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

MARK_START, MARK_END = "\ue000", "\ue001"
_FTS_TOKEN = re.compile(r'-?"[^"]*"|\S+')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    item_id: int
    snippet: str
    rank: float


class SearchQueryError(ValueError):
    """A query that holds nothing to search for."""


def index_item(conn: Connection, item_id: int, title: str, lead: str, body: str) -> None:
    """Put (or replace) an item in the index."""
    unindex_item(conn, item_id)
    if conn.dialect.name == "sqlite":
        conn.execute(
            sa.text("INSERT INTO item_search (rowid, title, lead, body) VALUES (:i, :t, :l, :b)"),
            {"i": item_id, "t": title, "l": lead, "b": body},
        )
    else:
        conn.execute(
            sa.text(
                "INSERT INTO item_search (item_id, title, lead, body, document) VALUES "
                "(:i, :t, :l, :b, setweight(to_tsvector('simple', unaccent(:t)), 'A') || "
                "setweight(to_tsvector('simple', unaccent(:l)), 'B') || "
                "to_tsvector('simple', unaccent(:b)))"
            ),
            {"i": item_id, "t": title, "l": lead, "b": body},
        )


def unindex_item(conn: Connection, item_id: int) -> None:
    """Take an item out of the index (unpublished, rejected or withdrawn)."""
    column = "rowid" if conn.dialect.name == "sqlite" else "item_id"
    conn.execute(sa.text(f"DELETE FROM item_search WHERE {column} = :i"), {"i": item_id})


def fts5_query(text: str) -> str:
    """A reader's query in FTS5 syntax, with every word quoted (no FTS5 operator injection).

    ``a b`` → all of them; ``"a b"`` → the phrase; ``a or b`` → either; ``-a`` → not a.
    """
    parts: list[str] = []
    negated: list[str] = []
    pending_or = False
    for token in _FTS_TOKEN.findall(text):
        negative = token.startswith("-") and len(token) > 1
        body = token[1:] if negative else token
        words = _WORD.findall(body)
        if not words:
            continue
        if body.lower() == "or" and parts:
            pending_or = True
            continue
        term = '"' + " ".join(words) + '"'
        if negative:
            negated.append(term)
        elif pending_or:
            parts[-1] = f"({parts[-1]} OR {term})"
            pending_or = False
        else:
            parts.append(term)
    if not parts:
        raise SearchQueryError("the query holds no word to search for")
    query = " AND ".join(parts)
    for term in negated:
        query = f"{query} NOT {term}"
    return query


def matching(conn: Connection, query: str) -> sa.Subquery:
    """A subquery of (item_id, rank, snippet) for the items that match *query*, best first."""
    if conn.dialect.name == "sqlite":
        return (
            sa.select(
                sa.literal_column("rowid").label("item_id"),
                sa.literal_column("bm25(item_search, 10.0, 4.0, 1.0)").label("rank"),
                sa.literal_column(
                    f"snippet(item_search, -1, '{MARK_START}', '{MARK_END}', '…', 24)"
                ).label("snippet"),
            )
            .select_from(sa.text("item_search"))
            .where(sa.text("item_search MATCH :q").bindparams(q=fts5_query(query)))
            .subquery("hits")
        )
    if not _WORD.search(query):
        raise SearchQueryError("the query holds no word to search for")
    tsq = sa.func.websearch_to_tsquery("simple", sa.func.unaccent(query))
    document = sa.literal_column("item_search.document")
    return (
        sa.select(
            sa.literal_column("item_search.item_id").label("item_id"),
            (-sa.func.ts_rank_cd(document, tsq)).label("rank"),
            sa.func.ts_headline(
                "simple",
                sa.literal_column("item_search.lead || ' ' || item_search.body"),
                tsq,
                f"StartSel={MARK_START}, StopSel={MARK_END}, MaxFragments=2, MaxWords=24, "
                "MinWords=8, FragmentDelimiter=…",
            ).label("snippet"),
        )
        .select_from(sa.text("item_search"))
        .where(document.op("@@")(tsq))
        .subquery("hits")
    )

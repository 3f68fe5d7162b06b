"""The full-text index on both databases: matching, ranking, snippets and hostile queries."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.search import (
    MARK_END,
    MARK_START,
    SearchQueryError,
    fts5_query,
    index_item,
    matching,
    unindex_item,
)
from tribune.db.tables import items
from tribune.db.types import new_public_id, utcnow

# key: (title, lead, body)
CORPUS: dict[str, tuple[str, str, str]] = {
    "budget": (
        "Council approves the budget",
        "A long debate ended with a vote.",
        "The council met on Tuesday to discuss the budget for next year. After a long debate "
        "the members voted for the proposal of the housing committee, which asks for more "
        "social housing. The mayor said the vote was historic and thanked the residents.",
    ),
    "strike": (
        "General strike called for Friday",
        "Unions call a general strike.",
        "The strike will stop public transport. Social services and housing offices stay open.",
    ),
    "report": (
        "Annual report",
        "The association published its report.",
        "Most of the budget went to social programmes.",
    ),
    "transport": (
        "Transport unions agree",
        "An agreement after three weeks.",
        "The negotiations ended on Monday night.",
    ),
    "es_elecciones": (
        "Elecciones en México",
        "Solidaridad con los trabajadores",
        "Las elecciones del domingo fueron tranquilas y la participación fue alta.",
    ),
    "es_informe": (
        "Informe de la organización",
        "Un año de trabajo",
        "La SOLIDARIDAD internacional llegó desde Mexico y Perú.",
    ),
    "el_ekloges": (
        "ΕΚΛΟΓΕΣ ΣΤΗΝ ΑΘΗΝΑ",
        "Οι εκλογές έγιναν την Κυριακή.",
        "Η συμμετοχή ήταν υψηλή σε όλη την Ελλάδα.",
    ),
    "el_apergia": (
        "Απεργία στα λιμάνια",
        "Οι ναυτεργάτες σταματούν.",
        "Η απεργία αρχίζει αύριο. Εκλογές δεν προβλέπονται.",
    ),
    "tr": (
        "İstanbul'da ışık festivali",
        "Iğdır ve İzmir'den ziyaretçiler",
        "Festival ışıkları şehri aydınlattı.",
    ),
    "ru": (
        "Выборы в Москве",
        "Ёлка на площади",
        "Избиратели голосовали весь день. Мой голос важен.",
    ),
    "script": (
        "Comment moderation",
        "",
        "Someone pasted <script>alert('zanzibar')</script> into a comment about zanzibar "
        "spices & <b>bold</b> claims.",
    ),
    "forged": (
        "Marks",
        "",
        f"A {MARK_START}forged{MARK_END} highlight near the word quokka.",
    ),
}

# query → the items it finds (the same on both databases)
EXPECTED: list[tuple[str, set[str]]] = [
    # one word, whatever the case and accents
    ("budget", {"budget", "report"}),
    ("BUDGET", {"budget", "report"}),
    ("solidaridad", {"es_elecciones", "es_informe"}),
    ("Solidaridad", {"es_elecciones", "es_informe"}),
    ("México", {"es_elecciones", "es_informe"}),
    ("mexico", {"es_elecciones", "es_informe"}),
    ("MÉXICO", {"es_elecciones", "es_informe"}),
    ("participacion", {"es_elecciones"}),
    ("ELECCIONES", {"es_elecciones"}),
    ("elección", set()),  # whole words: no stemming, no prefixes
    ("budg", set()),
    ("budg*", set()),
    ("peru", {"es_informe"}),
    ("εκλογές", {"el_ekloges", "el_apergia"}),
    ("ΕΚΛΟΓΕΣ", {"el_ekloges", "el_apergia"}),
    ("εκλογες", {"el_ekloges", "el_apergia"}),
    ("ελλαδα", {"el_ekloges"}),
    ("ΑΠΕΡΓΊΑ", {"el_apergia"}),
    ("κυριακη", {"el_ekloges"}),
    ("istanbul", {"tr"}),
    ("İSTANBUL", {"tr"}),
    ("ışık", {"tr"}),
    ("IŞIK", set()),  # dotless ı is a letter of its own
    ("isik", set()),
    ("izmir", {"tr"}),
    ("Iğdır", {"tr"}),
    ("ВЫБОРЫ", {"ru"}),
    ("москве", {"ru"}),
    ("елка", {"ru"}),
    ("ЁЛКА", {"ru"}),
    ("мой", {"ru"}),
    ("мои", set()),  # й is a letter, not an accented и
    # all words must match
    ("strike transport", {"strike"}),
    ("strike budget", set()),
    ("social housing", {"budget", "strike"}),
    ("elecciones méxico", {"es_elecciones"}),
    # phrases
    ('"social housing"', {"budget"}),
    ('"housing social"', set()),
    ('"social housing', {"budget"}),  # an unclosed quote runs to the end
    ('"approves the budget"', {"budget"}),
    ('"budget a long"', set()),  # title, then lead: no phrase across fields
    ('"a long debate"', {"budget"}),
    ("solidaridad-internacional", {"es_informe"}),
    # or
    ("budget or strike", {"budget", "report", "strike"}),
    ("budget OR strike", {"budget", "report", "strike"}),
    ("zanzibar or quokka or ελλαδα", {"script", "forged", "el_ekloges"}),
    ("social budget or strike", {"budget", "report", "strike"}),
    ("council budget or strike", {"budget"}),
    ('"or"', set()),
    # exclusions
    ("housing -strike", {"budget"}),
    ('social -"social housing"', {"strike", "report"}),
    ("budget -REPORT -nothing", {"budget"}),
    ("budget - report", {"report"}),  # a lone "-" is nothing
    ("budget -", {"budget", "report"}),
    # punctuation is not a word
    ("budget!!!", {"budget", "report"}),
    ("(budget) AND (strike", set()),
    ("budget AND", {"budget"}),  # "and" is a word like any other
    ("AND OR NOT", {"budget", "strike"}),  # "and" or "not", as words
    ("script", {"script"}),
    ("forged", {"forged"}),
]

EMPTY_QUERIES = ["", "   ", '""', '" "', "-", "--", "*", "-budget", '-"social housing"', "()", "^"]

VOCABULARY = sorted(
    {w for texts in CORPUS.values() for t in texts for w in re.findall(r"\w+", t)}
    | {"or", "OR", "and", "NOT", "NEAR", "-", '"', "*", "^", "(", ")", ":", "+", "'"}
)


def _add_item(conn: Connection, title: str, lead: str, body: str) -> int:
    result = conn.execute(
        sa.insert(items).values(
            public_id=new_public_id(),
            url=f"https://example.org/{new_public_id()}",
            canonical_url="https://example.org/item",
            fetched_at=utcnow(),
            content_hash=hashlib.sha256((title + lead + body).encode()).hexdigest(),
            title=title,
            lead=lead,
            body_text=body,
            status="published",
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _load(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    with db.write() as conn:
        for key, (title, lead, body) in CORPUS.items():
            ids[key] = _add_item(conn, title, lead, body)
            index_item(conn, ids[key], title, lead, body)
    return ids


def _search(db: Database, query: str) -> list[tuple[int, str]]:
    with db.read() as conn:
        hits = matching(conn, query)
        rows = conn.execute(
            sa.select(hits.c.item_id, hits.c.snippet)
            .join(items, items.c.id == hits.c.item_id)
            .order_by(hits.c.rank, hits.c.item_id)
        ).all()
    return [(row.item_id, row.snippet) for row in rows]


def _found(db: Database, ids: dict[str, int], query: str) -> set[str]:
    names = {v: k for k, v in ids.items()}
    return {names[item_id] for item_id, _ in _search(db, query)}


def _ids(db: Database, query: str) -> set[int] | None:
    """The ids *query* finds, or None when it is refused."""
    try:
        return {item_id for item_id, _ in _search(db, query)}
    except SearchQueryError:
        return None


@pytest.fixture
def corpus(empty_db: Database) -> dict[str, int]:
    return _load(empty_db)


def test_queries_find_the_expected_items(empty_db: Database, corpus: dict[str, int]) -> None:
    wrong = {
        query: (found, expected)
        for query, expected in EXPECTED
        if (found := _found(empty_db, corpus, query)) != expected
    }
    assert wrong == {}


@pytest.mark.parametrize("query", EMPTY_QUERIES)
def test_queries_with_nothing_to_search_for_are_refused(
    empty_db: Database, corpus: dict[str, int], query: str
) -> None:
    with pytest.raises(SearchQueryError):
        _search(empty_db, query)


def test_very_long_queries_are_refused(empty_db: Database, corpus: dict[str, int]) -> None:
    with pytest.raises(SearchQueryError):
        _search(empty_db, " ".join(["budget"] * 100))
    with pytest.raises(SearchQueryError):
        _search(empty_db, "x" * 3000)


def test_title_matches_rank_before_body_matches(empty_db: Database, corpus: dict[str, int]) -> None:
    assert [i for i, _ in _search(empty_db, "transport")] == [
        corpus["transport"],
        corpus["strike"],
    ]
    assert [i for i, _ in _search(empty_db, "budget")] == [corpus["budget"], corpus["report"]]


def _plain(snippet: str) -> str:
    return unicodedata.normalize("NFC", snippet.replace(MARK_START, "").replace(MARK_END, ""))


def test_snippet_marks_the_match_in_its_context(empty_db: Database, corpus: dict[str, int]) -> None:
    ((item_id, snippet),) = _search(empty_db, "committee")
    assert item_id == corpus["budget"]
    assert f"{MARK_START}committee{MARK_END}" in snippet
    assert "the proposal of the" in snippet
    assert "which asks for more" in snippet
    assert snippet.count(MARK_START) == snippet.count(MARK_END) == 1


def test_snippet_marks_words_found_without_their_accents(
    empty_db: Database, corpus: dict[str, int]
) -> None:
    snippets = dict(_search(empty_db, "participacion"))
    snippet = unicodedata.normalize("NFC", snippets[corpus["es_elecciones"]])
    assert f"{MARK_START}participación{MARK_END}" in snippet
    snippets = dict(_search(empty_db, "ΚΥΡΙΑΚΗ"))
    snippet = unicodedata.normalize("NFC", snippets[corpus["el_ekloges"]])
    assert f"{MARK_START}Κυριακή{MARK_END}" in snippet


def test_snippets_are_plain_text_with_marks_only(
    empty_db: Database, corpus: dict[str, int]
) -> None:
    ((item_id, snippet),) = _search(empty_db, "spices")
    assert item_id == corpus["script"]
    assert f"{MARK_START}spices{MARK_END}" in snippet
    # the database added no markup of its own: what is there is the stored text, as text
    assert "<mark" not in snippet
    assert "&lt;" not in snippet
    assert "&amp;" not in _plain(snippet)
    assert "comment about zanzibar" in snippet
    # so the page's escape-then-mark makes <mark> the only markup
    page = html.escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    assert set(re.findall(r"<[^>]*>", page)) == {"<mark>", "</mark>"}
    assert "<script>" not in page


def test_marks_in_stored_text_cannot_forge_highlights(
    empty_db: Database, corpus: dict[str, int]
) -> None:
    ((item_id, snippet),) = _search(empty_db, "quokka")
    assert item_id == corpus["forged"]
    assert snippet.count(MARK_START) == snippet.count(MARK_END) == 1
    assert f"{MARK_START}quokka{MARK_END}" in snippet
    assert "forged highlight near the word" in snippet


def test_unindex_removes_the_item(empty_db: Database, corpus: dict[str, int]) -> None:
    with empty_db.write() as conn:
        unindex_item(conn, corpus["report"])
        unindex_item(conn, corpus["report"])  # twice is harmless
    assert _found(empty_db, corpus, "budget") == {"budget"}
    assert _found(empty_db, corpus, "programmes") == set()


def test_reindexing_replaces_the_item(empty_db: Database, corpus: dict[str, int]) -> None:
    with empty_db.write() as conn:
        index_item(conn, corpus["report"], "Annual report", "", "Nothing about money.")
        index_item(conn, corpus["report"], "Annual report", "", "Nothing about money.")
        index_item(conn, corpus["strike"], "General strike", "", "A strike on the budget.")
    assert [i for i, _ in _search(empty_db, "report")] == [corpus["report"]]
    assert _found(empty_db, corpus, "money") == {"report"}
    assert _found(empty_db, corpus, "budget") == {"budget", "strike"}
    assert _found(empty_db, corpus, "transport") == {"transport"}


def test_an_index_write_rolls_back_with_its_transaction(
    empty_db: Database, corpus: dict[str, int]
) -> None:
    def unindex_then_fail() -> None:
        with empty_db.write() as conn:
            unindex_item(conn, corpus["report"])
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        unindex_then_fail()
    assert _found(empty_db, corpus, "programmes") == {"report"}


def test_empty_and_huge_texts_are_indexed(empty_db: Database) -> None:
    with empty_db.write() as conn:
        empty = _add_item(conn, "", "", "")
        index_item(conn, empty, "", "", "")
        big = _add_item(conn, "Big", "", "")
        body = " ".join(f"w{i % 500} filler" for i in range(20000)) + " needle at the end"
        index_item(conn, big, "Big", "", body)
    assert _ids(empty_db, "needle") == {big}
    assert _ids(empty_db, "w7 filler") == {big}


# Both databases side by side: the same matches for the same queries


@pytest.fixture(scope="module")
def both(templates: Any) -> Iterator[dict[str, Database]]:
    dbs = {backend: templates.clone(backend, "empty") for backend in ("sqlite", "postgresql")}
    for db in dbs.values():
        _load(db)
    yield dbs
    for db in dbs.values():
        db.dispose()


def _agree(both: dict[str, Database], query: str) -> None:
    on_sqlite = _ids(both["sqlite"], query)
    on_postgres = _ids(both["postgresql"], query)
    assert on_sqlite == on_postgres, query


def test_both_databases_find_the_same_items(both: dict[str, Database]) -> None:
    for query, _ in EXPECTED:
        _agree(both, query)
    for query in EMPTY_QUERIES:
        _agree(both, query)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=8))
def test_both_databases_agree_on_any_query_of_corpus_words(
    both: dict[str, Database], words: list[str]
) -> None:
    _agree(both, " ".join(words))


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_both_databases_agree_on_any_text(both: dict[str, Database], text: str) -> None:
    _agree(both, text)


# FTS5 syntax errors are impossible


@pytest.fixture(scope="module")
def sqlite_db(templates: Any) -> Iterator[Database]:
    db = templates.clone("sqlite", "empty")
    _load(db)
    yield db
    db.dispose()


@pytest.mark.parametrize(
    "query",
    ['""', "-", "AND OR NOT", "*", "NEAR(a b)", 'a"b', "a:b", "^a", "a + b", "a OR", "OR", "(((("],
)
def test_operator_soup_never_reaches_fts5_as_syntax(sqlite_db: Database, query: str) -> None:
    fts, refused = _fts5_or_refusal(query)
    if fts is None:
        assert refused.startswith("the query")
        return
    assert _runs_in_fts5(sqlite_db, fts)


def _fts5_or_refusal(text: str) -> tuple[str | None, str]:
    """The FTS5 query made of *text*, or None and the reason it is refused."""
    try:
        return fts5_query(text), ""
    except SearchQueryError as exc:
        return None, str(exc)


def _runs_in_fts5(db: Database, fts: str) -> bool:
    """Whether FTS5 takes *fts* as a query: its matches are indexed items (a syntax error
    would raise instead)."""
    with db.read() as conn:
        found = set(
            conn.execute(
                sa.text("SELECT rowid FROM item_search WHERE item_search MATCH :q"), {"q": fts}
            ).scalars()
        )
        indexed = set(conn.execute(sa.text("SELECT rowid FROM item_search")).scalars())
    return found <= indexed


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_any_text_is_a_valid_fts5_query_or_refused(sqlite_db: Database, text: str) -> None:
    fts, refused = _fts5_or_refusal(text)
    if fts is None:
        assert refused.startswith("the query")
        return
    assert _runs_in_fts5(sqlite_db, fts)
    with sqlite_db.read() as conn:
        hits = matching(conn, text)
        rows = conn.execute(sa.select(hits.c.item_id, hits.c.snippet).order_by(hits.c.rank))
        assert all(isinstance(snippet, str) for _, snippet in rows)


def test_the_tokenizer_run_in_process_is_the_index_tokenizer(sqlite_db: Database) -> None:
    """PostgreSQL's words are cut by the same FTS5 tokenizer as the SQLite index's."""
    from tribune.db import search

    with sqlite_db.read() as conn:
        sql = conn.execute(
            sa.text("SELECT sql FROM sqlite_master WHERE name = 'item_search'")
        ).scalar_one()
    assert f"tokenize = '{search._FTS5_TOKENIZE}'" in sql

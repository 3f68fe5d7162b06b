"""What editors do to items: status changes, featuring, edits; with the search index, the site
generation and the audit log kept in step."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from tribune.db import generation, search
from tribune.db.engine import Database
from tribune.db.tables import audit_log, items
from tribune.db.types import new_public_id
from tribune.newsroom.items import (
    Change,
    EditError,
    ItemNotFound,
    edit,
    set_featured,
    set_status,
)
from tribune.newsroom.policy import Actor, NotAllowed

EDITOR = Actor(name="ed", role="editor", user_id=None)
FETCHED = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _add(
    db: Database,
    title: str = "Solidarity with the dockers of Piraeus",
    body: str = "The dockers of Piraeus are on strike. They oppose privatisation.",
    status: str = "inbox",
) -> str:
    public_id = new_public_id()
    with db.write() as conn:
        conn.execute(
            items.insert().values(
                public_id=public_id,
                slug="",
                source_id=None,
                url=f"http://party.example/{public_id}",
                canonical_url=f"http://party.example/{public_id}",
                title=title,
                lead=body.split(". ")[0],
                body_html=f"<p>{body}</p>",
                body_text=body,
                language="en",
                published_at=None,
                fetched_at=FETCHED,
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                status=status,
                featured=False,
                correction="",
                created_at=FETCHED,
                updated_at=FETCHED,
            )
        )
    return public_id


def _item(db: Database, public_id: str) -> Any:
    with db.read() as conn:
        return conn.execute(sa.select(items).where(items.c.public_id == public_id)).one()


def _found(db: Database, query: str) -> set[str]:
    """Public ids of the items the search index finds for *query*."""
    with db.read() as conn:
        hits = search.matching(conn, query)
        return set(
            conn.execute(
                sa.select(items.c.public_id).join(hits, hits.c.item_id == items.c.id)
            ).scalars()
        )


def _generation(db: Database) -> int:
    with db.read() as conn:
        return generation.current(conn)


def _audit(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).all())


def test_publish_indexes_bumps_the_generation_and_audits(db: Database) -> None:
    public_id = _add(db)
    assert _found(db, "Piraeus") == set()
    before = _generation(db)
    change = set_status(db, EDITOR, public_id, "published")
    assert change == Change(public_id, "published", False)
    row = _item(db, public_id)
    assert row.status == "published"
    assert row.published_at == FETCHED  # when it had no date of its own
    assert row.slug == "solidarity-with-the-dockers-of-piraeus"
    assert _found(db, "Piraeus") == {public_id}
    assert _found(db, "privatisation") == {public_id}
    assert _generation(db) > before
    [entry] = _audit(db)
    assert (entry.actor, entry.action, entry.table_name, entry.row_id) == (
        "ed",
        "item.publish",
        "items",
        public_id,
    )
    assert (entry.before["status"], entry.after["status"]) == ("inbox", "published")
    assert (entry.before["slug"], entry.after["slug"]) == ("", row.slug)


def test_unpublish_takes_the_item_out_of_the_index(db: Database) -> None:
    public_id = _add(db)
    set_status(db, EDITOR, public_id, "published")
    set_featured(db, EDITOR, public_id, True)
    published = _generation(db)
    assert set_status(db, EDITOR, public_id, "inbox") == Change(public_id, "inbox", False)
    assert _found(db, "Piraeus") == set()
    assert _generation(db) > published
    assert _item(db, public_id).featured is False
    entry = _audit(db)[-1]
    assert entry.action == "item.unpublish"
    assert entry.before == {"status": "published", "featured": True}
    assert entry.after == {"status": "inbox", "featured": False}


def test_rejecting_an_inbox_item_leaves_the_readers_site_alone(db: Database) -> None:
    public_id = _add(db)
    before = _generation(db)
    set_status(db, EDITOR, public_id, "rejected")
    assert _item(db, public_id).status == "rejected"
    assert _generation(db) == before
    assert _audit(db)[-1].action == "item.reject"


def test_rejecting_a_published_item_unindexes_it(db: Database) -> None:
    public_id = _add(db)
    set_status(db, EDITOR, public_id, "published")
    set_status(db, EDITOR, public_id, "rejected")
    assert _found(db, "Piraeus") == set()


def test_withdraw_only_from_published(db: Database) -> None:
    for status in ("inbox", "rejected", "duplicate"):
        public_id = _add(db, status=status)
        with pytest.raises(EditError, match="only a published item can be withdrawn"):
            set_status(db, EDITOR, public_id, "withdrawn")
        assert _item(db, public_id).status == status
    assert _audit(db) == []
    public_id = _add(db)
    set_status(db, EDITOR, public_id, "published")
    published = _generation(db)
    assert set_status(db, EDITOR, public_id, "withdrawn").status == "withdrawn"
    assert _found(db, "Piraeus") == set()
    assert _generation(db) > published
    assert _audit(db)[-1].action == "item.withdraw"


@pytest.mark.parametrize("status", ["published", "inbox", "rejected", "withdrawn"])
def test_a_withdrawn_item_stays_withdrawn(db: Database, status: str) -> None:
    public_id = _add(db)
    set_status(db, EDITOR, public_id, "published")
    set_status(db, EDITOR, public_id, "withdrawn")
    entries = len(_audit(db))
    with pytest.raises(EditError):
        set_status(db, EDITOR, public_id, status)
    assert _item(db, public_id).status == "withdrawn"
    assert _found(db, "Piraeus") == set()
    assert len(_audit(db)) == entries


def test_feature_only_published(db: Database) -> None:
    public_id = _add(db)
    with pytest.raises(EditError, match="only a published item can be featured"):
        set_featured(db, EDITOR, public_id, True)
    assert _item(db, public_id).featured is False
    set_status(db, EDITOR, public_id, "published")
    before = _generation(db)
    assert set_featured(db, EDITOR, public_id, True) == Change(public_id, "published", True)
    assert _item(db, public_id).featured is True
    assert _generation(db) > before
    assert _audit(db)[-1].action == "item.feature"
    assert set_featured(db, EDITOR, public_id, False).featured is False
    assert _audit(db)[-1].action == "item.unfeature"


def test_an_action_that_changes_nothing_is_not_recorded(db: Database) -> None:
    public_id = _add(db)
    set_status(db, EDITOR, public_id, "published")
    entries, before = len(_audit(db)), _generation(db)
    set_status(db, EDITOR, public_id, "published")
    set_featured(db, EDITOR, public_id, False)
    assert len(_audit(db)) == entries
    assert _generation(db) == before


def test_unknown_status_and_unknown_item_are_refused(db: Database) -> None:
    public_id = _add(db)
    with pytest.raises(EditError, match="cannot set status 'duplicate'"):
        set_status(db, EDITOR, public_id, "duplicate")
    with pytest.raises(ItemNotFound):
        set_status(db, EDITOR, "no-such-item", "published")
    with pytest.raises(ItemNotFound):
        set_featured(db, EDITOR, "no-such-item", True)
    with pytest.raises(ItemNotFound):
        edit(db, EDITOR, "no-such-item", {"title": "A title"})


def test_actions_are_checked_against_the_policy(db: Database) -> None:
    public_id = _add(db)
    viewer = Actor(name="vi", role="viewer")
    writer = Actor(name="bot", scopes=frozenset({"items:write"}), via="token")
    with pytest.raises(NotAllowed):
        set_status(db, viewer, public_id, "published")
    with pytest.raises(NotAllowed):
        set_featured(db, viewer, public_id, True)
    with pytest.raises(NotAllowed):
        edit(db, viewer, public_id, {"title": "Changed"})
    with pytest.raises(NotAllowed):
        set_status(db, writer, public_id, "published")
    assert _item(db, public_id).status == "inbox"
    edit(db, writer, public_id, {"title": "Changed by a token"})
    assert _item(db, public_id).title == "Changed by a token"
    assert _audit(db)[-1].actor == "token:bot"


def test_edit_sanitises_the_body_and_tidies_the_fields(db: Database) -> None:
    public_id = _add(db)
    edit(
        db,
        EDITOR,
        public_id,
        {
            "title": "  A   new\nheadline ",
            "lead": " A  lead. ",
            "body_html": '<p onclick="x()">Kept text.</p><script>alert(1)</script>'
            '<img src=x onerror=alert(2)><a href="javascript:alert(3)">link</a>',
            "kind": "statement",
            "correction": " A correction. ",
        },
    )
    row = _item(db, public_id)
    assert row.title == "A new headline"
    assert row.lead == "A lead."
    assert row.kind == "statement"
    assert row.correction == "A correction."
    for bad in ("<script", "alert(", "onerror", "onclick", "<img", "javascript:"):
        assert bad not in row.body_html
    assert "<p>Kept text.</p>" in row.body_html
    assert row.body_text.startswith("Kept text.")
    [entry] = _audit(db)
    assert entry.action == "item.edit"
    assert entry.before["title"] == "Solidarity with the dockers of Piraeus"
    assert entry.after["title"] == "A new headline"
    assert "<script" not in entry.after["body_html"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "headline must be"),
        ({"title": "  \n "}, "headline must be"),
        ({"title": "x" * 401}, "headline must be"),
        ({"lead": "x" * 2001}, "lead must be at most"),
        ({"kind": "gossip"}, "unknown kind 'gossip'"),
        ({"status": "published"}, "cannot edit status"),
        ({"featured": "1", "title": "Fine"}, "cannot edit featured"),
    ],
)
def test_bad_edits_are_refused(db: Database, fields: dict[str, str], message: str) -> None:
    public_id = _add(db)
    with pytest.raises(EditError, match=message):
        edit(db, EDITOR, public_id, fields)
    row = _item(db, public_id)
    assert row.title == "Solidarity with the dockers of Piraeus"
    assert row.status == "inbox"
    assert _audit(db) == []


def test_an_empty_kind_clears_it(db: Database) -> None:
    public_id = _add(db)
    edit(db, EDITOR, public_id, {"kind": "interview"})
    edit(db, EDITOR, public_id, {"kind": " "})
    assert _item(db, public_id).kind is None


def test_editing_a_published_item_reindexes_it(db: Database) -> None:
    public_id = _add(db)
    set_status(db, EDITOR, public_id, "published")
    before = _generation(db)
    edit(db, EDITOR, public_id, {"body_html": "<p>The seafarers of Thessaloniki joined.</p>"})
    assert _found(db, "Thessaloniki") == {public_id}
    assert _found(db, "privatisation") == set()
    assert _found(db, "Piraeus") == {public_id}  # still in the headline
    assert _generation(db) > before


def test_editing_an_inbox_item_does_not_index_it(db: Database) -> None:
    public_id = _add(db)
    before = _generation(db)
    edit(db, EDITOR, public_id, {"title": "Thessaloniki joins the strike"})
    assert _found(db, "Thessaloniki") == set()
    assert _generation(db) == before


def test_correcting_a_withdrawn_item_changes_what_readers_see(db: Database) -> None:
    """Readers get a withdrawn item's notice with its correction: editing it bumps the
    generation, so cached notices go stale."""
    public_id = _add(db)
    set_status(db, EDITOR, public_id, "published")
    set_status(db, EDITOR, public_id, "withdrawn")
    before = _generation(db)
    edit(db, EDITOR, public_id, {"correction": "Withdrawn at the party's request."})
    assert _generation(db) > before
    assert _found(db, "Piraeus") == set()


def test_an_edited_body_with_control_characters_is_stored_without_them(db: Database) -> None:
    """lxml refuses control characters; an editor's paste must not crash the edit."""
    public_id = _add(db)
    edit(db, EDITOR, public_id, {"body_html": "<p>one\x01two\x0bthree</p>"})
    row = _item(db, public_id)
    assert row.body_text == "onetwothree"
    assert "\x01" not in row.body_html

"""Stories and compilations: created by editors, entries appended (never reshuffled), closed and
reopened; with the audit log and the site generation kept in step, and read back as readers
see them."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import audit_log, items, sources, stories, story_items
from tribune.db.types import new_public_id
from tribune.newsroom.items import set_status
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.newsroom.stories import (
    StoryError,
    StoryNotFound,
    add_entry,
    create_story,
    set_state,
)
from tribune.reading.stories import find_story, list_stories

EDITOR = Actor(name="ed", role="editor")
VIEWER = Actor(name="viewer", role="viewer")
WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _source(db: Database, org_id: str) -> int:
    with db.write() as conn:
        return int(
            conn.execute(
                sources.insert().values(
                    public_id=new_public_id(),
                    org_id=org_id,
                    kind="feed",
                    url=f"http://{org_id}.example/feed",
                    rights="full-text",
                    language="",
                    state="active",
                    min_interval_s=900,
                    max_interval_s=86400,
                    interval_s=3600,
                    error_count=0,
                )
            ).inserted_primary_key[0]
        )


def _item(
    db: Database, title: str, *, source_id: int | None = None, status: str = "published", n: int = 0
) -> str:
    public_id = new_public_id()
    body = f"{title}. The statement in full."
    with db.write() as conn:
        conn.execute(
            items.insert().values(
                public_id=public_id,
                slug="statement",
                source_id=source_id,
                url=f"http://party.example/{public_id}",
                canonical_url=f"http://party.example/{public_id}",
                title=title,
                lead=title,
                body_html=f"<p>{body}</p>",
                body_text=body,
                language="en",
                published_at=WHEN + timedelta(hours=n),
                fetched_at=WHEN + timedelta(hours=n),
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                status=status,
                featured=False,
                correction="",
                created_at=WHEN,
                updated_at=WHEN,
            )
        )
    return public_id


def _generation(db: Database) -> int:
    with db.read() as conn:
        return generation.current(conn)


def _audit(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).all())


def _entries(db: Database, story_id: int) -> list[Any]:
    with db.read() as conn:
        return list(
            conn.execute(
                sa.select(story_items)
                .where(story_items.c.story_id == story_id)
                .order_by(story_items.c.position)
            ).all()
        )


def _story_row(db: Database, public_id: str) -> Any:
    with db.read() as conn:
        return conn.execute(sa.select(stories).where(stories.c.public_id == public_id)).one()


def test_create_story_is_accepted_open_audited_and_bumps_the_generation(db: Database) -> None:
    before = _generation(db)
    ref = create_story(db, EDITOR, "  Solidarity   with Cuba ", "compilation")
    assert (ref.slug, ref.title, ref.state) == (
        "solidarity-with-cuba",
        "Solidarity with Cuba",
        "open",
    )
    row = _story_row(db, ref.public_id)
    assert (row.kind, row.state, bool(row.accepted), row.id) == (
        "compilation",
        "open",
        True,
        ref.id,
    )
    assert _generation(db) > before
    [entry] = _audit(db)
    assert (entry.actor, entry.action, entry.table_name, entry.row_id) == (
        "ed",
        "story.create",
        "stories",
        ref.public_id,
    )
    assert entry.before is None
    assert entry.after == {"title": "Solidarity with Cuba", "kind": "compilation", "slug": ref.slug}
    # the same title again gets a slug of its own
    again = create_story(db, EDITOR, "Solidarity with Cuba", "event")
    assert again.slug == "solidarity-with-cuba-2"
    assert again.public_id != ref.public_id


@pytest.mark.parametrize(
    ("title", "kind"),
    [("", "compilation"), ("   ", "compilation"), ("x" * 401, "compilation"), ("Fine", "blog")],
)
def test_create_story_refuses_a_bad_title_or_kind(db: Database, title: str, kind: str) -> None:
    with pytest.raises(StoryError):
        create_story(db, EDITOR, title, kind)
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(stories)).scalar() == 0
    assert _audit(db) == []


def test_a_viewer_may_not_change_stories(db: Database) -> None:
    ref = create_story(db, EDITOR, "Elections in Venezuela")
    item = _item(db, "On the elections")
    with pytest.raises(NotAllowed):
        create_story(db, VIEWER, "Another")
    with pytest.raises(NotAllowed):
        add_entry(db, VIEWER, ref.public_id, item)
    with pytest.raises(NotAllowed):
        set_state(db, VIEWER, ref.public_id, "closed")
    assert _entries(db, ref.id) == []
    assert _story_row(db, ref.public_id).state == "open"


def test_entries_are_appended_in_the_order_added(db: Database) -> None:
    kke, tkp = _source(db, "gr-kke"), _source(db, "tr-tkp")
    ref = create_story(db, EDITOR, "Responses to the blockade")
    first = _item(db, "KKE: end the blockade", source_id=kke, n=3)
    second = _item(db, "TKP: hands off Cuba", source_id=tkp, n=1)
    third = _item(db, "KKE again on the blockade", source_id=kke, n=2)
    created = _story_row(db, ref.public_id).updated_at
    generations = [_generation(db)]
    positions = []
    for public_id, sub in ((first, "  Greece:  the KKE "), (second, "Turkey"), (third, "")):
        positions.append(add_entry(db, EDITOR, ref.public_id, public_id, sub))
        generations.append(_generation(db))
    assert positions == [1, 2, 3]
    assert generations == sorted(set(generations))  # every addition bumped the generation
    rows = _entries(db, ref.id)
    assert [r.position for r in rows] == [1, 2, 3]
    assert [r.subheadline for r in rows] == ["Greece: the KKE", "Turkey", ""]
    assert [r.version for r in rows] == [None, None, None]
    assert rows[0].added_at <= rows[1].added_at <= rows[2].added_at
    assert _story_row(db, ref.public_id).updated_at >= created
    adds = [e for e in _audit(db) if e.action == "story.add"]
    assert [(e.table_name, e.row_id) for e in adds] == [
        ("story_items", f"{ref.public_id}/{n}") for n in (1, 2, 3)
    ]
    assert adds[0].after == {"item": first, "subheadline": "Greece: the KKE"}
    # readers see them in the order added, not by date, with who spoke
    with db.read() as conn:
        view = find_story(conn, ref.slug)
        assert view is not None
        assert find_story(conn, ref.public_id) == view
    assert [e.card.public_id for e in view.entries] == [first, second, third]
    assert [e.position for e in view.entries] == [1, 2, 3]
    assert view.acronyms == ["KKE", "TKP"]
    assert view.state_label == "To be updated"


def test_an_item_is_in_a_story_once(db: Database) -> None:
    ref = create_story(db, EDITOR, "May Day")
    item = _item(db, "May Day greetings")
    assert add_entry(db, EDITOR, ref.public_id, item, "Greetings") == 1
    with pytest.raises(StoryError, match="already"):
        add_entry(db, EDITOR, ref.public_id, item, "Again")
    assert [r.subheadline for r in _entries(db, ref.id)] == ["Greetings"]
    # another story may hold it too
    other = create_story(db, EDITOR, "Greetings of the year")
    assert add_entry(db, EDITOR, other.public_id, item) == 1


@pytest.mark.parametrize("status", ["inbox", "rejected", "duplicate", "withdrawn"])
def test_only_a_published_item_can_be_added(db: Database, status: str) -> None:
    ref = create_story(db, EDITOR, "Strikes")
    item = _item(db, "Not for readers", status=status)
    before = _generation(db)
    with pytest.raises(StoryError, match="published"):
        add_entry(db, EDITOR, ref.public_id, item)
    assert _entries(db, ref.id) == []
    assert _generation(db) == before
    assert [e.action for e in _audit(db)] == ["story.create"]


def test_unknown_items_and_stories_and_long_subheadlines_are_refused(db: Database) -> None:
    ref = create_story(db, EDITOR, "Strikes")
    item = _item(db, "A strike")
    with pytest.raises(StoryError, match="no item"):
        add_entry(db, EDITOR, ref.public_id, new_public_id())
    with pytest.raises(StoryNotFound):
        add_entry(db, EDITOR, new_public_id(), item)
    with pytest.raises(StoryNotFound):
        set_state(db, EDITOR, new_public_id(), "closed")
    with pytest.raises(StoryError, match="sub-headline"):
        add_entry(db, EDITOR, ref.public_id, item, "y" * 401)
    assert _entries(db, ref.id) == []


def test_closing_and_reopening_change_the_state_label(db: Database) -> None:
    ref = create_story(db, EDITOR, "The 21st IMCWP")
    before = _generation(db)
    set_state(db, EDITOR, ref.public_id, "closed")
    assert _story_row(db, ref.public_id).state == "closed"
    assert _generation(db) > before
    with db.read() as conn:
        view = find_story(conn, ref.slug)
    assert view is not None
    assert (view.state, view.state_label) == ("closed", "Updated")
    closing = _audit(db)[-1]
    assert (closing.action, closing.table_name, closing.row_id) == (
        "story.close",
        "stories",
        ref.public_id,
    )
    assert (closing.before, closing.after) == ({"state": "open"}, {"state": "closed"})
    # the same state again changes nothing
    count, closed_at = len(_audit(db)), _generation(db)
    set_state(db, EDITOR, ref.public_id, "closed")
    assert (len(_audit(db)), _generation(db)) == (count, closed_at)
    set_state(db, EDITOR, ref.public_id, "open")
    assert _audit(db)[-1].action == "story.reopen"
    with db.read() as conn:
        view = find_story(conn, ref.public_id)
    assert view is not None
    assert view.state_label == "To be updated"
    with pytest.raises(StoryError):
        set_state(db, EDITOR, ref.public_id, "archived")


def test_readers_see_published_entries_of_accepted_stories_only(db: Database) -> None:
    ref = create_story(db, EDITOR, "Peace")
    shown, hidden = _item(db, "For peace", n=1), _item(db, "Against war", n=2)
    add_entry(db, EDITOR, ref.public_id, shown)
    add_entry(db, EDITOR, ref.public_id, hidden)
    set_status(db, EDITOR, hidden, "inbox")  # unpublished after it was added
    with db.read() as conn:
        view = find_story(conn, ref.slug)
    assert view is not None
    assert [e.card.public_id for e in view.entries] == [shown]
    assert [r.position for r in _entries(db, ref.id)] == [1, 2]  # the record keeps both
    # a story the clustering stage proposed is not public until accepted
    with db.write() as conn:
        conn.execute(stories.update().where(stories.c.id == ref.id).values(accepted=False))
    with db.read() as conn:
        assert find_story(conn, ref.slug) is None
        assert list_stories(conn) == []


def test_list_stories_puts_the_latest_updated_first(db: Database) -> None:
    old = create_story(db, EDITOR, "Older story")
    new = create_story(db, EDITOR, "Newer story")
    with db.read() as conn:
        assert [s.public_id for s in list_stories(conn)] == [new.public_id, old.public_id]
    add_entry(db, EDITOR, old.public_id, _item(db, "Fresh statement"))
    with db.read() as conn:
        listed = list_stories(conn)
        assert [s.public_id for s in listed] == [old.public_id, new.public_id]
        assert [s.public_id for s in list_stories(conn, limit=1, offset=1)] == [new.public_id]
    assert [len(s.entries) for s in listed] == [1, 0]

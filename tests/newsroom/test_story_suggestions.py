"""Editors answer the stories stage: start a compilation from a candidate story, add or refuse
the items later linked to it; refused suggestions stay refused after the stage runs again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from seedstories import add_late_voice, seed_strike

from tribune.db.engine import Database
from tribune.db.tables import audit_log, decisions, stories
from tribune.newsroom import story_suggestions as suggest
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.newsroom.stories import StoryError, StoryNotFound
from tribune.reading.stories import find_story
from tribune.understand import story_stage

EDITOR = Actor(name="eleni", role="editor", via="cli")
VIEWER = Actor(name="viewer", role="viewer", via="cli")
TOPIC = "Statements by the parties on the general strike in Greece"


def _compilations(db: Database) -> list[suggest.CompilationSuggestion]:
    with db.read() as conn:
        return suggest.compilation_suggestions(conn)


def _entries(db: Database) -> list[suggest.EntrySuggestion]:
    with db.read() as conn:
        return suggest.entry_suggestions(conn)


def test_a_story_with_two_parties_is_suggested_as_a_compilation(db: Database) -> None:
    seed_strike(db)
    (found,) = _compilations(db)
    assert found.org_ids == ["gr-kke", "tr-tkp"]
    assert found.acronyms == ["KKE", "TKP"]
    assert found.summary.startswith("2 parties have spoken on Γενική απεργία")
    assert found.summary.endswith(": KKE, TKP")
    assert sum(m.edition for m in found.members) == 1  # KKE's English edition


def test_accepting_makes_an_open_compilation_listing_the_acronyms(db: Database) -> None:
    seed = seed_strike(db)
    (found,) = _compilations(db)
    slug = suggest.answer_compilation(db, EDITOR, found.story_public_id, accept=True, topic=TOPIC)
    assert _compilations(db) == []
    with db.read() as conn:
        view = find_story(conn, slug)
        decided = conn.execute(sa.select(decisions.c.subject_type, decisions.c.action)).all()
        logged = conn.execute(sa.select(audit_log.c.action)).scalars().all()
    assert view is not None
    assert view.title == f"{TOPIC}: KKE, TKP (To be updated)"
    assert (view.kind, view.state, view.state_label) == ("compilation", "open", "To be updated")
    # one entry per statement: KKE's English edition is not a voice of its own
    assert [e.card.public_id for e in view.entries] == [seed.ids["kke-el"], seed.ids["tkp"]]
    assert [e.position for e in view.entries] == [1, 2]
    assert decided == [("story_candidate", "accept")]
    assert "story.accept" in logged


def test_a_later_voice_is_suggested_and_accepting_it_updates_the_headline(db: Database) -> None:
    seed = seed_strike(db)
    (found,) = _compilations(db)
    slug = suggest.answer_compilation(db, EDITOR, found.story_public_id, accept=True, topic=TOPIC)
    late = add_late_voice(db, seed)
    story_stage.run(db, pending=True)
    (entry,) = _entries(db)
    assert (entry.item_public_id, entry.org_short) == (late, "PCP")
    position = suggest.answer_entry(db, EDITOR, found.story_public_id, late, accept=True)
    assert position == 3
    assert _entries(db) == []
    with db.read() as conn:
        view = find_story(conn, slug)
    assert view is not None
    assert view.title == f"{TOPIC}: KKE, TKP, PCP (To be updated)"
    assert view.entries[-1].card.public_id == late


def test_a_refused_entry_is_not_suggested_again_after_a_rerun(db: Database) -> None:
    seed = seed_strike(db)
    (found,) = _compilations(db)
    suggest.answer_compilation(db, EDITOR, found.story_public_id, accept=True)
    late = add_late_voice(db, seed)
    story_stage.run(db, pending=True)
    assert suggest.answer_entry(db, EDITOR, found.story_public_id, late, accept=False) is None
    assert _entries(db) == []
    story_stage.run(db)  # the whole archive again
    assert _entries(db) == []
    with pytest.raises(StoryError, match="not proposed"):
        suggest.answer_entry(db, EDITOR, found.story_public_id, late, accept=True)


def test_a_refused_compilation_is_not_suggested_again_after_a_rerun(db: Database) -> None:
    seed_strike(db)
    (found,) = _compilations(db)
    suggest.answer_compilation(db, EDITOR, found.story_public_id, accept=False)
    assert _compilations(db) == []
    story_stage.run(db)  # candidates are rebuilt, with new public ids
    assert _compilations(db) == []
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(stories)).scalar_one() == 1
    with pytest.raises(StoryNotFound):  # the re-run replaced the candidate
        suggest.answer_compilation(db, EDITOR, found.story_public_id, accept=True)
    with db.read() as conn:
        rebuilt = conn.execute(sa.select(stories.c.public_id)).scalar_one()
    with pytest.raises(StoryError, match="no compilation"):
        suggest.answer_compilation(db, EDITOR, rebuilt, accept=True)


def test_a_single_voice_is_no_compilation(db: Database) -> None:
    seed_strike(db, run=False)
    with db.write() as conn:
        from tribune.db.tables import items, sources

        tkp = sa.select(sources.c.id).where(sources.c.org_id == "tr-tkp").scalar_subquery()
        conn.execute(sa.update(items).where(items.c.source_id == tkp).values(status="rejected"))
    story_stage.run(db)
    assert _compilations(db) == []  # KKE's two editions are one statement by one party


def test_viewers_cannot_answer(db: Database) -> None:
    seed_strike(db)
    (found,) = _compilations(db)
    with pytest.raises(NotAllowed):
        suggest.answer_compilation(db, VIEWER, found.story_public_id, accept=True)
    assert len(_compilations(db)) == 1

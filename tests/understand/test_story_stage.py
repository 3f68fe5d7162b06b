"""The stories stage over stored items: candidate stories, editions, idempotence, and
``tribune reprocess --stage stories``."""

from __future__ import annotations

import sqlalchemy as sa
from seedstories import StorySeed, add_late_voice, seed_strike
from typer.testing import CliRunner

from tribune.cli import app
from tribune.db.engine import Database
from tribune.db.tables import item_stages, items, stories, story_items
from tribune.understand import story_stage


def _stories(db: Database) -> dict[str, set[str]]:
    """Story public id -> the public ids of the items linked to it."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(stories.c.public_id, items.c.public_id.label("item"))
            .join(story_items, story_items.c.story_id == stories.c.id)
            .join(items, items.c.id == story_items.c.item_id)
        ).all()
    out: dict[str, set[str]] = {}
    for story, item in rows:
        out.setdefault(story, set()).add(item)
    return out


def _edition_of(db: Database, public_id: str) -> str | None:
    root = items.alias("root")
    with db.read() as conn:
        return conn.execute(
            sa.select(root.c.public_id)
            .select_from(items.join(root, root.c.id == items.c.edition_of))
            .where(items.c.public_id == public_id)
        ).scalar()


def _one_story(db: Database, seed: StorySeed) -> set[str]:
    found = _stories(db)
    assert len(found) == 1, found
    return next(iter(found.values()))


def test_one_event_in_three_languages_is_one_candidate_story(db: Database) -> None:
    seed = seed_strike(db)
    members = _one_story(db, seed)
    assert members == {seed.ids["kke-el"], seed.ids["kke-en"], seed.ids["tkp"]}
    assert seed.ids["pcp-other"] not in members  # same days, another subject
    # KKE's English text is an edition of its Greek statement, not a second voice
    assert _edition_of(db, seed.ids["kke-en"]) == seed.ids["kke-el"]
    assert _edition_of(db, seed.ids["tkp"]) is None
    with db.read() as conn:
        story = conn.execute(sa.select(stories)).one()
        done = conn.execute(
            sa.select(sa.func.count()).where(
                item_stages.c.stage == "stories", item_stages.c.version == story_stage.VERSION
            )
        ).scalar_one()
    assert (story.accepted, story.kind, story.version) == (False, "event", story_stage.VERSION)
    assert story.title == seed_title()
    assert done == 4


def seed_title() -> str:
    from seedstories import STRIKE_EL

    return STRIKE_EL[0]  # the first item's title, until an editor names it


def test_the_stage_is_idempotent_and_a_rerun_rebuilds_the_same_stories(db: Database) -> None:
    seed = seed_strike(db)
    before = _one_story(db, seed)
    assert story_stage.run(db, pending=True) == (0, 0)  # nothing pending
    assert _one_story(db, seed) == before
    seen, in_story = story_stage.run(db)  # the whole archive again
    assert (seen, in_story) == (4, 3)
    assert _one_story(db, seed) == before  # one candidate, not a second copy


def test_a_later_item_joins_the_existing_story(db: Database) -> None:
    seed = seed_strike(db)
    late = add_late_voice(db, seed)
    assert story_stage.run(db, pending=True) == (1, 1)
    assert late in _one_story(db, seed)


def test_an_accepted_story_is_never_reshuffled(db: Database) -> None:
    seed = seed_strike(db)
    with db.write() as conn:
        conn.execute(sa.update(stories).values(accepted=True, kind="compilation"))
        conn.execute(sa.update(story_items).values(version=None))  # all three are entries
    story_stage.run(db)  # a full re-run keeps the accepted story and its entries
    members = _one_story(db, seed)
    assert len(members) == 3
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(stories)).scalar_one() == 1
        versions = set(conn.execute(sa.select(story_items.c.version)).scalars())
    assert versions == {None}
    late = add_late_voice(db, seed)
    story_stage.run(db, pending=True)
    with db.read() as conn:
        linked = conn.execute(
            sa.select(story_items.c.version)
            .join(items, items.c.id == story_items.c.item_id)
            .where(items.c.public_id == late)
        ).scalar_one()
    assert linked == story_stage.VERSION  # a suggested entry, for an editor to accept


def test_duplicates_are_not_placed(db: Database) -> None:
    seed = seed_strike(db, run=False)
    with db.write() as conn:
        conn.execute(
            sa.update(items).where(items.c.public_id == seed.ids["tkp"]).values(status="duplicate")
        )
    story_stage.run(db)
    assert all(seed.ids["tkp"] not in members for members in _stories(db).values())


def test_reprocess_places_the_archive_again_from_the_cli(runner: CliRunner, db: Database) -> None:
    seed = seed_strike(db, run=False)
    done = runner.invoke(app, ["reprocess", "--stage", "stories"])
    assert done.exit_code == 0, done.output
    assert "stories: 4 items read, 3 in a story" in done.stdout
    assert len(_one_story(db, seed)) == 3
    again = runner.invoke(app, ["reprocess", "--stage", "stories", "--pending"])
    assert "stories: 0 items read" in again.stdout

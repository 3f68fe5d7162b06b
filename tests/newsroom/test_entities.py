"""Editors' decisions on an item's linked entities: written as decisions with the user, applied
to what readers see, never undone by a re-run of the linker, and audited."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import audit_log, decisions, items, mentions
from tribune.db.types import new_public_id
from tribune.newsroom.entities import decide, entity_panel
from tribune.newsroom.items import EditError, ItemNotFound
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.newsroom.users import add_user
from tribune.reading.item import item_view
from tribune.reading.links import effective_links, mentioning, subject_id

CLI = Actor(name="tests", role="admin", via="cli")
WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _editor(db: Database, name: str = "ed") -> Actor:
    return add_user(db, name, "correct horse battery", "editor", CLI).actor()


def _item(
    db: Database,
    links: tuple[tuple[str, str], ...] = (("org", "gr-kke"), ("country", "VE")),
    status: str = "published",
) -> tuple[int, str]:
    public_id = new_public_id()
    body = f"The Communist Party of Greece on Venezuela. {public_id}"
    with db.write() as conn:
        item_id = conn.execute(
            items.insert().values(
                public_id=public_id,
                slug="kke-on-venezuela",
                url=f"http://party.example/{public_id}",
                canonical_url=f"http://party.example/{public_id}",
                title="KKE on Venezuela",
                lead="",
                body_html=f"<p>{body}</p>",
                body_text=body,
                language="en",
                published_at=WHEN,
                fetched_at=WHEN,
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                status=status,
                featured=False,
                correction="",
            )
        ).inserted_primary_key[0]
        _link(conn, item_id, links)
    return int(item_id), public_id


def _link(conn: sa.Connection, item_id: int, links: tuple[tuple[str, str], ...]) -> None:
    """The linker's rows, as a stage writes them (a re-run deletes and writes them again)."""
    conn.execute(sa.delete(mentions).where(mentions.c.item_id == item_id))
    for n, (kind, entity_id) in enumerate(links):
        conn.execute(
            mentions.insert().values(
                item_id=item_id,
                field="body",
                start=n * 10,
                end=n * 10 + 5,
                surface=entity_id.upper(),
                type=kind,
                entity_id=entity_id,
                confidence=0.8 + n / 100,
                version="test",
            )
        )


def _links(db: Database, item_id: int) -> list[tuple[str, str]]:
    with db.read() as conn:
        return effective_links(conn, [item_id])[item_id]


def _mentioning(db: Database, kind: str, entity_id: str) -> set[int]:
    with db.read() as conn:
        query = sa.select(items.c.id).where(items.c.id.in_(mentioning(kind, entity_id)))
        return set(conn.execute(query).scalars())


def _generation(db: Database) -> int:
    with db.read() as conn:
        return generation.current(conn)


def test_decisions_are_rows_with_the_user_and_the_audit_log(db: Database) -> None:
    editor = _editor(db)
    item_id, public_id = _item(db)
    before = _generation(db)

    done = decide(db, editor, public_id, "org", "gr-kke", "confirm")
    assert (done.before, done.after) == ("suggested", "confirmed")
    decide(db, editor, public_id, "country", "VE", "remove")
    decide(db, editor, public_id, "org", "tr-tkp", "add")

    with db.read() as conn:
        rows = conn.execute(sa.select(decisions).order_by(decisions.c.id)).mappings().all()
        log = conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings().all()
    assert [(r["subject_type"], r["subject_id"], r["action"]) for r in rows] == [
        ("mention", f"{public_id}:org:gr-kke", "confirm"),
        ("mention", f"{public_id}:country:VE", "remove"),
        ("mention", f"{public_id}:org:tr-tkp", "add"),
    ]
    assert {r["user_id"] for r in rows} == {editor.user_id}
    assert rows[2]["payload"] == {"item": public_id, "type": "org", "id": "tr-tkp"}
    decided = [e for e in log if e["table_name"] == "decisions"]
    assert [(e["action"], e["row_id"], e["actor"]) for e in decided] == [
        ("mention.confirm", f"{public_id}:org:gr-kke", "ed"),
        ("mention.remove", f"{public_id}:country:VE", "ed"),
        ("mention.add", f"{public_id}:org:tr-tkp", "ed"),
    ]
    assert decided[1]["before"] == {"state": "suggested"}
    assert decided[1]["after"]["state"] == "removed"
    # readers see the item: cached pages go stale
    assert _generation(db) > before
    assert _links(db, item_id) == [("org", "gr-kke"), ("org", "tr-tkp")]


def test_readers_see_the_decisions(db: Database) -> None:
    editor = _editor(db)
    item_id, public_id = _item(db)
    decide(db, editor, public_id, "org", "gr-kke", "remove")
    decide(db, editor, public_id, "country", "ar", "add")  # a code in any case
    with db.read() as conn:
        view = item_view(conn, item_id)
    assert [link.id for link in view.concerns.get("org", [])] == []
    assert [(link.id, link.label) for link in view.concerns["country"]] == [
        ("VE", "Venezuela"),
        ("AR", "Argentina"),
    ]
    assert item_id not in _mentioning(db, "org", "gr-kke")
    assert item_id in _mentioning(db, "country", "AR")
    assert item_id in _mentioning(db, "country", "VE")


def test_a_rerun_of_the_linker_never_overrides_a_decision(db: Database) -> None:
    editor = _editor(db)
    item_id, public_id = _item(db, links=(("org", "gr-kke"), ("org", "tr-tkp")))
    decide(db, editor, public_id, "org", "gr-kke", "remove")
    decide(db, editor, public_id, "org", "tr-tkp", "confirm")
    # the new linker finds gr-kke again and no longer finds tr-tkp
    with db.write() as conn:
        _link(conn, item_id, (("org", "gr-kke"), ("country", "GR")))
    assert _links(db, item_id) == [("country", "GR"), ("org", "tr-tkp")]
    assert item_id in _mentioning(db, "org", "tr-tkp")
    assert item_id not in _mentioning(db, "org", "gr-kke")
    # a removed entity may be linked again: the newest decision counts
    decide(db, editor, public_id, "org", "gr-kke", "confirm")
    assert ("org", "gr-kke") in _links(db, item_id)
    assert item_id in _mentioning(db, "org", "gr-kke")


def test_the_newsroom_panel_shows_every_state(db: Database) -> None:
    editor = _editor(db)
    _item_id, public_id = _item(db, links=(("org", "gr-kke"), ("country", "VE"), ("org", "tr-tkp")))
    decide(db, editor, public_id, "org", "gr-kke", "remove")
    decide(db, editor, public_id, "country", "VE", "confirm")
    decide(db, editor, public_id, "event", "imcwp-21", "add")
    with db.read() as conn:
        panel = entity_panel(conn, public_id)
        assert entity_panel(conn, "no-such-item") is None
    assert panel is not None
    shown = [(e.type, e.entity_id, e.state, e.decided_by) for e in panel]
    assert shown == [
        ("country", "VE", "confirmed", "ed"),
        ("org", "tr-tkp", "suggested", None),
        ("event", "imcwp-21", "added", "ed"),
        ("org", "gr-kke", "removed", "ed"),  # removed ones last
    ]
    by_id = {e.entity_id: e for e in panel}
    assert by_id["gr-kke"].label == "Communist Party of Greece"
    assert by_id["imcwp-21"].label.startswith("21st International Meeting")
    assert by_id["tr-tkp"].confidence == pytest.approx(0.82)
    assert by_id["imcwp-21"].confidence is None
    assert by_id["VE"].decided_at is not None


def test_an_item_nobody_reads_keeps_its_generation(db: Database) -> None:
    _item_id, public_id = _item(db, status="inbox")
    before = _generation(db)
    decide(db, _editor(db), public_id, "org", "gr-kke", "confirm")
    assert _generation(db) == before


def test_repeating_a_decision_writes_nothing(db: Database) -> None:
    editor = _editor(db)
    _item_id, public_id = _item(db)
    decide(db, editor, public_id, "org", "gr-kke", "remove")
    again = decide(db, editor, public_id, "org", "gr-kke", "remove")
    assert (again.before, again.after) == ("removed", "removed")
    with db.read() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar()
    assert count == 1


@pytest.mark.parametrize(
    ("kind", "entity_id", "action", "message"),
    [
        ("org", "no-such-party", "add", "no organisation with id 'no-such-party'"),
        ("person", "nobody-at-all", "add", "no person with id 'nobody-at-all'"),
        ("event", "imcwp-99", "add", "no event with id 'imcwp-99'"),
        ("country", "QQ", "add", "no country with id 'QQ'"),
        ("org", "gr-kke", "add", "linked to org 'gr-kke' already"),
        ("org", "tr-tkp", "confirm", "not linked to org 'tr-tkp'"),
        ("org", "tr-tkp", "remove", "not linked to org 'tr-tkp'"),
        ("party", "gr-kke", "add", "unknown entity type 'party'"),
        ("org", "gr-kke", "approve", "unknown decision 'approve'"),
        ("org", "", "add", "give the id of the entity"),
    ],
)
def test_refused_decisions_name_the_problem(
    db: Database, kind: str, entity_id: str, action: str, message: str
) -> None:
    editor = _editor(db)
    _item_id, public_id = _item(db)
    with pytest.raises(EditError, match=message):
        decide(db, editor, public_id, kind, entity_id, action)
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar() == 0


def test_who_may_decide(db: Database) -> None:
    _item_id, public_id = _item(db)
    viewer = add_user(db, "vi", "correct horse battery", "viewer", CLI).actor()
    with pytest.raises(NotAllowed):
        decide(db, viewer, public_id, "org", "gr-kke", "remove")
    with pytest.raises(ItemNotFound):
        decide(db, _editor(db), "no-such-item", "org", "gr-kke", "remove")


def test_subject_ids() -> None:
    assert subject_id("0190-x", "org", "gr-kke") == "0190-x:org:gr-kke"

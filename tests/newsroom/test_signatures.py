"""Joint statements: marking an item as one, its initiators, and the history of its signatories;
read back as readers see them, with the "New signatures" marker."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import audit_log, items, joint_statements, signatures, sources
from tribune.db.types import new_public_id
from tribune.newsroom.policy import Actor, NotAllowed
from tribune.newsroom.signatures import SignatureError, add_signature, mark_joint
from tribune.reading.joint import find_joint, list_joint
from tribune.reading.listing import Filters, latest
from tribune.reading.marks import NEW_SIGNATURES_DAYS, with_new_signatures

EDITOR = Actor(name="ed", role="editor")
VIEWER = Actor(name="viewer", role="viewer")
WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _item(db: Database, title: str = "For peace and socialism", status: str = "published") -> str:
    public_id = new_public_id()
    body = f"{title}. We, the undersigned parties, call for peace."
    with db.write() as conn:
        source = conn.execute(
            sources.insert().values(
                public_id=new_public_id(),
                org_id="gr-kke",
                kind="feed",
                url=f"http://kke.example/{public_id}",
                rights="full-text",
                language="",
                state="active",
                min_interval_s=900,
                max_interval_s=86400,
                interval_s=3600,
                error_count=0,
            )
        ).inserted_primary_key[0]
        conn.execute(
            items.insert().values(
                public_id=public_id,
                slug="joint",
                source_id=source,
                url=f"http://party.example/{public_id}",
                canonical_url=f"http://party.example/{public_id}",
                title=title,
                lead=title,
                body_html=f"<p>{body}</p>",
                body_text=body,
                language="en",
                published_at=WHEN,
                fetched_at=WHEN,
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
                status=status,
                kind="statement",
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


def _signatures(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(signatures).order_by(signatures.c.id)).all())


def _kind(db: Database, public_id: str) -> str | None:
    with db.read() as conn:
        return conn.execute(sa.select(items.c.kind).where(items.c.public_id == public_id)).scalar()


def _days_ago(n: int) -> date:
    return datetime.now(UTC).date() - timedelta(days=n)


# -- marking -------------------------------------------------------------------------------------


def test_mark_joint_makes_the_item_a_joint_statement_once(db: Database) -> None:
    item = _item(db)
    before = _generation(db)
    ref = mark_joint(db, EDITOR, item, [" gr-kke", "tr-tkp", "gr-kke", ""])
    assert ref.item_public_id == item
    assert _kind(db, item) == "joint-statement"
    assert _generation(db) > before
    with db.read() as conn:
        row = conn.execute(sa.select(joint_statements)).one()
    assert (row.public_id, row.id, list(row.initiators)) == (
        ref.public_id,
        ref.id,
        ["gr-kke", "tr-tkp"],
    )
    [entry] = _audit(db)
    assert (entry.action, entry.table_name, entry.row_id) == (
        "joint.mark",
        "joint_statements",
        ref.public_id,
    )
    assert entry.after == {"item": item, "initiators": ["gr-kke", "tr-tkp"]}
    # again: the same statement, nothing rewritten
    assert mark_joint(db, EDITOR, item) == ref
    assert mark_joint(db, EDITOR, item, ["gr-kke", "tr-tkp"]) == ref
    assert len(_audit(db)) == 1
    with db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(joint_statements)).scalar() == 1


def test_mark_joint_again_with_other_initiators_records_the_change(db: Database) -> None:
    item = _item(db)
    ref = mark_joint(db, EDITOR, item, ["gr-kke"])
    assert mark_joint(db, EDITOR, item, ["pt-pcp", "gr-kke"]) == ref
    with db.read() as conn:
        assert list(conn.execute(sa.select(joint_statements.c.initiators)).scalar_one()) == [
            "pt-pcp",
            "gr-kke",
        ]
    change = _audit(db)[-1]
    assert (change.action, change.before, change.after) == (
        "joint.initiators",
        {"initiators": ["gr-kke"]},
        {"initiators": ["pt-pcp", "gr-kke"]},
    )


def test_mark_joint_refuses_unknown_items_and_organisations(db: Database) -> None:
    item = _item(db)
    with pytest.raises(SignatureError, match="no item"):
        mark_joint(db, EDITOR, new_public_id())
    with pytest.raises(SignatureError, match="no-such-party"):
        mark_joint(db, EDITOR, item, ["gr-kke", "no-such-party"])
    assert _kind(db, item) == "statement"
    assert _audit(db) == []
    with pytest.raises(NotAllowed):
        mark_joint(db, VIEWER, item)


# -- signatories ---------------------------------------------------------------------------------


def test_signatories_are_kb_organisations_or_raw_names_each_once(db: Database) -> None:
    ref = mark_joint(db, EDITOR, _item(db))
    before = _generation(db)
    first = add_signature(
        db, EDITOR, ref.public_id, org_id=" gr-kke ", group="Parties", added_on=date(2026, 11, 20)
    )
    assert _generation(db) > before
    add_signature(db, EDITOR, ref.public_id, raw_name="  Workers'   Party of Atlantis ")
    rows = _signatures(db)
    assert [(r.org_id, r.raw_name, r.group_name) for r in rows] == [
        ("gr-kke", "", "Parties"),
        (None, "Workers' Party of Atlantis", ""),
    ]
    assert rows[0].id == first
    assert rows[0].added_at == datetime(2026, 11, 20, tzinfo=UTC)  # the day, at 00:00 UTC
    assert datetime.now(UTC) - rows[1].added_at < timedelta(minutes=5)  # default: now
    assert [r.evidence for r in rows] == ["editor", "editor"]
    sign = _audit(db)[-2]
    assert (sign.action, sign.table_name, sign.row_id) == ("joint.sign", "signatures", str(first))
    assert sign.after == {
        "joint_statement": ref.public_id,
        "org_id": "gr-kke",
        "raw_name": "",
        "group": "Parties",
        "added_at": "2026-11-20T00:00:00+00:00",
    }
    with pytest.raises(SignatureError, match="already"):
        add_signature(db, EDITOR, ref.public_id, org_id="gr-kke", group="Other group")
    with pytest.raises(SignatureError, match="already"):
        add_signature(db, EDITOR, ref.public_id, raw_name="Workers' Party of Atlantis")
    with pytest.raises(SignatureError, match="no-such-party"):
        add_signature(db, EDITOR, ref.public_id, org_id="no-such-party")
    with pytest.raises(SignatureError):
        add_signature(db, EDITOR, ref.public_id, raw_name="   ")
    with pytest.raises(SignatureError, match="too long"):
        add_signature(db, EDITOR, ref.public_id, raw_name="x" * 401)
    with pytest.raises(SignatureError, match="no joint statement"):
        add_signature(db, EDITOR, new_public_id(), org_id="tr-tkp")
    with pytest.raises(NotAllowed):
        add_signature(db, VIEWER, ref.public_id, org_id="tr-tkp")
    assert len(_signatures(db)) == 2
    # another statement's list is its own
    other = mark_joint(db, EDITOR, _item(db, "Another appeal"))
    add_signature(db, EDITOR, other.public_id, org_id="gr-kke")
    assert len(_signatures(db)) == 3


def test_readers_see_groups_initiators_and_the_dated_history(db: Database) -> None:
    item = _item(db)
    ref = mark_joint(db, EDITOR, item, ["tr-tkp", "gr-kke"])
    day1, day2 = date(2025, 3, 8), date(2025, 3, 12)
    add_signature(db, EDITOR, ref.public_id, org_id="gr-kke", group="Parties", added_on=day1)
    add_signature(db, EDITOR, ref.public_id, org_id="gr-kne", group="Youth", added_on=day1)
    add_signature(
        db, EDITOR, ref.public_id, raw_name="Party of Labour", group="Parties", added_on=day2
    )
    add_signature(db, EDITOR, ref.public_id, org_id="tr-tkp", group="Parties", added_on=day1)
    with db.read() as conn:
        view = find_joint(conn, ref.public_id)
        assert find_joint(conn, item) == view  # by the item's id too
    assert view is not None
    assert view.item.card.public_id == item
    assert [o.id for o in view.initiators] == ["tr-tkp", "gr-kke"]
    assert [(g, [s.name for s in members]) for g, members in view.groups] == [
        ("Parties", ["Communist Party of Greece", "Communist Party of Turkey", "Party of Labour"]),
        ("Youth", ["Communist Youth of Greece"]),
    ]
    assert [(d, len(added)) for d, added in view.history] == [(day1, 3), (day2, 1)]
    assert view.history[1][1][0].org is None  # a raw name, kept for an editor to resolve
    assert not view.new_signatures  # the last addition is long past


def test_unpublished_statements_are_not_shown(db: Database) -> None:
    ref = mark_joint(db, EDITOR, _item(db, status="inbox"))
    add_signature(db, EDITOR, ref.public_id, org_id="gr-kke")
    with db.read() as conn:
        assert find_joint(conn, ref.public_id) is None
        assert list_joint(conn) == []


def test_list_joint_filters_by_signatory(db: Database) -> None:
    signed = mark_joint(db, EDITOR, _item(db, "Signed by the KKE"))
    other = mark_joint(db, EDITOR, _item(db, "Signed by the PCP"))
    add_signature(db, EDITOR, signed.public_id, org_id="gr-kke")
    add_signature(db, EDITOR, other.public_id, org_id="pt-pcp")
    with db.read() as conn:
        assert {v.public_id for v in list_joint(conn)} == {signed.public_id, other.public_id}
        assert [v.public_id for v in list_joint(conn, org_id="gr-kke")] == [signed.public_id]


# -- the "New signatures" marker -----------------------------------------------------------------


def _marked(db: Database, item: str) -> tuple[bool, bool, bool]:
    """The marker as the statement's page, a listing card and the marks module see it."""
    with db.read() as conn:
        view = find_joint(conn, item)
        assert view is not None
        [card] = [c for c in latest(conn, Filters()).cards if c.public_id == item]
        item_id = conn.execute(sa.select(items.c.id).where(items.c.public_id == item)).scalar()
        return (
            view.new_signatures,
            card.new_signatures,
            item_id in with_new_signatures(conn, [item_id]),
        )


def test_additions_on_a_later_recent_day_mark_new_signatures(db: Database) -> None:
    item = _item(db)
    ref = mark_joint(db, EDITOR, item)
    add_signature(db, EDITOR, ref.public_id, org_id="gr-kke", added_on=_days_ago(10))
    add_signature(db, EDITOR, ref.public_id, org_id="tr-tkp", added_on=_days_ago(10))
    assert _marked(db, item) == (False, False, False)
    add_signature(db, EDITOR, ref.public_id, org_id="pt-pcp", added_on=_days_ago(3))
    assert _marked(db, item) == (True, True, True)


def test_a_statement_signed_all_on_one_day_has_no_marker(db: Database) -> None:
    item = _item(db)
    ref = mark_joint(db, EDITOR, item)
    for org in ("gr-kke", "tr-tkp", "pt-pcp"):
        add_signature(db, EDITOR, ref.public_id, org_id=org, added_on=_days_ago(2))
    assert _marked(db, item) == (False, False, False)


def test_the_marker_lapses_after_the_last_addition_grows_old(db: Database) -> None:
    item = _item(db)
    ref = mark_joint(db, EDITOR, item)
    add_signature(db, EDITOR, ref.public_id, org_id="gr-kke", added_on=_days_ago(90))
    add_signature(
        db, EDITOR, ref.public_id, org_id="tr-tkp", added_on=_days_ago(NEW_SIGNATURES_DAYS + 5)
    )
    assert _marked(db, item) == (False, False, False)
    add_signature(
        db, EDITOR, ref.public_id, org_id="pt-pcp", added_on=_days_ago(NEW_SIGNATURES_DAYS - 2)
    )
    assert _marked(db, item) == (True, True, True)


def test_no_signatures_no_marker(db: Database) -> None:
    item = _item(db)
    mark_joint(db, EDITOR, item)
    assert _marked(db, item) == (False, False, False)
    with db.read() as conn:
        assert with_new_signatures(conn, []) == set()


def test_marking_again_restores_the_kind_an_edit_changed(db: Database) -> None:
    item = _item(db)
    ref = mark_joint(db, EDITOR, item)
    with db.write() as conn:
        conn.execute(items.update().where(items.c.public_id == item).values(kind=None))
    assert mark_joint(db, EDITOR, item) == ref
    assert _kind(db, item) == "joint-statement"


def test_a_signature_cannot_be_dated_in_the_future(db: Database) -> None:
    ref = mark_joint(db, EDITOR, _item(db))
    with pytest.raises(SignatureError, match="to come"):
        add_signature(db, EDITOR, ref.public_id, org_id="gr-kke", added_on=_days_ago(-5))
    # tomorrow in UTC is today somewhere
    add_signature(db, EDITOR, ref.public_id, org_id="gr-kke", added_on=_days_ago(-1))
    assert len(_signatures(db)) == 1

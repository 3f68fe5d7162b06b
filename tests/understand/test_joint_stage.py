"""The signatures stage on both databases: joint statements found and stored with their lists,
the signatures a later revision or a copy on another site adds, editors' decisions kept across
re-runs. Items are stored through the ingest's own ``store`` (revisions, near duplicates)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from typer.testing import CliRunner

from tribune.cli import app
from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import (
    decisions,
    item_stages,
    items,
    joint_detections,
    signatures,
    sources,
)
from tribune.db.types import new_public_id
from tribune.ingest.feeds import Published
from tribune.ingest.store import Gathered, store
from tribune.newsroom import joint_suggestions
from tribune.newsroom.policy import Actor
from tribune.newsroom.signatures import mark_joint, remove_signature
from tribune.reading.joint import find_joint
from tribune.reading.marks import with_new_signatures
from tribune.understand import joint_stage

EDITOR = Actor(name="ed", role="editor", via="cli")
SIGNED_ON = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
TEXT = (
    "On the eve of the vote in the General Assembly, the undersigned communist and workers' "
    "parties express their solidarity with the Cuban people and the Cuban Revolution.\n\n"
    "For more than six decades the blockade has caused immense suffering to the people of "
    "Cuba. In recent years it has been tightened further, with the persecution of shipping "
    "companies and banks that trade with the island, and the obstruction of fuel supplies.\n\n"
    "We call on workers, trade unions, youth and all peace-loving people to take part in "
    "actions of solidarity, and to demand that their governments vote for the resolution.\n\n"
    "End the blockade! Cuba is not alone!\n\n"
    "Signatories:"
)
FIRST = [
    "Greece, Communist Party of Greece (KKE)",
    "Turkey, Communist Party of Turkey (TKP)",
    "Portugal, Portuguese Communist Party (PCP)",
    "Spain, Communist Party of Spain (PCE)",
]


def _body(signers: list[str]) -> str:
    return TEXT + "\n" + "\n".join(f"{n}. {s}" for n, s in enumerate(signers, start=1))


def _source(db: Database, org_id: str | None, url: str) -> int:
    with db.write() as conn:
        return int(
            conn.execute(
                sources.insert().values(
                    public_id=new_public_id(),
                    org_id=org_id,
                    kind="feed",
                    url=url,
                    rights="full-text",
                    language="en",
                    state="active",
                    min_interval_s=900,
                    max_interval_s=86400,
                    interval_s=3600,
                    error_count=0,
                )
            ).inserted_primary_key[0]
        )


def _gather(
    db: Database, source: int, url: str, body: str, *, now: datetime, title: str = ""
) -> tuple[int, str]:
    gathered = Gathered(
        source_id=source,
        url=url,
        canonical_url=url,
        guid=None,
        title=title or "Joint statement: end the blockade of Cuba",
        lead="",
        body_html="",
        body_text=body,
        language="en",
        published=Published(SIGNED_ON, 0, "minute"),
    )
    with db.write() as conn:
        return store(conn, gathered, {}, now=now)


def _public_id(db: Database, item_id: int) -> str:
    with db.read() as conn:
        return str(conn.execute(sa.select(items.c.public_id).where(items.c.id == item_id)).scalar())


def _signatures(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(signatures).order_by(signatures.c.id)).all())


def _detections(db: Database) -> list[Any]:
    with db.read() as conn:
        return list(conn.execute(sa.select(joint_detections).order_by("item_id")).all())


def test_a_joint_statement_is_found_with_its_list_and_others_are_not(db: Database) -> None:
    party = _source(db, "za-sacp", "http://sacp.example/feed")
    joint_id, _ = _gather(db, party, "http://sacp.example/1", _body(FIRST), now=SIGNED_ON)
    _gather(
        db,
        party,
        "http://sacp.example/2",
        "The SACP welcomes the vote of the General Assembly against the blockade of Cuba. "
        "In a joint statement, many parties had called for it.",
        now=SIGNED_ON,
        title="SACP welcomes the vote",
    )
    assert joint_stage.run(db) == (2, 1)
    (found,) = _detections(db)
    assert found.item_id == joint_id
    assert found.version == joint_stage.VERSION
    assert "title: joint statement" in found.evidence
    assert [(s["org_id"], s["evidence"]) for s in found.signers] == [
        ("gr-kke", ""),
        ("tr-tkp", ""),
        ("pt-pcp", ""),
        ("es-pce", ""),
    ]
    assert found.signers[0]["name"] == "Greece, Communist Party of Greece (KKE)"
    with db.read() as conn:
        stages = conn.execute(
            sa.select(item_stages.c.version, item_stages.c.state).where(
                item_stages.c.stage == "signatures"
            )
        ).all()
    assert stages == [(joint_stage.VERSION, "done")] * 2
    # idempotent: the same rows again; a pending run has nothing to read
    assert joint_stage.run(db) == (2, 1)
    assert [(d.item_id, d.signers) for d in _detections(db)] == [(found.item_id, found.signers)]
    assert joint_stage.run(db, pending=True) == (0, 0)


def test_a_revision_with_more_signers_records_them_dated_with_its_evidence(db: Database) -> None:
    party = _source(db, "za-sacp", "http://sacp.example/feed")
    url = "http://sacp.example/joint"
    joint_id, _ = _gather(db, party, url, _body(FIRST), now=SIGNED_ON)
    joint_stage.run(db, pending=True)
    ref = joint_suggestions.accept(db, EDITOR, _public_id(db, joint_id))
    accepted = _signatures(db)
    assert [(s.org_id, s.version) for s in accepted] == [
        ("gr-kke", None),
        ("tr-tkp", None),
        ("pt-pcp", None),
        ("es-pce", None),
    ]  # the editor's, on the statement's date
    assert {s.added_at for s in accepted} == {SIGNED_ON}
    # the page grows a week later
    revised_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    more = [
        *FIRST,
        "Venezuela, Communist Party of Venezuela (PCV)",
        "Kenya, Communist Party of Kenya",
    ]
    assert _gather(db, party, url, _body(more), now=revised_at) == (joint_id, "revised")
    assert joint_stage.run_report(db, pending=True).signed == 2
    added = _signatures(db)[4:]
    assert [(s.org_id, s.raw_name, s.version) for s in added] == [
        ("ve-pcv", "Venezuela, Communist Party of Venezuela (PCV)", joint_stage.VERSION),
        (None, "Kenya, Communist Party of Kenya", joint_stage.VERSION),  # kept raw
    ]
    assert {s.added_at for s in added} == {revised_at}
    assert {s.evidence for s in added} == {f"revision 2 of {url}, fetched {revised_at.date()}"}
    # the marker readers see
    with db.read() as conn:
        assert with_new_signatures(conn, [joint_id]) == {joint_id}
    # a re-run of the whole archive rewrites its own rows to the same, changing nothing readers
    # see (the site's pages stay cached)
    with db.read() as conn:
        before = generation.current(conn)
    joint_stage.run(db)
    with db.read() as conn:
        assert generation.current(conn) == before
    assert [(s.org_id, s.raw_name, s.added_at, s.evidence) for s in _signatures(db)] == [
        (s.org_id, s.raw_name, s.added_at, s.evidence) for s in [*accepted, *added]
    ]
    assert ref.item_public_id == _public_id(db, joint_id)


def test_a_copy_on_another_site_with_more_signers(db: Database) -> None:
    party = _source(db, "za-sacp", "http://sacp.example/feed")
    portal = _source(db, None, "http://portal.example/feed")
    url = "http://sacp.example/joint"
    joint_id, _ = _gather(db, party, url, _body(FIRST), now=SIGNED_ON)
    public_id = _public_id(db, joint_id)
    mark_joint(db, EDITOR, public_id)  # an editor marked it and recorded nobody yet
    copied_at = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    copy = "http://portal.example/news/joint"
    copy_id, outcome = _gather(
        db, portal, copy, _body([*FIRST, "Sweden, Communist Party of Sweden (SKP)"]), now=copied_at
    )
    assert outcome == "duplicate"
    joint_stage.run(db, pending=True)
    (added,) = _signatures(db)  # only what came after the statement's first text
    assert (added.org_id, added.added_at, added.version) == ("se-skp", copied_at, "signatures-1")
    assert added.evidence == f"copy at {copy}, fetched {copied_at.date()}"
    with db.read() as conn:
        view = find_joint(conn, public_id)
    assert view is None  # not published: readers do not see it
    (found,) = _detections(db)
    assert found.item_id == joint_id  # the copy is no suggestion of its own
    assert copy_id != joint_id


def test_a_removed_signature_is_not_recorded_again(db: Database) -> None:
    party = _source(db, "za-sacp", "http://sacp.example/feed")
    url = "http://sacp.example/joint"
    joint_id, _ = _gather(db, party, url, _body(FIRST), now=SIGNED_ON)
    ref = mark_joint(db, EDITOR, _public_id(db, joint_id))
    later = [*FIRST, "Sweden, Communist Party of Sweden (SKP)", "Iraq, Iraqi Communist Party"]
    _gather(db, party, url, _body(later), now=SIGNED_ON + timedelta(days=3))
    joint_stage.run(db, pending=True)
    sweden = next(s for s in _signatures(db) if s.org_id == "se-skp")
    remove_signature(db, EDITOR, ref.public_id, sweden.id)
    with db.read() as conn:
        decision = conn.execute(sa.select(decisions)).one()
    assert (decision.subject_type, decision.subject_id, decision.action) == (
        "signature",
        ref.public_id,
        "remove",
    )
    for _ in range(2):
        joint_stage.run(db)
        assert [s.org_id for s in _signatures(db)] == ["iq-icp"]


def test_a_rejected_suggestion_is_not_proposed_after_a_rerun(db: Database) -> None:
    party = _source(db, "za-sacp", "http://sacp.example/feed")
    joint_id, _ = _gather(db, party, "http://sacp.example/1", _body(FIRST), now=SIGNED_ON)
    other_id, _ = _gather(
        db,
        party,
        "http://sacp.example/2",
        "We, the undersigned parties, salute the workers of the ports on strike.",
        now=SIGNED_ON,
        title="Solidarity with the dockers",
    )
    joint_stage.run(db)
    with db.read() as conn:
        assert {s.item_id for s in joint_suggestions.pending(conn)} == {joint_id, other_id}
    joint_suggestions.reject(db, EDITOR, _public_id(db, other_id))
    joint_stage.run(db)
    with db.read() as conn:
        assert [s.item_id for s in joint_suggestions.pending(conn)] == [joint_id]
        assert len(_detections(db)) == 2  # the machine layer keeps its rows


def test_reprocess_runs_the_stage_from_the_cli(runner: CliRunner, db: Database) -> None:
    party = _source(db, "za-sacp", "http://sacp.example/feed")
    _gather(db, party, "http://sacp.example/1", _body(FIRST), now=SIGNED_ON)
    _gather(db, party, "http://sacp.example/2", _body(FIRST[:2]), now=SIGNED_ON + timedelta(9))
    done = runner.invoke(app, ["reprocess", "--stage", "signatures"])
    assert done.exit_code == 0, done.output
    assert "signatures: 2 items read, 1 joint statements found" in done.stdout
    since = runner.invoke(app, ["reprocess", "--stage", "signatures", "--since", "2026-11-05"])
    assert "signatures: 1 items read" in since.stdout
    assert len(_detections(db)) == 1

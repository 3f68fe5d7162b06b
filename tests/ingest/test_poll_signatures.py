"""A growing joint statement over real HTTP on loopback (the replay server), on both databases:
a party publishes it, a portal republishes it with more signatories, the party's page grows;
each polling round runs the signatures stage, which records the new signatures with the copy
or the revision as evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.db.tables import items, signatures
from tribune.ingest.poll import poll
from tribune.ingest.sources import NewSource, add_source
from tribune.newsroom import joint_suggestions
from tribune.newsroom.items import set_status
from tribune.newsroom.policy import Actor
from tribune.reading.joint import find_joint
from tribune.replay import ReplayServer

EDITOR = Actor(name="ed", role="editor", via="cli")
LOOPBACK = Settings(allow_private_networks=True)
PARAGRAPHS = [
    "On the eve of the vote in the General Assembly, the undersigned communist and workers' "
    "parties express their unwavering solidarity with the Cuban people and its revolution.",
    "For more than six decades the blockade has caused immense suffering to the people of Cuba. "
    "In recent years it has been tightened further, with the persecution of shipping companies "
    "and banks that trade with the island, and the obstruction of fuel and medicine supplies.",
    "We call on workers, trade unions, youth and all peace-loving people to take part in "
    "actions of solidarity in front of the embassies, to collect material aid, and to demand "
    "that their governments vote for the resolution and oppose all sanctions.",
    "End the blockade! Remove Cuba from the list! Cuba is not alone!",
]
SIGNERS = [
    "Greece, Communist Party of Greece (KKE)",
    "Turkey, Communist Party of Turkey (TKP)",
    "Portugal, Portuguese Communist Party (PCP)",
    "Spain, Communist Party of Spain (PCE)",
    "South Africa, South African Communist Party (SACP)",
    "Mexico, Communist Party of Mexico (PCM)",
]


def _html(signers: list[str], intro: str = "") -> str:
    parts = [f"<p>{intro}</p>"] if intro else []
    parts += [f"<p>{p}</p>" for p in PARAGRAPHS] + ["<h2>Signatories</h2>"]
    parts += [f"<p>{n}. {s}</p>" for n, s in enumerate(signers, start=1)]
    return "".join(parts)


def _feed(url: str, signers: list[str], published: str, intro: str = "") -> str:
    item = {
        "id": url,
        "url": url,
        "title": "Joint Statement of Communist and Workers' Parties: End the blockade of Cuba!",
        "content_html": _html(signers, intro),
        "date_published": published,
    }
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": [item]})


@pytest.fixture
def replay(tmp_path: Path) -> Iterator[ReplayServer]:
    for name in ("party", "portal"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "feed.json").write_text("{}", encoding="utf-8")
    with ReplayServer(tmp_path) as server:
        party = server.url("party", "/joint")
        server.replace("party", "/feed.json", _feed(party, SIGNERS, "2026-10-28T15:00:00+02:00"))
        server.replace(
            "portal",
            "/feed.json",
            _feed(
                server.url("portal", "/news/joint"),
                [*SIGNERS, "Sweden, Communist Party of Sweden (SKP)"],
                "2026-11-02T11:00:00+02:00",
                intro="Republished with the signatories as of 2 November.",
            ),
        )
        yield server


def _rows(db: Database) -> list[tuple[str | None, str, str | None]]:
    with db.read() as conn:
        return [
            (r.org_id, r.evidence, r.version)
            for r in conn.execute(sa.select(signatures).order_by(signatures.c.id))
        ]


def test_a_copy_and_a_revision_add_dated_signatures(db: Database, replay: ReplayServer) -> None:
    add_source(db, NewSource(url=replay.url("party", "/feed.json"), org_id="za-sacp", kind="feed"))
    add_source(db, NewSource(url=replay.url("portal", "/feed.json"), org_id=None, kind="feed"))
    poll(db, which="all", settings=LOOPBACK, refetch=None)
    with db.read() as conn:
        statuses = dict(conn.execute(sa.select(items.c.url, items.c.status)).all())
        (found,) = joint_suggestions.pending(conn)
    party, copy = replay.url("party", "/joint"), replay.url("portal", "/news/joint")
    assert statuses == {party: "inbox", copy: "duplicate"}
    assert found.url == party
    assert [s.org.id if s.org else None for s in found.signers] == [
        "gr-kke", "tr-tkp", "pt-pcp", "es-pce", "za-sacp", "mx-pcm", "se-skp",
    ]  # fmt: skip
    assert found.signers[-1].evidence.startswith(f"copy at {copy}, fetched ")
    # an editor accepts it and publishes it: the list with its history
    ref = joint_suggestions.accept(db, EDITOR, found.public_id)
    set_status(db, EDITOR, found.public_id, "published")
    assert _rows(db)[-1][0] == "se-skp"
    # the party's page grows: the next round records the new signature from the revision
    grown = [*SIGNERS, "Sweden, Communist Party of Sweden (SKP)", "Iraq, Iraqi Communist Party"]
    replay.replace("party", "/feed.json", _feed(party, grown, "2026-10-28T15:00:00+02:00"))
    poll(db, which="all", settings=LOOPBACK, refetch=None)
    rows = _rows(db)
    assert len(rows) == 8
    assert rows[-1][0] == "iq-icp"
    assert rows[-1][1].startswith(f"revision 2 of {party}, fetched ")
    assert rows[-1][2] == "signatures-1"
    with db.read() as conn:
        view = find_joint(conn, ref.public_id)
    assert view is not None
    assert view.new_signatures  # signed on 28 October, grown since
    assert view.history[0][0].isoformat() == "2026-10-28"
    # a round with nothing new adds nothing
    poll(db, which="all", settings=LOOPBACK, refetch=None)
    assert _rows(db) == rows

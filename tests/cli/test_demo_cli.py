"""``tribune demo`` builds its database, gathers the sample party sites twice and links."""

from __future__ import annotations

import random
import re
import socket
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tribune.cli import app
from tribune.config import get_settings
from tribune.db.engine import Database
from tribune.db.tables import (
    item_revisions,
    items,
    joint_statements,
    sources,
    stories,
    story_items,
)
from tribune.demo import demo_sites
from tribune.reading.joint import find_joint


def _free_ports(count: int) -> int:
    """A base port with ``count`` free ports in a row."""
    rng = random.Random()
    for _ in range(50):
        base = rng.randrange(20_000, 60_000)
        sockets = []
        try:
            for port in range(base, base + count):
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
        return base
    raise AssertionError("no free run of ports")


def _revisions(conn: sa.Connection, title_like: str) -> list[str]:
    item_id = conn.execute(
        sa.select(items.c.id).where(items.c.title.like(title_like), items.c.status != "duplicate")
    ).scalar_one()
    query = (
        sa.select(item_revisions.c.body_text)
        .where(item_revisions.c.item_id == item_id)
        .order_by(item_revisions.c.id)
    )
    return list(conn.execute(query).scalars())


def test_demo_gathers_the_sample_sites_and_links(
    db: Database, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    if backend == "sqlite":  # the default: ./tribune-demo.db
        monkeypatch.delenv("TRIBUNE_DATABASE_URL", raising=False)
        demo = Database(f"sqlite:///{tmp_path / 'tribune-demo.db'}")
    else:
        monkeypatch.setenv("TRIBUNE_DATABASE_URL", db.url)
        demo = db
    monkeypatch.delenv("TRIBUNE_ALLOW_PRIVATE_NETWORKS", raising=False)
    get_settings.cache_clear()
    port = str(_free_ports(len(demo_sites())))
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--once", "--sites-port", port, "--no-progress"])
    assert first.exit_code == 0, first.output
    assert "-> gr-kke" in first.stdout  # the linker's samples
    assert "-> za-sacp" in first.stdout
    assert "error " not in first.stdout  # every sample site was read
    with demo.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(sources)).scalar() >= 12
        kinds = set(conn.execute(sa.select(sources.c.kind)).scalars())
        assert kinds == {"feed", "page", "sitemap", "auto"}
        languages = set(conn.execute(sa.select(items.c.language)).scalars())
        assert {"en", "es", "pt", "el", "tr", "ru"} <= languages
        count = conn.execute(sa.select(sa.func.count()).select_from(items)).scalar()
        assert 180 <= (count or 0) <= 230
        # the republished statements (a party's, and a joint statement with more signatories):
        # the portal's copies point at the parties' own
        copies = conn.execute(
            sa.select(sources.c.org_id, items.c.duplicate_of)
            .join(sources, sources.c.id == items.c.source_id)
            .where(items.c.status == "duplicate")
        ).all()
        assert len(copies) == 2
        for copy, original in copies:
            assert copy is None
            own = conn.execute(
                sa.select(sources.c.org_id)
                .join(items, items.c.source_id == sources.c.id)
                .where(items.c.id == original)
            ).scalar_one()
            assert own is not None
        # the joint statement grew between the two polls: two dated revisions
        joint = _revisions(conn, "Joint Statement%")
        assert len(joint) == 2
        assert len(joint[1]) > len(joint[0])
        # an article edited after publication
        edited = conn.execute(
            sa.select(item_revisions.c.item_id)
            .group_by(item_revisions.c.item_id)
            .having(sa.func.count() > 1)
        ).all()
        assert len(edited) >= 2
        revisions = conn.execute(sa.select(sa.func.count()).select_from(item_revisions)).scalar()
    assert "revised: Joint Statement" in first.stdout
    # the signatures stage found the joint statement; the demo accepted and published it, with
    # the signatures its revision and the portal's copy added, dated and with their evidence
    assert 'Accepted the joint statement "Joint Statement of' in first.stdout
    with demo.read() as conn:
        (joint_id,) = conn.execute(sa.select(joint_statements.c.public_id)).scalars().all()
        view = find_joint(conn, joint_id)
    assert view is not None
    assert view.new_signatures
    assert len(view.signatories) == 36
    evidence = {s.evidence.split(" ", 1)[0] for s in view.signatories}
    assert evidence == {"the", "revision", "copy"}  # the statement's page, a revision, a copy
    assert "Kenya, Communist Party of Kenya" in {s.name for s in view.signatories if not s.org}
    assert [len(added) for _, added in view.history] == [25, 11]
    # two items of three are published, three featured, the rest wait in the inbox
    with demo.read() as conn:
        status = dict(
            conn.execute(sa.select(items.c.status, sa.func.count()).group_by(items.c.status)).all()
        )
        featured = conn.execute(
            sa.select(sa.func.count()).select_from(items).where(items.c.featured.is_(True))
        ).scalar()
    assert status["published"] >= 2 * status["inbox"] - 2
    assert status["inbox"] >= 50
    assert featured == 3
    assert f"Published {status['published']} items (3 featured)" in first.stdout
    # the stories stage ran: one compilation started, others still suggested in the inbox
    started = re.search(r"Started a compilation: (.+ \(To be updated\))", first.stdout)
    assert started is not None, first.stdout
    with demo.read() as conn:
        compilation = conn.execute(
            sa.select(stories.c.id, stories.c.title).where(stories.c.accepted.is_(True))
        ).one()
        entries = conn.execute(
            sa.select(sa.func.count()).where(
                story_items.c.story_id == compilation.id, story_items.c.version.is_(None)
            )
        ).scalar_one()
        candidates = conn.execute(
            sa.select(sa.func.count()).where(stories.c.accepted.is_(False))
        ).scalar_one()
    assert compilation.title == started.group(1)
    assert entries >= 2
    assert candidates >= 3

    second = runner.invoke(app, ["demo", "--once", "--sites-port", port, "--no-progress"])
    assert second.exit_code == 0, second.output  # idempotent on the same database
    assert "Published 0 items (0 featured)" in second.stdout
    with demo.read() as conn:
        again = conn.execute(sa.select(sa.func.count()).select_from(items)).scalar()
        again_revisions = conn.execute(
            sa.select(sa.func.count()).select_from(item_revisions)
        ).scalar()
    assert (again, again_revisions) == (count, revisions)  # nothing stored twice
    if demo is not db:
        demo.dispose()

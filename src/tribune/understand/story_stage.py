"""The stories stage: each item placed in a story, or in none, as it arrives.

Items are placed in the order they were published, in batches, by
:class:`tribune.understand.story_cluster.Clusterer`. For each batch the pool is read back from
the database: the items placed earlier within the clustering window, each with its story
(an accepted one first) and the statement it is an edition of. So a run that was killed, or
the next poll's run, goes on exactly where the last committed batch stopped.

What the stage writes is machine output, tagged with :data:`VERSION`:

- **candidate stories**: ``stories`` rows with ``accepted`` false, made when two items first
  meet; their slug is provisional until an editor accepts them;
- **story links**: ``story_items`` rows with ``version`` set. In a candidate story they are its
  members; in an accepted story (a compilation) they are suggested entries, which an editor
  accepts (the row becomes an entry: ``version`` null) or rejects
  (:mod:`tribune.newsroom.story_suggestions`). A link an editor rejected is never written
  again;
- **editions**: ``items.edition_of``, set only where it is empty, so an editor's grouping is
  kept;
- the item's ``item_stages`` row.

Rows are only ever added to an accepted story: it is never reshuffled. Running the stage
again over the archive (``tribune reprocess --stage stories``) first removes the candidate
stories and machine links of the items it re-places, then places them again; accepted
stories, their entries and every decision stay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.engine import Database
from tribune.db.tables import (
    decisions,
    item_stages,
    items,
    mentions,
    organizations,
    sources,
    stories,
    story_items,
)
from tribune.db.types import new_public_id, utcnow
from tribune.understand import stage_state
from tribune.understand.story_cluster import WINDOW_DAYS, Clusterer
from tribune.understand.story_docs import Doc, Rarity, make_doc

STAGE = "stories"
VERSION = "stories-1"
BATCH = 500  # items placed per transaction; each batch reads its pool back
TEXT_CHARS = 6_000  # enough of a text to compare; the rest repeats its subject
ENTRY_SUBJECT = "story_item"  # decisions on a link: subject id "story public id/item public id"

_WHEN = sa.func.coalesce(items.c.published_at, items.c.fetched_at)


@dataclass(frozen=True)
class _Known:
    story: int | None
    edition_of: int | None


def _date(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _docs(conn: Connection, ids: list[int]) -> dict[int, Doc]:
    rows = conn.execute(
        sa.select(
            items.c.id,
            items.c.title,
            sa.func.substr(sa.func.coalesce(items.c.body_text, ""), 1, TEXT_CHARS).label("text"),
            items.c.language,
            _WHEN.label("when"),
            sources.c.org_id,
            organizations.c.parent_id,
        )
        .outerjoin(sources, sources.c.id == items.c.source_id)
        .outerjoin(organizations, organizations.c.id == sources.c.org_id)
        .where(items.c.id.in_(ids))
    ).all()
    found: dict[int, list[tuple[str, str]]] = {}
    for item_id, kind, entity in conn.execute(
        sa.select(mentions.c.item_id, mentions.c.type, mentions.c.entity_id).where(
            mentions.c.item_id.in_(ids), mentions.c.entity_id.is_not(None)
        )
    ):
        found.setdefault(int(item_id), []).append((str(kind), str(entity)))
    return {
        int(r.id): make_doc(
            int(r.id),
            org=r.org_id,
            language=r.language or "",
            when=_date(r.when),
            title=r.title or "",
            text=r.text or "",
            entities=found.get(int(r.id), []),
            publisher=[p for p in (r.org_id, r.parent_id) if p],
        )
        for r in rows
    }


def _pool(conn: Connection, start: datetime, end: datetime, batch: list[int]) -> dict[int, _Known]:
    """Items placed earlier, published between *start* and *end*, with their story (an
    accepted one before a candidate) and the statement they are an edition of."""
    placed = sa.select(item_stages.c.item_id).where(
        item_stages.c.stage == STAGE, item_stages.c.version == VERSION
    )
    rows = conn.execute(
        sa.select(items.c.id, items.c.edition_of).where(
            items.c.id.in_(placed),
            items.c.id.not_in(batch),
            items.c.status != "duplicate",
            _WHEN.between(start, end),
        )
    ).all()
    stories_of = _stories_of(conn, [int(r.id) for r in rows])
    return {int(r.id): _Known(stories_of.get(int(r.id)), r.edition_of) for r in rows}


def _stories_of(conn: Connection, ids: list[int]) -> dict[int, int]:
    """The story each of *ids* is in: an accepted one first, the oldest first."""
    out: dict[int, int] = {}
    for item_id, story_id in conn.execute(
        sa.select(story_items.c.item_id, story_items.c.story_id)
        .join(stories, stories.c.id == story_items.c.story_id)
        .where(story_items.c.item_id.in_(ids), stories.c.kind != "topic")
        .order_by(stories.c.accepted, stories.c.id.desc())
    ):
        out[int(item_id)] = int(story_id)  # the last written wins: accepted, oldest
    return out


def _rejected_links(conn: Connection, story_ids: set[int]) -> set[tuple[int, int]]:
    if not story_ids:
        return set()
    public = dict(
        conn.execute(
            sa.select(stories.c.public_id, stories.c.id).where(stories.c.id.in_(story_ids))
        ).all()
    )
    subjects = conn.execute(
        sa.select(decisions.c.subject_id).where(
            decisions.c.subject_type == ENTRY_SUBJECT, decisions.c.action == "reject"
        )
    ).scalars()
    out = set()
    item_ids: dict[str, int] = {}
    pairs = [s.split("/", 1) for s in subjects if "/" in s and s.split("/", 1)[0] in public]
    if pairs:
        item_ids = dict(
            conn.execute(
                sa.select(items.c.public_id, items.c.id).where(
                    items.c.public_id.in_([p[1] for p in pairs])
                )
            ).all()
        )
    for story_public, item_public in pairs:
        if item_public in item_ids:
            out.add((int(public[story_public]), int(item_ids[item_public])))
    return out


def _new_story(conn: Connection, title: str, now: datetime) -> int:
    public_id = new_public_id()
    return int(
        conn.execute(
            stories.insert().values(
                public_id=public_id,
                slug=f"candidate-{public_id}",
                title=(title or "Untitled story")[:400],
                kind="event",
                state="open",
                accepted=False,
                version=VERSION,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
    )


def _cached_docs(conn: Connection, ids: list[int], cache: dict[int, Doc]) -> dict[int, Doc]:
    """The docs of *ids*, made once per run: the next batch's pool is mostly this batch."""
    missing = [i for i in ids if i not in cache]
    if missing:
        cache.update(_docs(conn, missing))
    return {i: cache[i] for i in ids if i in cache}


def _place(conn: Connection, batch: list[int], cache: dict[int, Doc]) -> int:
    """Place one batch; returns how many of its items are in a story now."""
    docs = _cached_docs(conn, batch, cache)
    ordered = sorted(docs.values(), key=lambda d: (d.when, d.key))
    if not ordered:
        return 0
    window = timedelta(days=WINDOW_DAYS)
    known = _pool(conn, ordered[0].when - window, ordered[-1].when + window, batch)
    pool_docs = _cached_docs(conn, list(known), cache)
    clusterer = Clusterer(Rarity([*pool_docs.values(), *ordered]))
    for doc in sorted(pool_docs.values(), key=lambda d: (d.when, d.key)):
        clusterer.known(doc, story=known[doc.key].story, edition_of=known[doc.key].edition_of)
    # an item still in a story (an editor's entry: a re-run removed only machine links) keeps it
    kept = _stories_of(conn, batch)
    editions_kept = dict(
        conn.execute(
            sa.select(items.c.id, items.c.edition_of).where(
                items.c.id.in_(list(kept)), items.c.edition_of.is_not(None)
            )
        ).all()
    )
    for doc in ordered:
        if doc.key in kept:
            clusterer.known(doc, story=kept[doc.key], edition_of=editions_kept.get(doc.key))
            known[doc.key] = _Known(kept[doc.key], editions_kept.get(doc.key))
        else:
            clusterer.add(doc)
    now = utcnow()
    made: dict[int, int] = {}
    titles = {d.key: d for d in [*pool_docs.values(), *ordered]}
    links: dict[int, int] = {}
    editions: dict[int, int] = {}
    for placed in clusterer.placed():
        before = known.get(placed.key)
        if placed.key in docs and placed.edition_of is not None:
            editions[placed.key] = placed.edition_of
        if placed.story is None or (before is not None and before.story == placed.story):
            continue
        if placed.story < 0 and placed.story not in made:
            first = min(
                (p for p in clusterer.placed() if p.story == placed.story),
                key=lambda p: (titles[p.key].when, p.key),
            )
            made[placed.story] = _new_story(conn, _title(conn, first.key), now)
        links[placed.key] = made.get(placed.story, placed.story)
    rejected = _rejected_links(conn, set(links.values()))
    existing = set(
        conn.execute(
            sa.select(story_items.c.story_id, story_items.c.item_id).where(
                story_items.c.item_id.in_(list(links))
            )
        ).all()
    )
    counts: dict[int, int] = {}
    for item_id, story_id in sorted(links.items(), key=lambda kv: (titles[kv[0]].when, kv[0])):
        if (story_id, item_id) in existing or (story_id, item_id) in rejected:
            continue
        if story_id not in counts:
            counts[story_id] = int(
                conn.execute(
                    sa.select(sa.func.count()).where(story_items.c.story_id == story_id)
                ).scalar_one()
            )
        counts[story_id] += 1
        conn.execute(
            story_items.insert().values(
                story_id=story_id,
                item_id=item_id,
                position=counts[story_id],
                subheadline="",
                added_at=now,
                version=VERSION,
            )
        )
    if counts:  # the newsroom lists candidates by their last change; readers' stories keep theirs
        conn.execute(
            stories.update()
            .where(stories.c.id.in_(list(counts)), stories.c.accepted.is_(False))
            .values(updated_at=now)
        )
    for item_id, root in editions.items():
        conn.execute(
            items.update()
            .where(items.c.id == item_id, items.c.edition_of.is_(None), items.c.id != root)
            .values(edition_of=root)
        )
    stage_state.record(conn, STAGE, VERSION, batch)
    return sum(1 for i in batch if i in links or (known.get(i) and known[i].story))


def _title(conn: Connection, item_id: int) -> str:
    return str(conn.execute(sa.select(items.c.title).where(items.c.id == item_id)).scalar() or "")


def forget(conn: Connection, ids: list[int]) -> None:
    """Remove the machine links of *ids* and the candidate stories left with fewer than two
    members: what a re-run over those items will write again."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(
            sa.delete(story_items).where(
                story_items.c.item_id.in_(chunk), story_items.c.version.is_not(None)
            )
        )
        conn.execute(
            sa.delete(item_stages).where(
                item_stages.c.item_id.in_(chunk), item_stages.c.stage == STAGE
            )
        )
    members = (
        sa.select(sa.func.count()).where(story_items.c.story_id == stories.c.id).scalar_subquery()
    )
    lonely = sa.select(stories.c.id).where(stories.c.accepted.is_(False), members < 2)
    doomed = [int(i) for i in conn.execute(lonely).scalars()]
    if doomed:
        conn.execute(sa.delete(story_items).where(story_items.c.story_id.in_(doomed)))
        conn.execute(sa.delete(stories).where(stories.c.id.in_(doomed)))


def run(
    db: Database,
    *,
    since: datetime | None = None,
    pending: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Place the items (all, or those gathered *since*; only the *pending* ones) in stories;
    returns (items placed, items in a story). Without *pending*, the items' earlier machine
    links are removed first (see :func:`forget`)."""
    with db.read() as conn:
        ids = [
            int(i)
            for i in conn.execute(
                stage_state.candidates(STAGE, VERSION, since=since, pending=pending, by_date=True)
            ).scalars()
        ]
    if not pending and ids:
        with db.write() as conn:
            forget(conn, ids)
    in_story = 0
    cache: dict[int, Doc] = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with db.write() as conn:
            in_story += _place(conn, batch, cache)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return len(ids), in_story

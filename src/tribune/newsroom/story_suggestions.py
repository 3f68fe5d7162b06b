"""Editors' answers to the stories stage: compilations to start, and entries to add.

Two kinds of suggestion come from :mod:`tribune.understand.story_stage`:

- **a compilation**: a candidate story in which two or more organisations have spoken within
  :data:`COMPILE_DAYS` days of its first item, e.g. "3 parties have spoken on …: TKP, KKE,
  PCP". Accepting makes it an accepted, open compilation whose headline lists the acronyms and
  ends "(To be updated)"; its members become entries in the order they were published (each
  statement once: its language editions are not entries of their own). Rejecting hides it for
  good: the decision is keyed by the candidate's first item, which a re-run keeps as its
  first item, so the same story is not proposed again after ``reprocess``;
- **an entry**: a later item the stage linked to an accepted compilation. Accepting appends it
  (the next position; the headline's acronyms follow while it still has its generated form);
  rejecting removes the link, and the stage never writes it again.

Every answer is a ``decisions`` row and an audit record, in one transaction.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import decisions, items, organizations, sources, stories, story_items
from tribune.db.types import new_public_id, utcnow
from tribune.newsroom import audit
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.newsroom.stories import MAX_TITLE, StoryError, StoryNotFound, unique_slug
from tribune.reading.orgs import org_labels
from tribune.understand.story_stage import ENTRY_SUBJECT

CANDIDATE_SUBJECT = "story_candidate"  # subject id: the public id of the story's first item
COMPILE_DAYS = 4
TO_BE_UPDATED = "(To be updated)"
_GENERATED = re.compile(r"^(?P<topic>.*): (?P<acronyms>[^:]*) \(To be updated\)$")
_GONE = ("duplicate", "rejected", "withdrawn")


@dataclass(frozen=True)
class Member:
    item_public_id: str
    title: str
    org_id: str | None
    org_short: str
    when: datetime
    edition: bool  # another language's edition of a member


@dataclass(frozen=True)
class CompilationSuggestion:
    story_public_id: str
    topic: str
    members: list[Member]
    org_ids: list[str]
    acronyms: list[str]
    noun: str  # "parties" or "organisations"

    @property
    def summary(self) -> str:
        return (
            f"{len(self.org_ids)} {self.noun} have spoken on {self.topic}: "
            f"{', '.join(self.acronyms)}"
        )

    @property
    def headline(self) -> str:
        return headline(self.topic, self.acronyms)


@dataclass(frozen=True)
class EntrySuggestion:
    story_public_id: str
    story_title: str
    item_public_id: str
    item_title: str
    org_short: str


def headline(topic: str, acronyms: Iterable[str]) -> str:
    """``"On Venezuela's elections: TKP, KKE (To be updated)"``."""
    return f"{topic}: {', '.join(acronyms)} {TO_BE_UPDATED}"


def _when(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _members(conn: Connection, story_ids: list[int]) -> dict[int, list[Member]]:
    if not story_ids:
        return {}
    rows = conn.execute(
        sa.select(
            story_items.c.story_id,
            items.c.id,
            items.c.public_id,
            items.c.title,
            items.c.edition_of,
            sa.func.coalesce(items.c.published_at, items.c.fetched_at).label("when"),
            sources.c.org_id,
        )
        .join(items, items.c.id == story_items.c.item_id)
        .outerjoin(sources, sources.c.id == items.c.source_id)
        .where(story_items.c.story_id.in_(story_ids), items.c.status.not_in(_GONE))
    ).all()
    labels = org_labels(conn, [r.org_id for r in rows if r.org_id])
    in_story: dict[int, set[int]] = {}
    for r in rows:
        in_story.setdefault(int(r.story_id), set()).add(int(r.id))
    out: dict[int, list[Member]] = {}
    for r in sorted(rows, key=lambda r: (_when(r.when), r.id)):
        label = labels.get(r.org_id) if r.org_id else None
        out.setdefault(int(r.story_id), []).append(
            Member(
                r.public_id,
                r.title or "",
                r.org_id,
                label.short if label else (r.org_id or ""),
                _when(r.when),
                r.edition_of is not None and r.edition_of in in_story[int(r.story_id)],
            )
        )
    return out


def _rejected(conn: Connection, subject: str, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    return set(
        conn.execute(
            sa.select(decisions.c.subject_id).where(
                decisions.c.subject_type == subject,
                decisions.c.action == "reject",
                decisions.c.subject_id.in_(ids),
            )
        ).scalars()
    )


def _suggestion(
    conn: Connection, public_id: str, members: list[Member]
) -> CompilationSuggestion | None:
    voices = [m for m in members if not m.edition]
    if not voices:
        return None
    first = voices[0].when
    orgs: list[str] = []
    acronyms: list[str] = []
    for m in voices:
        if m.org_id and m.org_id not in orgs and m.when - first <= timedelta(days=COMPILE_DAYS):
            orgs.append(m.org_id)
            acronyms.append(m.org_short)
    if len(orgs) < 2:
        return None
    kinds = set(
        conn.execute(sa.select(organizations.c.kind).where(organizations.c.id.in_(orgs))).scalars()
    )
    noun = "parties" if kinds == {"party"} else "organisations"
    return CompilationSuggestion(public_id, voices[0].title, members, orgs, acronyms, noun)


def compilation_suggestions(conn: Connection, *, limit: int = 20) -> list[CompilationSuggestion]:
    """Candidate stories worth a compilation, the most recently updated first. Candidates are
    read a page at a time, so the inbox does not read every candidate ever made."""
    query = (
        sa.select(stories.c.id, stories.c.public_id)
        .where(stories.c.accepted.is_(False), stories.c.version.is_not(None))
        .order_by(stories.c.updated_at.desc(), stories.c.id.desc())
    )
    page = 4 * limit
    out: list[CompilationSuggestion] = []
    for offset in itertools.count(0, page):
        rows = conn.execute(query.limit(page).offset(offset)).all()
        members = _members(conn, [int(r.id) for r in rows])
        firsts = {
            int(r.id): members[int(r.id)][0].item_public_id for r in rows if members.get(r.id)
        }
        rejected = _rejected(conn, CANDIDATE_SUBJECT, list(firsts.values()))
        for r in rows:
            if int(r.id) not in firsts or firsts[int(r.id)] in rejected:
                continue
            found = _suggestion(conn, r.public_id, members[int(r.id)])
            if found is not None:
                out.append(found)
                if len(out) >= limit:
                    return out
        if len(rows) < page:
            break
    return out


def entry_suggestions(
    conn: Connection, *, item_ids: Iterable[int] | None = None, limit: int = 50
) -> list[EntrySuggestion]:
    """Items the stage linked to accepted stories, not yet entries (nor rejected)."""
    entry = story_items.alias("entry")
    entries = (
        sa.select(entry.c.item_id)
        .where(entry.c.story_id == stories.c.id, entry.c.version.is_(None))
        .correlate(stories)
    )
    query = (
        sa.select(
            stories.c.public_id.label("story"),
            stories.c.title.label("story_title"),
            items.c.public_id.label("item"),
            items.c.title,
            items.c.edition_of,
            sources.c.org_id,
        )
        .join(story_items, story_items.c.story_id == stories.c.id)
        .join(items, items.c.id == story_items.c.item_id)
        .outerjoin(sources, sources.c.id == items.c.source_id)
        .where(
            stories.c.accepted.is_(True),
            story_items.c.version.is_not(None),
            items.c.status.not_in(_GONE),
            sa.or_(items.c.edition_of.is_(None), items.c.edition_of.not_in(entries)),
        )
        .order_by(story_items.c.added_at.desc(), items.c.id.desc())
        .limit(limit)
    )
    if item_ids is not None:
        query = query.where(items.c.id.in_(list(item_ids)))
    rows = conn.execute(query).all()
    labels = org_labels(conn, [r.org_id for r in rows if r.org_id])
    return [
        EntrySuggestion(
            r.story,
            r.story_title,
            r.item,
            r.title or "",
            labels[r.org_id].short if r.org_id in labels else (r.org_id or ""),
        )
        for r in rows
    ]


def _decide(conn: Connection, actor: Actor, subject: str, subject_id: str, verb: str) -> None:
    conn.execute(
        sa.insert(decisions).values(
            public_id=new_public_id(),
            subject_type=subject,
            subject_id=subject_id,
            action=verb,
            payload={},
            user_id=actor.user_id,
            created_at=utcnow(),
        )
    )


def _candidate(conn: Connection, public_id: str) -> tuple[int, CompilationSuggestion]:
    row = conn.execute(
        sa.select(stories.c.id, stories.c.accepted)
        .where(stories.c.public_id == public_id)
        .with_for_update()
    ).first()
    if row is None:
        raise StoryNotFound(f"no story {public_id!r}")
    members = _members(conn, [int(row.id)]).get(int(row.id), [])
    found = None if row.accepted else _suggestion(conn, public_id, members)
    if found is None or _rejected(conn, CANDIDATE_SUBJECT, [members[0].item_public_id]):
        raise StoryError("no compilation is proposed for this story (any more)")
    return int(row.id), found


def answer_compilation(
    db: Database, actor: Actor, story_public_id: str, *, accept: bool, topic: str = ""
) -> str:
    """Accept (with the editor's *topic*, or the first item's title) or reject a suggested
    compilation; returns the story's slug."""
    POLICY.require(actor, Action.EDIT_STORIES)
    topic = " ".join(topic.split())
    with db.write() as conn:
        story_id, found = _candidate(conn, story_public_id)
        first = found.members[0].item_public_id
        _decide(conn, actor, CANDIDATE_SUBJECT, first, "accept" if accept else "reject")
        if not accept:
            audit.record(
                conn, actor, "story.reject", "stories", story_public_id, None, {"first": first}
            )
            return str(
                conn.execute(sa.select(stories.c.slug).where(stories.c.id == story_id)).scalar()
            )
        title = headline(topic or found.topic, found.acronyms)
        if len(title) > MAX_TITLE:
            raise StoryError(f"a story's title is 1–{MAX_TITLE} characters")
        now = utcnow()
        slug = unique_slug(conn, topic or found.topic)
        conn.execute(
            stories.update()
            .where(stories.c.id == story_id)
            .values(
                accepted=True,
                kind="compilation",
                state="open",
                title=title,
                slug=slug,
                updated_at=now,
            )
        )
        ids = dict(
            conn.execute(
                sa.select(items.c.public_id, items.c.id).where(
                    items.c.public_id.in_([m.item_public_id for m in found.members])
                )
            ).all()
        )
        position = 0
        for member in found.members:
            if member.edition:
                continue
            position += 1
            conn.execute(
                story_items.update()
                .where(
                    story_items.c.story_id == story_id,
                    story_items.c.item_id == ids[member.item_public_id],
                )
                .values(version=None, position=position, added_at=now)
            )
        audit.record(
            conn,
            actor,
            "story.accept",
            "stories",
            story_public_id,
            None,
            {"title": title, "slug": slug, "entries": position},
        )
        generation.bump(conn)
    return slug


def answer_entry(
    db: Database, actor: Actor, story_public_id: str, item_public_id: str, *, accept: bool
) -> int | None:
    """Accept (returns the entry's position) or reject an item suggested for a story."""
    POLICY.require(actor, Action.EDIT_STORIES)
    with db.write() as conn:
        row = conn.execute(
            sa.select(story_items.c.story_id, story_items.c.item_id, stories.c.title)
            .join(stories, stories.c.id == story_items.c.story_id)
            .join(items, items.c.id == story_items.c.item_id)
            .where(
                stories.c.public_id == story_public_id,
                items.c.public_id == item_public_id,
                stories.c.accepted.is_(True),
                story_items.c.version.is_not(None),
            )
        ).first()
        if row is None:
            raise StoryError("this item is not proposed for this story (any more)")
        subject = f"{story_public_id}/{item_public_id}"
        _decide(conn, actor, ENTRY_SUBJECT, subject, "accept" if accept else "reject")
        where = sa.and_(
            story_items.c.story_id == row.story_id, story_items.c.item_id == row.item_id
        )
        if not accept:
            conn.execute(sa.delete(story_items).where(where))
            audit.record(conn, actor, "story.entry-reject", "story_items", subject, None, None)
            return None
        last = conn.execute(
            sa.select(sa.func.max(story_items.c.position)).where(
                story_items.c.story_id == row.story_id, story_items.c.version.is_(None)
            )
        ).scalar()
        position = int(last or 0) + 1
        now = utcnow()
        conn.execute(
            story_items.update().where(where).values(version=None, position=position, added_at=now)
        )
        values: dict[str, object] = {"updated_at": now}
        retitled = _retitled(conn, row.story_id, row.title)
        if retitled != row.title:
            values["title"] = retitled
        conn.execute(stories.update().where(stories.c.id == row.story_id).values(**values))
        audit.record(
            conn,
            actor,
            "story.add",
            "story_items",
            f"{story_public_id}/{position}",
            None,
            {"item": item_public_id, "suggested": True},
        )
        generation.bump(conn)
    return position


def _retitled(conn: Connection, story_id: int, title: str) -> str:
    """The headline with the acronyms of every entry, while it keeps its generated form."""
    match = _GENERATED.match(title)
    if match is None:
        return title
    org_ids = conn.execute(
        sa.select(sources.c.org_id)
        .select_from(story_items)
        .join(items, items.c.id == story_items.c.item_id)
        .outerjoin(sources, sources.c.id == items.c.source_id)
        .where(story_items.c.story_id == story_id, story_items.c.version.is_(None))
        .order_by(story_items.c.position)
    ).scalars()
    ordered = list(dict.fromkeys(o for o in org_ids if o))
    labels = org_labels(conn, ordered)
    acronyms = [labels[o].short if o in labels else o for o in ordered]
    new = headline(match.group("topic"), acronyms)
    return new if len(new) <= MAX_TITLE else title

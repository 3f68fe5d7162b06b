"""The signatures stage: joint statements found in the items, and the signatures their later
texts carry.

For each item it reads (new ones and those whose text changed, or all of them again), the stage
works on the item's *copies group*: the original (``duplicate_of`` is null) and the items that
are its duplicates, the same statement on other sites.

- **Detection** (:mod:`tribune.understand.joint_detect`): each original is read; one that is a
  joint statement gets a ``joint_detections`` row with its signatory list as a *history*: every
  signer of its first text, then those that only a later revision of its page or a copy on
  another site carries, each with the date that text was fetched and which text it was. A copy
  in another language adds only signers the linker resolves: its raw names are the same parties
  written another way. This is machine output, proposed to editors
  (:mod:`tribune.newsroom.joint_suggestions`).
- **New signatures**: for a statement already marked a joint statement (``joint_statements``),
  the signers that a later revision or a copy carries and its list lacks are recorded in
  ``signatures``, with ``added_at`` the day that text was fetched, its evidence and the stage's
  :data:`VERSION`. The list of its first text is the editor's to record (accepting the
  suggestion does); this adds what came after. A signatory an editor recorded is left alone, and
  one an editor took off the list (``decisions``) is never recorded again.

Re-running rewrites the stage's own rows only (its detections, its signatures), so it is
idempotent, and a batch is one transaction: a killed run leaves whole batches behind.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation
from tribune.db.engine import Database
from tribune.db.tables import (
    item_revisions,
    items,
    joint_detections,
    joint_statements,
    signatures,
)
from tribune.db.types import utcnow
from tribune.newsroom.signatures import removed_keys, signer_key
from tribune.understand import stage_state
from tribune.understand.joint_detect import detect, list_signers
from tribune.understand.link import Linker, LinkInputError, get_linker
from tribune.understand.signatories import Signer

STAGE = "signatures"
VERSION = "signatures-1"
BATCH = 100


@dataclass(frozen=True)
class Seen:
    """A signer of a statement, as first seen: in its first text (``evidence`` empty) or in a
    later revision or a copy (``evidence`` names it)."""

    name: str
    group: str
    org_id: str | None
    seen_at: datetime
    evidence: str

    @property
    def key(self) -> str:
        return signer_key(self.org_id, self.name)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "group": self.group,
            "org_id": self.org_id,
            "seen_at": self.seen_at.isoformat(),
            "evidence": self.evidence,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Seen:
        return cls(
            str(data.get("name") or ""),
            str(data.get("group") or ""),
            data.get("org_id") or None,
            datetime.fromisoformat(str(data["seen_at"])),
            str(data.get("evidence") or ""),
        )


@dataclass(frozen=True)
class _Text:
    item_id: int
    revision_id: int
    title: str
    text: str
    fetched_at: datetime


@dataclass
class _Group:
    """One original and its copies, with every text each has had."""

    members: dict[int, Any]
    texts: dict[int, list[_Text]]
    joints: dict[int, Any]  # item id -> joint_statements row


def _groups(conn: Connection, batch: list[int]) -> list[_Group]:
    roots = {
        int(r.duplicate_of or r.id)
        for r in conn.execute(
            sa.select(items.c.id, items.c.duplicate_of).where(items.c.id.in_(batch))
        )
    }
    if not roots:
        return []
    rows = conn.execute(
        sa.select(
            items.c.id,
            items.c.url,
            items.c.title,
            items.c.body_text,
            items.c.language,
            items.c.published_at,
            items.c.fetched_at,
            items.c.duplicate_of,
        ).where(sa.or_(items.c.id.in_(roots), items.c.duplicate_of.in_(roots)))
    ).all()
    ids = [int(r.id) for r in rows]
    texts: dict[int, list[_Text]] = {i: [] for i in ids}
    for rev in conn.execute(
        sa.select(
            item_revisions.c.id,
            item_revisions.c.item_id,
            item_revisions.c.title,
            item_revisions.c.body_text,
            item_revisions.c.fetched_at,
        )
        .where(item_revisions.c.item_id.in_(ids))
        .order_by(item_revisions.c.fetched_at, item_revisions.c.id)
    ):
        texts[int(rev.item_id)].append(
            _Text(int(rev.item_id), int(rev.id), rev.title, rev.body_text, rev.fetched_at)
        )
    for r in rows:  # an item without revisions (written in by an editor): its text
        if not texts[int(r.id)]:
            texts[int(r.id)].append(_Text(int(r.id), 0, r.title, r.body_text, r.fetched_at))
    joints = {
        int(j.item_id): j
        for j in conn.execute(
            sa.select(joint_statements).where(joint_statements.c.item_id.in_(ids))
        )
    }
    out = []
    for root in sorted(roots):
        members = {int(r.id): r for r in rows if int(r.duplicate_of or r.id) == root}
        if members:
            out.append(
                _Group(
                    members,
                    {i: texts[i] for i in members},
                    {i: joints[i] for i in members if i in joints},
                )
            )
    return out


class _Reader:
    """Signatory lists of texts, each text read once per run; the linker built on first use."""

    def __init__(self, db: Database, linker: Linker | None) -> None:
        self._db = db
        self._linker = linker
        self._lists: dict[tuple[str, date | None], list[Signer]] = {}

    def linker(self) -> Linker:
        if self._linker is None:
            self._linker = get_linker(self._db)
        return self._linker

    def signers(self, text: str, day: date | None) -> list[Signer]:
        key = (hashlib.sha256(text.encode()).hexdigest(), day)
        if key not in self._lists:
            self._lists[key] = list_signers(text, self.linker, day=day)[0] if text else []
        return self._lists[key]


def history(group: _Group, item_id: int, reader: _Reader) -> list[Seen]:
    """The signers of the statement *item_id*: its first text's, then those only a later
    revision or a copy carries, in the order they were fetched."""
    item = group.members[item_id]
    own = group.texts[item_id]
    day = item.published_at.date() if item.published_at else None
    first = own[0]
    first_at = min(item.published_at or first.fetched_at, first.fetched_at)
    later: list[tuple[datetime, int, _Text, str, bool]] = []
    for n, text in enumerate(own[1:], start=2):
        evidence = f"revision {n} of {item.url}, fetched {text.fetched_at.date().isoformat()}"
        later.append((text.fetched_at, text.revision_id, text, evidence, True))
    for other_id, other in group.members.items():
        if other_id == item_id:
            continue
        same_language = not (item.language and other.language) or item.language == other.language
        for text in group.texts[other_id]:
            evidence = f"copy at {other.url}, fetched {text.fetched_at.date().isoformat()}"
            later.append((text.fetched_at, text.revision_id, text, evidence, same_language))
    later.sort(key=lambda e: (e[0], e[1]))
    seen: dict[str, Seen] = {}
    events = [(first_at, first, "", True)] + [(e[0], e[2], e[3], e[4]) for e in later]
    for when, text, evidence, same_language in events:
        for s in reader.signers(text.text, day):
            if s.org_id is None and not same_language:
                continue
            found = Seen(s.name, s.group, s.org_id, when, evidence)
            seen.setdefault(found.key, found)
    return list(seen.values())


@dataclass
class _Work:
    """What one batch writes."""

    detected: dict[int, tuple[float, str, list[Seen]]]  # original item id -> detection
    originals: set[int]  # originals read (their old detections go)
    grown: list[tuple[Any, list[Seen]]]  # (joint_statements row, its history)
    failed: dict[int, str]


def _read(db: Database, batch: list[int], reader: _Reader) -> _Work:
    with db.read() as conn:
        groups = _groups(conn, batch)
    work = _Work({}, set(), [], {})
    for group in groups:
        for item_id, item in group.members.items():
            try:
                if item.duplicate_of is None:
                    work.originals.add(item_id)
                    day = item.published_at.date() if item.published_at else None
                    found = detect(item.title, item.body_text or "", reader.linker, day=day)
                    if found.joint:
                        seen = history(group, item_id, reader)
                        work.detected[item_id] = (found.confidence, found.evidence, seen)
                if item_id in group.joints:
                    work.grown.append((group.joints[item_id], history(group, item_id, reader)))
            except LinkInputError as exc:  # a text the linker refuses: the others go on
                work.failed[item_id] = str(exc)[:400]
    return work


def _row(joint_id: int, s: Seen) -> dict[str, Any]:
    return {
        "joint_statement_id": joint_id,
        "org_id": s.org_id,
        "raw_name": s.name[:400],
        "group_name": s.group[:200],
        "added_at": s.seen_at,
        "evidence": s.evidence[:2000],
        "version": VERSION,
    }


def _same(row: Any, s: Seen) -> bool:
    """Whether the stage's stored signature is the one it would write now."""
    wanted = _row(row.joint_statement_id, s)
    return all(getattr(row, column) == value for column, value in wanted.items())


def _grow(conn: Connection, joint: Any, seen: Iterable[Seen]) -> int:
    """Record the signers a later text carries and the list lacks; returns how many are new.
    The stage's own rows of the statement are rewritten; the editors' stay."""
    rows = conn.execute(
        sa.select(signatures).where(signatures.c.joint_statement_id == joint.id)
    ).all()
    editors = {signer_key(r.org_id, r.raw_name) for r in rows if r.version is None}
    mine = {signer_key(r.org_id, r.raw_name): r for r in rows if r.version is not None}
    removed = removed_keys(conn, joint.public_id)
    wanted = {
        s.key: s for s in seen if s.evidence and s.key not in editors and s.key not in removed
    }
    stale = [r.id for key, r in mine.items() if key not in wanted or not _same(r, wanted[key])]
    if stale:
        conn.execute(sa.delete(signatures).where(signatures.c.id.in_(stale)))
    keep = {key for key, r in mine.items() if r.id not in stale}
    new = [s for key, s in wanted.items() if key not in keep]
    if new:
        conn.execute(sa.insert(signatures), [_row(joint.id, s) for s in new])
    if stale or new:
        generation.bump(conn)
    return sum(1 for s in new if s.key not in mine)


def _write(conn: Connection, batch: list[int], work: _Work) -> int:
    now = utcnow()
    if work.originals:
        conn.execute(
            sa.delete(joint_detections).where(joint_detections.c.item_id.in_(work.originals))
        )
    if work.detected:
        conn.execute(
            sa.insert(joint_detections),
            [
                {
                    "item_id": item_id,
                    "confidence": confidence,
                    "evidence": evidence,
                    "signers": [s.as_json() for s in seen],
                    "version": VERSION,
                    "detected_at": now,
                }
                for item_id, (confidence, evidence, seen) in work.detected.items()
            ],
        )
    signed = sum(_grow(conn, joint, seen) for joint, seen in work.grown)
    stage_state.record(conn, STAGE, VERSION, batch, work.failed)
    return signed


@dataclass(frozen=True)
class Report:
    read: int
    detected: int  # originals found to be joint statements
    signed: int  # new signatures recorded from revisions and copies


def run_report(
    db: Database,
    *,
    since: datetime | None = None,
    pending: bool = False,
    progress: Callable[[int, int], None] | None = None,
    linker: Linker | None = None,
) -> Report:
    """Read the items (all, or those gathered *since*; only the *pending* ones), store the
    joint statements found and record the new signatures. *progress* is called with (done,
    total) after each batch."""
    with db.read() as conn:
        ids = [
            int(i)
            for i in conn.execute(
                stage_state.candidates(STAGE, VERSION, since=since, pending=pending, copies=True)
            ).scalars()
        ]
    reader = _Reader(db, linker)
    detected = signed = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        work = _read(db, batch, reader)
        with db.write() as conn:
            signed += _write(conn, batch, work)
        detected += len(work.detected)
        if progress is not None:
            progress(min(start + BATCH, len(ids)), len(ids))
    return Report(len(ids), detected, signed)


def run(
    db: Database,
    *,
    since: datetime | None = None,
    pending: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """:func:`run_report` as ``tribune reprocess`` reports it: (items read, joint statements
    found)."""
    report = run_report(db, since=since, pending=pending, progress=progress)
    return report.read, report.detected

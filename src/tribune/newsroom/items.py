"""What editors do to an item: edit it, publish, reject, unpublish, feature, withdraw.

Every action runs in one write transaction that also writes the audit log (the changed fields
before and after), keeps the search index in step with what readers can see, and bumps the site
generation so cached pages go stale. Actions are checked against the permissions policy first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db import generation, search
from tribune.db.engine import Database
from tribune.db.tables import items
from tribune.db.types import utcnow
from tribune.ingest.extract import XML_ILLEGAL, draft_lead, sanitise, text_of_html
from tribune.newsroom import audit
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.newsroom.slugs import slugify
from tribune.understand.kinds import KINDS

EDITABLE = ("title", "lead", "body_html", "kind", "correction")
MAX_TITLE, MAX_LEAD = 400, 2000
_SEEN_BY_READERS = frozenset({"published", "withdrawn"})


class ItemNotFound(LookupError):
    """No item has that public id."""


class EditError(ValueError):
    """An edit or action that cannot be applied as asked."""


@dataclass(frozen=True)
class Change:
    """What an action did: the item's public id and its status afterwards."""

    public_id: str
    status: str
    featured: bool


def _row(conn: Connection, public_id: str) -> Any:
    row = conn.execute(
        sa.select(items).where(items.c.public_id == public_id).with_for_update()
    ).first()
    if row is None:
        raise ItemNotFound(f"no item {public_id!r}")
    return row


def _reindex(conn: Connection, row: Any) -> None:
    if row.status == "published":
        search.index_item(conn, row.id, row.title, row.lead, row.body_text)
    else:
        search.unindex_item(conn, row.id)


def _apply(
    conn: Connection, actor: Actor, row: Any, action: str, values: Mapping[str, Any]
) -> Change:
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if changed:
        conn.execute(
            items.update().where(items.c.id == row.id).values(**changed, updated_at=utcnow())
        )
        before = {k: getattr(row, k) for k in changed}
        audit.record(conn, actor, action, "items", row.public_id, before, changed)
        after = conn.execute(sa.select(items).where(items.c.id == row.id)).one()
        # readers see published items, and withdrawn ones as a notice with the correction
        if {row.status, after.status} & _SEEN_BY_READERS:
            _reindex(conn, after)
            generation.bump(conn)
        row = after
    return Change(row.public_id, row.status, bool(row.featured))


def edit(db: Database, actor: Actor, public_id: str, fields: Mapping[str, str]) -> Change:
    """Change the headline, lead, body, kind or correction note. The body is sanitised."""
    POLICY.require(actor, Action.EDIT_ITEMS)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise EditError(f"cannot edit {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    if "title" in fields:
        title = " ".join(fields["title"].split())
        if not title or len(title) > MAX_TITLE:
            raise EditError(f"the headline must be 1–{MAX_TITLE} characters")
        values["title"] = title
    if "lead" in fields:
        lead = " ".join(fields["lead"].split())
        if len(lead) > MAX_LEAD:
            raise EditError(f"the lead must be at most {MAX_LEAD} characters")
        values["lead"] = lead
    if "body_html" in fields:
        values["body_html"] = sanitise(XML_ILLEGAL.sub("", fields["body_html"]))
        values["body_text"] = text_of_html(values["body_html"])
    if "kind" in fields:
        kind = fields["kind"].strip() or None
        if kind is not None and kind not in KINDS:
            raise EditError(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
        values["kind"] = kind
    if "correction" in fields:
        values["correction"] = fields["correction"].strip()
    with db.write() as conn:
        row = _row(conn, public_id)
        if "lead" in values and not values["lead"] and row.body_text:
            values["lead"] = draft_lead(values.get("body_text", row.body_text))
        return _apply(conn, actor, row, "item.edit", values)


def set_status(db: Database, actor: Actor, public_id: str, status: str) -> Change:
    """Publish, reject, unpublish (back to the inbox) or withdraw an item."""
    POLICY.require(actor, Action.PUBLISH)
    if status not in ("published", "rejected", "inbox", "withdrawn"):
        raise EditError(f"cannot set status {status!r}")
    with db.write() as conn:
        row = _row(conn, public_id)
        if row.status == "withdrawn":
            # readers keep getting its notice (410): it is not republished, nor moved elsewhere
            raise EditError("a withdrawn item stays withdrawn")
        if status == "withdrawn" and row.status != "published":
            raise EditError("only a published item can be withdrawn")
        values: dict[str, Any] = {"status": status}
        if status == "published":
            if not row.published_at:
                values["published_at"] = row.fetched_at
            if not row.slug:
                values["slug"] = slugify(row.title)
        if status != "published":
            values["featured"] = False
        return _apply(conn, actor, row, f"item.{_VERB[status]}", values)


def give_kind(conn: Connection, actor: Actor, public_id: str, kind: str, action: str) -> Change:
    """Give an item a kind in the caller's transaction (an accepted guess of the kinds stage),
    audited as *action*."""
    POLICY.require(actor, Action.EDIT_ITEMS)
    if kind not in KINDS:
        raise EditError(f"unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
    return _apply(conn, actor, _row(conn, public_id), action, {"kind": kind})


def set_featured(db: Database, actor: Actor, public_id: str, featured: bool) -> Change:
    """Pin a published item to the front page's featured block, or unpin it."""
    POLICY.require(actor, Action.PUBLISH)
    with db.write() as conn:
        row = _row(conn, public_id)
        if featured and row.status != "published":
            raise EditError("only a published item can be featured")
        action = "item.feature" if featured else "item.unfeature"
        return _apply(conn, actor, row, action, {"featured": featured})


_VERB = {
    "published": "publish",
    "rejected": "reject",
    "inbox": "unpublish",
    "withdrawn": "withdraw",
}

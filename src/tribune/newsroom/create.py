"""An item an editor writes in, rather than one gathered from a source.

It is stored as gathered items are (sanitised body, plain text, content hash, canonical URL,
a first revision, a near-duplicate signature) but without a source, in the inbox, and the
audit log records who created it. The organisation that issued it is linked by an editor's
``add`` decision (:mod:`tribune.newsroom.entities`), in the same transaction, so the item
lists under the organisation once it is published and no re-run of the linker undoes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import decisions, item_revisions, items, organizations
from tribune.db.types import new_public_id, utcnow
from tribune.ingest import dedupe
from tribune.ingest.canonical import canonical_url
from tribune.ingest.extract import draft_lead, sanitise, text_of_html
from tribune.ingest.store import content_hash
from tribune.newsroom import audit
from tribune.newsroom.items import MAX_LEAD, MAX_TITLE
from tribune.newsroom.policy import POLICY, Action, Actor
from tribune.reading.links import SUBJECT, subject_id

MAX_URL = 2000
_LANGUAGE = re.compile(r"[a-z]{2}")
# characters no XML or HTML parser takes (the body's text is read with lxml)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class CreateError(ValueError):
    """An item that cannot be created as asked."""


class DuplicateItem(CreateError):
    """An item with the same canonical URL is stored already."""

    def __init__(self, public_id: str) -> None:
        super().__init__(f"item {public_id} has this URL already")
        self.public_id = public_id


@dataclass(frozen=True)
class Created:
    id: int
    public_id: str


def create_item(
    db: Database,
    actor: Actor,
    *,
    title: str,
    body_html: str,
    url: str,
    language: str,
    lead: str = "",
    org_id: str | None = None,
    published_at: datetime | None = None,
) -> Created:
    """Store an editor's item in the inbox; returns its ids."""
    POLICY.require(actor, Action.EDIT_ITEMS)
    title = " ".join(_NOT_XML.sub("", title).split())
    if not title or len(title) > MAX_TITLE:
        raise CreateError(f"the headline must be 1–{MAX_TITLE} characters")
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > MAX_URL:
        raise CreateError(f"the URL must be an http(s) URL of at most {MAX_URL} characters")
    try:
        canonical = canonical_url(url)
    except ValueError as exc:
        raise CreateError(f"the URL cannot be read: {exc}") from None
    language = language.strip().lower()
    if language and not _LANGUAGE.fullmatch(language):
        raise CreateError("the language is a two-letter ISO 639-1 code (or empty if unknown)")
    if published_at is not None and published_at.tzinfo is None:
        raise CreateError("the date of publication needs a time zone")
    html = sanitise(_NOT_XML.sub("", body_html))
    text = text_of_html(html)
    lead = " ".join(_NOT_XML.sub("", lead).split()) or draft_lead(text)
    if len(lead) > MAX_LEAD:
        raise CreateError(f"the lead must be at most {MAX_LEAD} characters")
    digest = content_hash(title, text)
    now = utcnow()
    with db.write() as conn:
        if org_id is not None:
            known = sa.select(organizations.c.id).where(organizations.c.id == org_id)
            if conn.execute(known).first() is None:
                raise CreateError(f"no organisation {org_id!r} in the KB")
        same = conn.execute(
            sa.select(items.c.public_id).where(items.c.canonical_url == canonical).limit(1)
        ).scalar()
        if same is not None:
            raise DuplicateItem(str(same))
        public_id = new_public_id()
        inserted = conn.execute(
            items.insert().values(
                public_id=public_id,
                slug="",
                source_id=None,
                url=url,
                canonical_url=canonical,
                guid=None,
                title=title,
                lead=lead,
                body_html=html,
                body_text=text,
                language=language,
                published_at=published_at,
                fetched_at=now,
                content_hash=digest,
                status="inbox",
                featured=False,
                correction="",
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key
        assert inserted is not None
        item_id = int(inserted[0])
        conn.execute(
            item_revisions.insert().values(
                item_id=item_id,
                content_hash=digest,
                title=title,
                body_html=html,
                body_text=text,
                fetched_at=now,
            )
        )
        dedupe.record(conn, item_id, dedupe.minhash(text or title))
        audit.record(
            conn,
            actor,
            "item.create",
            "items",
            public_id,
            None,
            {
                "title": title,
                "url": url,
                "language": language,
                "org_id": org_id,
                "published_at": published_at,
            },
        )
        if org_id is not None:
            subject = subject_id(public_id, "org", org_id)
            payload = {"item": public_id, "type": "org", "id": org_id}
            conn.execute(
                decisions.insert().values(
                    public_id=new_public_id(),
                    subject_type=SUBJECT,
                    subject_id=subject,
                    action="add",
                    payload=payload,
                    user_id=actor.user_id,
                    created_at=now,
                )
            )
            audit.record(
                conn, actor, "mention.add", "decisions", subject, {"state": None},
                {"state": "added", **payload},
            )  # fmt: skip
    return Created(item_id, public_id)

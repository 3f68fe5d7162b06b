"""What the JSON API answers and accepts, as pydantic models (they make the OpenAPI document).

Answers are serialised with ``exclude_unset``: a field the handler did not set is left out of
the JSON. That is how ``body_html`` is omitted for excerpt-only sources and ``suggestions`` for
clients outside the newsroom; every other field is always set, even when it is null.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from tribune.newsroom.items import MAX_LEAD, MAX_TITLE
from tribune.newsroom.signatures import MAX_GROUP, MAX_NAME
from tribune.newsroom.stories import MAX_SUBHEADLINE
from tribune.understand.kinds import KINDS

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
Kind = Literal[KINDS]  # type: ignore[valid-type]
Status = Literal["inbox", "published", "rejected", "duplicate", "withdrawn"]


class Problem(BaseModel):
    """RFC 9457 problem details; some problems add members (``errors``, ``correction``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str


class Body(BaseModel):
    """A request body: unknown fields are refused, and so is text that no database or HTML
    parser takes (NUL and other control characters but tab and newlines, lone surrogates)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def storable(cls, value: Any) -> Any:
        if isinstance(value, str):
            if _NOT_XML.search(value):
                raise ValueError("control characters are not allowed")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("not valid Unicode text") from None
        return value


# -- items ---------------------------------------------------------------------------------------


class Mention(BaseModel):
    """An entity the linker found (or an editor recorded) in the item: a suggestion."""

    type: str = Field(description="org, person, event or country")
    id: str | None = Field(description="the entity's id; null for an abstention")
    surface: str
    field: str = Field(description="title, lead or body")
    start: int = Field(description="Python-slice character offsets in that field")
    end: int
    confidence: float
    candidates: list[str] | None = Field(description="the ids considered, for an abstention")


class KindSuggestion(BaseModel):
    """The kind the kinds stage guessed, proposed while the item has none."""

    kind: Kind
    confidence: float = Field(description="0 to 1")
    evidence: str = Field(description='the cue phrases it rests on, or "classifier"')


class Item(BaseModel):
    id: str = Field(description="the item's public id")
    url: str | None = Field(description="its page on this site; null until it is published")
    source_url: str = Field(description="where the organisation published it")
    canonical_url: str
    title: str
    lead: str
    body_html: str = Field(
        default="",
        description="sanitised HTML; left out for sources Tribune may only excerpt "
        "(newsroom clients always get it)",
    )
    language: str = Field(description="ISO 639-1, or empty when unknown")
    published_at: datetime | None
    updated_at: datetime
    kind: str | None
    status: Status
    featured: bool
    org_ids: list[str] = Field(description="the publisher first, then organisations mentioned")
    duplicate_of: str | None = Field(description="public id of the original of a duplicate")
    revision_count: int
    new_signatures: bool = Field(description="a joint statement whose list grew lately")
    suggestions: list[Mention] | None = Field(
        default=None, description="newsroom clients only: the machine's (and editors') mentions"
    )
    kind_suggestion: KindSuggestion | None = Field(
        default=None,
        description="newsroom clients only: the proposed kind, to accept or reject "
        "(`POST …/accept-kind`, `…/reject-kind`); null when none is proposed",
    )


class ItemList(BaseModel):
    items: list[Item]
    next_cursor: str | None


class ItemCreate(Body):
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    lead: str = Field(default="", max_length=MAX_LEAD, description="empty: drafted from the body")
    body_html: str = Field(max_length=2_000_000, description="HTML; sanitised before it is kept")
    url: str = Field(
        min_length=8, max_length=2000, pattern=r"^[hH][tT][tT][pP][sS]?://\S+$",
        description="where the organisation published it",
    )  # fmt: skip
    language: str = Field(pattern=r"^([a-z]{2})?$", description="ISO 639-1; empty if unknown")
    org_id: str | None = Field(default=None, max_length=80, description="the issuing organisation")
    published_at: AwareDatetime | None = Field(default=None, description="with its offset")

    @field_validator("published_at")
    @classmethod
    def in_range(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            raise ValueError("not a date Tribune can store") from None
        if not 1800 <= value.year <= 9000:
            raise ValueError("a date between the years 1800 and 9000")
        return value


class ItemPatch(Body):
    """The fields to change; a field left out (or null) stays as it is, except ``kind``, which
    null clears."""

    title: str | None = Field(default=None, min_length=1, max_length=MAX_TITLE)
    lead: str | None = Field(default=None, max_length=MAX_LEAD)
    body_html: str | None = Field(default=None, max_length=2_000_000)
    kind: Kind | None = None
    correction: str | None = Field(default=None, max_length=10_000)


# -- the knowledge base --------------------------------------------------------------------------


class OrgRef(BaseModel):
    id: str
    name: str
    country: str | None
    kind: str


class Organization(BaseModel):
    """An organisation as lists show it."""

    id: str
    name: str
    native_name: str
    kind: str
    country: str | None
    network_member: str = Field(description="yes, no or unknown")
    url: str = Field(description="its page on this site")


class OrgList(BaseModel):
    items: list[Organization]
    next_cursor: str | None


class OrgName(BaseModel):
    name: str
    kind: str
    language: str
    valid_from: date | None
    valid_to: date | None
    certain: bool
    notes: str


class Role(BaseModel):
    person_id: str
    person_name: str
    org_id: str
    org_name: str
    title: str
    start: date | None
    end: date | None
    notes: str


class EventRef(BaseModel):
    id: str
    name: str
    start: date | None


class OrgCounts(BaseModel):
    published: int = Field(description="published items it issued")
    mentioned_in: int = Field(description="published items that mention it")
    joint_statements_signed: int


class OrganizationProfile(Organization):
    websites: list[str]
    notes: str
    year_first: int | None
    year_last: int | None
    wikipedia: str
    wikidata_id: str | None
    partyfacts_id: int | None
    country_name: str | None
    parent: OrgRef | None
    children: list[OrgRef]
    names: list[OrgName]
    people: list[Role]
    events: list[EventRef] = Field(description="events it hosted")
    counts: OrgCounts
    redirected_from: str | None = Field(
        default=None, description="set when the id asked for was merged into this one"
    )


class StoryRef(BaseModel):
    slug: str
    title: str
    state: str


class Person(BaseModel):
    id: str
    name: str
    aliases: list[str]
    notes: str
    roles: list[Role]
    url: str


class PersonList(BaseModel):
    items: list[Person]
    next_cursor: str | None


class Event(BaseModel):
    id: str
    name: str
    series: str
    number: int | None
    start: date | None
    end: date | None
    date_precision: str = Field(description="day, month or year")
    city: str
    country: str | None
    country_name: str | None
    notes: str
    hosts: list[OrgRef]
    stories: list[StoryRef]
    url: str


class EventList(BaseModel):
    items: list[Event]
    next_cursor: str | None


# -- stories -------------------------------------------------------------------------------------


class Story(BaseModel):
    id: str = Field(description="the story's public id")
    slug: str
    url: str
    title: str
    kind: str = Field(description="compilation, event or topic")
    state: str = Field(description='open ("To be updated") or closed ("Updated")')
    created_at: datetime
    updated_at: datetime
    entry_count: int
    org_ids: list[str] = Field(description="the publishers of its entries, in order of speaking")


class StoryList(BaseModel):
    items: list[Story]
    next_cursor: str | None


class StoryEntry(BaseModel):
    position: int
    subheadline: str
    added_at: datetime
    item: Item


class StoryDetail(Story):
    entries: list[StoryEntry]


class EntryCreate(Body):
    item: str = Field(min_length=1, max_length=36, description="a published item's public id")
    subheadline: str = Field(default="", max_length=MAX_SUBHEADLINE)


class Responder(BaseModel):
    id: str
    name: str
    country: str | None
    items: list[str] = Field(description="public ids of its entries in the story (its items)")
    first_added_at: datetime | None = Field(
        description="when its first entry was added to the story; for an event, when its "
        "first item on the event was published (null when not known)"
    )


class Silent(BaseModel):
    id: str
    name: str
    country: str | None


class RegionResponses(BaseModel):
    region: str | None = Field(description="UN M.49 region; null for no country")
    spoken: list[Responder]
    silent: list[Silent]


class StoryResponses(BaseModel):
    story: str
    members: int = Field(description="organisations of the network")
    spoken: int
    silent: int
    regions: list[RegionResponses]


class EventResponses(BaseModel):
    event: str
    members: int = Field(description="organisations of the network")
    spoken: int
    silent: int
    regions: list[RegionResponses]


# -- joint statements ----------------------------------------------------------------------------


class OrgLabel(BaseModel):
    id: str
    name: str


class Signature(BaseModel):
    org_id: str | None = Field(description="the KB organisation, when resolved")
    raw_name: str = Field(description="the name as printed")
    name: str
    group: str
    added_at: datetime
    evidence: str


class JointStatement(BaseModel):
    id: str = Field(description="the joint statement's public id")
    item: Item
    initiators: list[OrgLabel]
    signature_count: int
    new_signatures: bool


class JointList(BaseModel):
    items: list[JointStatement]
    next_cursor: str | None


class JointDetail(JointStatement):
    signatures: list[Signature] = Field(description="in the order they were added")


class SignatureCreate(Body):
    """A KB organisation (``org_id``) or, when it cannot be resolved, the name as printed."""

    org_id: str | None = Field(default=None, max_length=80)
    raw_name: str = Field(default="", max_length=MAX_NAME)
    group: str = Field(default="", max_length=MAX_GROUP)
    added_at: date | None = Field(default=None, description="default: today")


# -- search --------------------------------------------------------------------------------------


class SearchHit(BaseModel):
    item: Item
    snippet: str = Field(
        description="HTML: the text around the matches, escaped, each match in <mark>"
    )


class SearchResults(BaseModel):
    items: list[SearchHit]
    next_cursor: str | None
    total: int

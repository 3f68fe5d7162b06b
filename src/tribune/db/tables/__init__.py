"""All tables, on one :data:`metadata`. Import tables from here."""

from tribune.db.tables.base import PRECISIONS, metadata
from tribune.db.tables.editorial import (
    api_tokens,
    audit_log,
    decisions,
    joint_statements,
    signatures,
    stories,
    story_items,
    users,
)
from tribune.db.tables.items import (
    item_bands,
    item_kinds,
    item_revisions,
    item_signatures,
    item_stages,
    items,
    mentions,
    sources,
)
from tribune.db.tables.jobs import leases
from tribune.db.tables.kb import (
    countries,
    event_hosts,
    events,
    org_names,
    org_redirects,
    organizations,
    people,
    person_names,
    roles,
)

__all__ = [
    "PRECISIONS",
    "api_tokens",
    "audit_log",
    "countries",
    "decisions",
    "event_hosts",
    "events",
    "item_bands",
    "item_kinds",
    "item_revisions",
    "item_signatures",
    "item_stages",
    "items",
    "joint_statements",
    "leases",
    "mentions",
    "metadata",
    "org_names",
    "org_redirects",
    "organizations",
    "people",
    "person_names",
    "roles",
    "signatures",
    "sources",
    "stories",
    "story_items",
    "users",
]

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
from tribune.db.tables.web import SEARCH_TABLE, is_search_table, rate_limits, sessions, site_state

__all__ = [
    "PRECISIONS",
    "SEARCH_TABLE",
    "api_tokens",
    "audit_log",
    "countries",
    "decisions",
    "event_hosts",
    "events",
    "is_search_table",
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
    "rate_limits",
    "roles",
    "sessions",
    "signatures",
    "site_state",
    "sources",
    "stories",
    "story_items",
    "users",
]

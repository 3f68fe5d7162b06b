"""Tables the web app shares between its worker processes: sessions, rate limits, site state.

Nothing of this lives in one process's memory, so any number of uvicorn workers behind a proxy
see the same logins, the same throttles and the same cache generation.
"""

from __future__ import annotations

import sqlalchemy as sa

from tribune.db.tables.base import metadata, timestamp
from tribune.db.types import UTCDateTime

sessions = sa.Table(
    "sessions",
    metadata,
    # the SHA-256 of the cookie's token: a stolen table holds no usable session
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    timestamp("created_at"),
    sa.Column("expires_at", UTCDateTime, nullable=False, index=True),
)

rate_limits = sa.Table(
    "rate_limits",
    metadata,
    # what is counted: "login:<name>", "login-ip:<address>", "api:<client>"
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("window_start", UTCDateTime, nullable=False),
    sa.Column("count", sa.Integer, nullable=False),
)

site_state = sa.Table(
    "site_state",
    metadata,
    # "generation": bumped by every change readers can see, so cached pages know they are stale
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

# The full-text index is not a SQLAlchemy table: an FTS5 virtual table on SQLite, a table with a
# tsvector column on PostgreSQL (tribune.db.search). Schema comparisons leave it out.
SEARCH_TABLE = "item_search"


def is_search_table(name: str | None) -> bool:
    """True for the search index and FTS5's shadow tables (``item_search_data`` and so on)."""
    return bool(name) and str(name).startswith(SEARCH_TABLE)

"""Coordination between processes: leases.

A lease is a named row that one process holds until it expires. The polling scheduler takes the
``scheduler`` lease, so however many web and job workers run, exactly one of them decides what is
due; a crashed holder's lease expires and another process takes it over.
"""

from __future__ import annotations

import sqlalchemy as sa

from tribune.db.tables.base import metadata
from tribune.db.types import UTCDateTime

leases = sa.Table(
    "leases",
    metadata,
    sa.Column("name", sa.String(80), primary_key=True),
    sa.Column("holder", sa.String(200), nullable=False),
    sa.Column("expires_at", UTCDateTime, nullable=False),
)

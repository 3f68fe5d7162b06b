"""The data model (DESIGN §3) as SQLAlchemy Core tables.

Conventions:

* Rows that readers or other systems see carry a stable public id (UUIDv7 string, or the KB's own
  slug ids such as ``gr-kke``); integer keys stay internal.
* Timestamps are UTC (:class:`UTCDateTime`). Where the original offset and precision matter, the
  table has ``<name>_offset`` (minutes east of UTC) and ``<name>_precision``
  (``second``, ``minute``, ``day``, ``month``, ``year``).
* KB rows record where they came from (``origin``) and which fields an editor changed
  (``editor_fields``), so that ``kb load`` never overwrites an editor's work.
* Machine output (``mentions``, ``item_kinds``, ``story_items``, ``signatures``) carries the
  ruleset version of the stage that wrote it; human decisions live in ``decisions``.
"""

from __future__ import annotations

import sqlalchemy as sa

from tribune.db.types import UTCDateTime, utcnow

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

PRECISIONS = ("second", "minute", "day", "month", "year")


def timestamp(name: str) -> sa.Column[object]:
    """A UTC timestamp column set by Python on insert (``created_at``, ``updated_at``)."""
    return sa.Column(name, UTCDateTime, nullable=False, default=utcnow)


def origin() -> sa.Column[object]:
    """Where a KB row came from: ``seed:<file>``, ``editor:<user>``, ``suggestion:<id>``."""
    return sa.Column("origin", sa.String(200), nullable=False)


def editor_fields() -> sa.Column[object]:
    """Names of the fields an editor set; ``kb load`` leaves them alone."""
    return sa.Column("editor_fields", sa.JSON, nullable=False, default=list)

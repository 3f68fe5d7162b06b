"""The archive: published items by month (of their date, in UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import items

__all__ = ["Month", "months"]


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, year: str, month: str) -> Month | None:
        """The month of ``/archive/{yyyy}/{mm}``, or None when the path names none."""
        if not (len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
            return None
        y, m = int(year), int(month)
        return cls(y, m) if y >= 1 and 1 <= m <= 12 else None

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first moment of the next month (or the end of time after December 9999)."""
        nxt = self.next()
        return nxt.start if nxt else datetime.max.replace(tzinfo=UTC)

    def next(self) -> Month | None:
        if self.month < 12:
            return Month(self.year, self.month + 1)
        return Month(self.year + 1, 1) if self.year < 9999 else None

    @property
    def path(self) -> str:
        return f"/archive/{self.year:04d}/{self.month:02d}"

    @property
    def label(self) -> str:
        return self.start.strftime("%B %Y")


def months(conn: Connection) -> list[tuple[Month, int]]:
    """The months that have published items, newest first, with how many each."""
    if conn.dialect.name == "sqlite":
        # UTCDateTime is stored as "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC) on SQLite
        key: sa.ColumnElement[str] = sa.func.substr(items.c.published_at, 1, 7)
    else:
        key = sa.func.to_char(items.c.published_at, "YYYY-MM")
    rows = conn.execute(
        sa.select(key.label("month"), sa.func.count().label("n"))
        .where(items.c.status == "published", items.c.published_at.is_not(None))
        .group_by(key)
        .order_by(key.desc())
    ).all()
    out = []
    for text, count in rows:
        year, _, month = str(text).partition("-")
        found = Month.parse(year, month)
        if found is not None:
            out.append((found, int(count)))
    return out

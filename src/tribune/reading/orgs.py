"""How pages name organisations: the English name and the first acronym."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tribune.db.tables import org_names, organizations


@dataclass(frozen=True)
class OrgLabel:
    id: str
    name: str
    acronym: str
    country: str | None

    @property
    def short(self) -> str:
        return self.acronym or self.name


def org_labels(conn: Connection, ids: Iterable[str]) -> dict[str, OrgLabel]:
    """Labels of the organisations *ids* (unknown ids are left out)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = conn.execute(
        sa.select(organizations.c.id, organizations.c.name_en, organizations.c.country).where(
            organizations.c.id.in_(wanted)
        )
    ).all()
    acronyms: dict[str, str] = {}
    for org_id, name in conn.execute(
        sa.select(org_names.c.org_id, org_names.c.name)
        .where(
            org_names.c.org_id.in_(wanted),
            org_names.c.kind == "acronym",
            org_names.c.removed.is_(False),
            org_names.c.valid_to.is_(None),
        )
        .order_by(org_names.c.org_id, org_names.c.position, org_names.c.id)
    ):
        acronyms.setdefault(org_id, name)
    return {r.id: OrgLabel(r.id, r.name_en, acronyms.get(r.id, ""), r.country) for r in rows}

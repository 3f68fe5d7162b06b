"""Knowledge-base tables: organisations and their names, people, roles, events, countries."""

from __future__ import annotations

import sqlalchemy as sa

from tribune.db.tables.base import editor_fields, metadata, origin, timestamp

#
countries = sa.Table(
    "countries",
    metadata,
    sa.Column("code", sa.String(2), primary_key=True),
    sa.Column("name_en", sa.String(200), nullable=False),
    sa.Column("region", sa.String(40), nullable=False, default=""),
    sa.Column("subregion", sa.String(60), nullable=False, default=""),
)

organizations = sa.Table(
    "organizations",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name_en", sa.String(400), nullable=False),
    sa.Column("native_name", sa.String(400), nullable=False, default=""),
    sa.Column("native_name_certain", sa.Boolean, nullable=True),
    sa.Column("country", sa.String(2), sa.ForeignKey("countries.code"), nullable=True),
    sa.Column("website", sa.String(400), nullable=False, default=""),
    sa.Column("network_member", sa.String(10), nullable=False, default="unknown"),
    sa.Column("parent_id", sa.String(80), sa.ForeignKey("organizations.id"), nullable=True),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("partyfacts_id", sa.Integer, nullable=True, unique=True),
    sa.Column("wikidata_id", sa.String(20), nullable=True),
    sa.Column("year_first", sa.Integer, nullable=True),
    sa.Column("year_last", sa.Integer, nullable=True),
    sa.Column("wikipedia", sa.String(400), nullable=False, default=""),
    sa.Column("in_seed", sa.Boolean, nullable=False, default=False),
    sa.Column("in_world_parties", sa.Boolean, nullable=False, default=False),
    origin(),
    editor_fields(),
    timestamp("created_at"),
    timestamp("updated_at"),
    sa.CheckConstraint("network_member IN ('yes', 'no', 'unknown')", name="network_member"),
)

org_redirects = sa.Table(
    "org_redirects",
    metadata,
    sa.Column("old_id", sa.String(80), primary_key=True),
    sa.Column("new_id", sa.String(80), sa.ForeignKey("organizations.id"), nullable=False),
    timestamp("created_at"),
)

org_names = sa.Table(
    "org_names",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "org_id",
        sa.String(80),
        sa.ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("name", sa.String(400), nullable=False),
    sa.Column("language", sa.String(10), nullable=False, default=""),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=True),
    sa.Column("valid_to", sa.Date, nullable=True),
    sa.Column("certain", sa.Boolean, nullable=False, default=True),
    # the column of the seed file the name came from (acronyms, name_short, ...), or "org_names"
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("removed", sa.Boolean, nullable=False, default=False),
    origin(),
    timestamp("created_at"),
    sa.CheckConstraint("kind IN ('official', 'acronym', 'variant')", name="kind"),
)

people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.String(120), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    origin(),
    editor_fields(),
    timestamp("created_at"),
    timestamp("updated_at"),
)

person_names = sa.Table(
    "person_names",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "person_id",
        sa.String(120),
        sa.ForeignKey("people.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.Column("removed", sa.Boolean, nullable=False, default=False),
    origin(),
    timestamp("created_at"),
)

roles = sa.Table(
    "roles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("person_id", sa.String(120), sa.ForeignKey("people.id"), nullable=False, index=True),
    sa.Column("org_id", sa.String(80), sa.ForeignKey("organizations.id"), nullable=False),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("start", sa.Date, nullable=True),
    sa.Column("end", sa.Date, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    origin(),
    editor_fields(),
    timestamp("created_at"),
    # a closed term changes a role: the linker's lexicon (which reads roles) notices by this
    timestamp("updated_at"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("series", sa.String(40), nullable=False),
    sa.Column("number", sa.Integer, nullable=True),
    sa.Column("name_en", sa.String(400), nullable=False),
    sa.Column("start", sa.Date, nullable=True),
    sa.Column("end", sa.Date, nullable=True),
    sa.Column("date_precision", sa.String(10), nullable=False, default="day"),
    sa.Column("city", sa.String(200), nullable=False, default=""),
    sa.Column("country", sa.String(2), sa.ForeignKey("countries.code"), nullable=True),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    origin(),
    editor_fields(),
    timestamp("created_at"),
    timestamp("updated_at"),
)

event_hosts = sa.Table(
    "event_hosts",
    metadata,
    sa.Column(
        "event_id", sa.String(80), sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("org_id", sa.String(80), sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False, default=0),
)

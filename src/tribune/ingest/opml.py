"""Sources in and out as OPML 2.0, the way Miniflux and FreshRSS write it.

Feeds are ``<outline type="rss" text=... title=... xmlUrl=... htmlUrl=...>`` inside one
category outline per organisation. Tribune keeps what readers' OPML has no word for in
attributes of its own namespace: ``tribune:org`` (the organisation id), ``tribune:kind``,
``tribune:language`` and ``tribune:rights``. Reader apps ignore them; an import from a reader's
file takes the organisation from ``--org``. Python's expat refuses entity-expansion bombs, so an
OPML file from elsewhere cannot blow up the import.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

import sqlalchemy as sa

from tribune.db.engine import Database
from tribune.db.tables import organizations, sources
from tribune.ingest.sources import NewSource, SourceError, add_source

NS = "urn:tribune:opml:1"
ET.register_namespace("tribune", NS)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def export_opml(db: Database, *, now: datetime | None = None) -> str:
    """Every source as OPML 2.0, grouped by organisation."""
    with db.read() as conn:
        rows = (
            conn.execute(
                sa.select(sources, organizations.c.name_en)
                .outerjoin(organizations, organizations.c.id == sources.c.org_id)
                .order_by(sources.c.org_id, sources.c.url)
            )
            .mappings()
            .all()
        )
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = "Tribune sources"
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    body = ET.SubElement(opml, "body")
    groups: dict[str | None, ET.Element] = {}
    for r in rows:
        group = groups.get(r["org_id"])
        if group is None:
            name = r["name_en"] or r["org_id"] or "no organisation"
            group = groups[r["org_id"]] = ET.SubElement(body, "outline", text=name, title=name)
        attrs = {
            "type": "rss",
            "text": r["title"] or r["url"],
            "title": r["title"] or r["url"],
            "xmlUrl": r["url"],
            "htmlUrl": r["url"],
            f"{{{NS}}}kind": r["kind"],
            f"{{{NS}}}rights": r["rights"],
        }
        if r["org_id"]:
            attrs[f"{{{NS}}}org"] = r["org_id"]
        if r["language"]:
            attrs[f"{{{NS}}}language"] = r["language"]
        ET.SubElement(group, "outline", attrs)
    ET.indent(opml)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(opml, encoding="unicode") + "\n"


def import_opml(db: Database, text: str, *, default_org: str | None = None) -> ImportReport:
    """Add the feeds of an OPML file; sources already there are left as they are."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SourceError(f"not an OPML file: {exc}") from None
    if root.tag != "opml" or root.find("body") is None:
        raise SourceError("not an OPML file: no <opml> with a <body>")
    report = ImportReport()
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl")
        if not url:
            continue  # a category
        org = outline.get(f"{{{NS}}}org") or default_org
        if not org:
            report.problems.append(f"{url}: no organisation (give --org, or a tribune:org)")
            continue
        new = NewSource(
            url=url,
            org_id=org,
            kind=outline.get(f"{{{NS}}}kind") or "feed",
            language=outline.get(f"{{{NS}}}language") or "",
            rights=outline.get(f"{{{NS}}}rights") or "full-text",
            title=outline.get("title") or outline.get("text") or "",
        )
        try:
            add_source(db, new)
        except SourceError as exc:
            if "exists already" in str(exc):
                report.existing.append(url)
            else:
                report.problems.append(f"{url}: {exc}")
        else:
            report.added.append(url)
    return report

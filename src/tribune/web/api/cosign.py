"""Co-signature figures for research (:mod:`tribune.reading.cosign`): how many published joint
statements each pair of organisations signed together, and an organisation's signing history.

Signatories are counted by their KB id; a name kept raw (not resolved yet) is left out. Both
lists are ordered (pairs by count, history by date) and page with an offset cursor.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from tribune.reading import cosign
from tribune.reading.org_profiles import org_redirect
from tribune.reading.orgs import org_labels
from tribune.web.api import cursors
from tribune.web.api.auth import CallerDep
from tribune.web.api.caching import answer
from tribune.web.api.params import NOT_MODIFIED, Cursor, Key, Limit, Text, problems, site
from tribune.web.api.schemas import OrgLabel

router = APIRouter(tags=["joint statements"])


class CoSignature(BaseModel):
    organizations: list[OrgLabel] = Field(
        description="the two organisations (with `org`, that one first)"
    )
    statements: int = Field(description="published joint statements both signed")
    latest: datetime | None = Field(description="the publication date of the latest of them")


class CoSignatureList(BaseModel):
    items: list[CoSignature]
    next_cursor: str | None


class Signing(BaseModel):
    joint_statement: str = Field(description="the joint statement's public id")
    item_id: str = Field(description="the public id of its item")
    title: str
    url: str = Field(description="the joint statement's page")
    published_at: datetime | None
    signed_at: datetime = Field(description="when the signature was added to the list")
    group: str = Field(description="the group the list puts the organisation in")
    evidence: str = Field(
        description="what the signature rests on: an editor, the statement's page, a later "
        "revision of it, a copy on another site"
    )
    signatories: int = Field(description="how many the statement's list holds")


class SigningHistory(BaseModel):
    organization: OrgLabel
    items: list[Signing]
    next_cursor: str | None


def _next(kind: str, start: int, shown: int, limit: int) -> str | None:
    return cursors.encode(kind, start + limit) if shown > limit else None


@router.get(
    "/cosignatures",
    response_model=CoSignatureList,
    responses={**NOT_MODIFIED, **problems(400)},
    summary="Co-signatures",
)
def list_cosignatures(
    request: Request, who: CallerDep, org: Text = None, limit: Limit = 50, cursor: Cursor = None
) -> Response:
    """Pairs of organisations with the number of published joint statements both signed, most
    first; with `org`, that organisation's partners."""
    start = cursors.offset(cursor, "cosign")

    def build(conn: Connection) -> CoSignatureList:
        found = cosign.pairs(conn, org_id=org or None, limit=limit + 1, offset=start)
        return CoSignatureList(
            items=[
                CoSignature(
                    organizations=[
                        OrgLabel(id=p.first.id, name=p.first.name),
                        OrgLabel(id=p.second.id, name=p.second.name),
                    ],
                    statements=p.statements,
                    latest=p.latest,
                )
                for p in found[:limit]
            ],
            next_cursor=_next("cosign", start, len(found), limit),
        )

    return answer(request, build, private=who.newsroom)


@router.get(
    "/organizations/{org_id}/signatures",
    response_model=SigningHistory,
    responses={**NOT_MODIFIED, **problems(400, 404)},
    summary="An organisation's signing history",
)
def signing_history(
    request: Request, who: CallerDep, org_id: Key, limit: Limit = 50, cursor: Cursor = None
) -> Response:
    """The published joint statements the organisation signed, the latest signature first,
    each with the date it signed, its group on the list and the evidence."""
    start = cursors.offset(cursor, "signed")
    base = site(request)

    def build(conn: Connection) -> SigningHistory:
        target = org_redirect(conn, org_id) or org_id
        label = org_labels(conn, [target]).get(target)
        if label is None:
            raise HTTPException(404, f"No organisation {org_id!r}.")
        found = cosign.signing_history(conn, target, limit=limit + 1, offset=start)
        return SigningHistory(
            organization=OrgLabel(id=label.id, name=label.name),
            items=[
                Signing(
                    joint_statement=s.joint_public_id,
                    item_id=s.item_public_id,
                    title=s.title,
                    url=f"{base}/joint-statements/{s.joint_public_id}",
                    published_at=s.published_at,
                    signed_at=s.signed_at,
                    group=s.group,
                    evidence=s.evidence,
                    signatories=s.signatories,
                )
                for s in found[:limit]
            ],
            next_cursor=_next("signed", start, len(found), limit),
        )

    return answer(request, build, private=who.newsroom)

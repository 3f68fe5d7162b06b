"""The JSON API, version 1: one router under ``/api/v1`` made of the parts by concern.

Every route counts the request against the caller's rate limit first, then refuses a bearer
token that is not one, and text no database can store.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from tribune.web.api import (
    cosign,
    edits,
    items,
    joint,
    joint_suggestions,
    kb,
    roles,
    search,
    stories,
    story_suggestions,
)
from tribune.web.api.auth import refuse_bad_token
from tribune.web.api.limits import rate_limit
from tribune.web.api.params import PREFIX, problems, storable_text

router = APIRouter(
    prefix=PREFIX,
    dependencies=[Depends(rate_limit), Depends(refuse_bad_token), Depends(storable_text)],
    responses=problems(401, 422, 429),
)
for part in (
    items,
    edits,
    kb,
    stories,
    story_suggestions,
    joint,
    joint_suggestions,
    cosign,
    search,
    roles,
):
    router.include_router(part.router)

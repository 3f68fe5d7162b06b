"""Reader pages of stories and joint statements.

``/stories`` and ``/stories/{slug}``: a compilation's entries in the order they were added, each
with who spoke and the editor's sub-headline, and whether the story is still "To be updated" or
"Updated"; its feeds at the same path plus ``.atom``, ``.rss`` or ``.json``.
``/joint-statements`` and ``/joint-statements/{id}``: the text, the initiators, the signatories
grouped as the statement groups them, and the dated history of the list. Feed routes come first:
``/stories/{slug}`` would otherwise take ``slug.atom`` for a slug (slugs never hold a dot).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Connection

from tribune.reading.joint import find_joint, list_joint
from tribune.reading.listing import Filters
from tribune.reading.responses import responses
from tribune.reading.stories import find_story, list_stories
from tribune.web.public.feeds import base_url, feed_response
from tribune.web.render import Built, cached_response, render

router = APIRouter()
PER_PAGE = 50
NO_STORY = "There is no story at this address."
NO_STATEMENT = "There is no published joint statement at this address."


def _page_number(page: int) -> int:
    if page < 1 or page > 10_000:
        raise HTTPException(404, "There is no such page of this list.")
    return page


@router.get("/stories", response_class=Response)
def stories_index(request: Request, page: int = 1) -> Response:
    page = _page_number(page)

    def build(conn: Connection) -> Built:
        found = list_stories(conn, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE)
        body = render(
            request,
            "stories.html",
            stories=found[:PER_PAGE],
            page=page,
            more=len(found) > PER_PAGE,
        )
        return Built(body)

    return cached_response(request, build)


@router.get("/stories/{slug}.{fmt}", response_class=Response)
def story_feed(request: Request, slug: str, fmt: str) -> Response:
    with request.app.state.db.read() as conn:
        story = find_story(conn, slug)
    if story is None:
        raise HTTPException(404, NO_STORY)
    if slug != story.slug:  # reached by its public id
        return RedirectResponse(f"/stories/{story.slug}.{fmt}", status_code=301)
    return feed_response(
        request, fmt, story.title, f"/stories/{story.slug}", Filters(story_id=story.id)
    )


@router.get("/stories/{slug}", response_class=Response)
def story_page(request: Request, slug: str) -> Response:
    def build(conn: Connection) -> Built:
        story = find_story(conn, slug)
        if story is None:
            raise HTTPException(404, NO_STORY)
        if slug != story.slug:  # reached by its public id
            return Built(b"", status=301, location=f"/stories/{story.slug}")
        body = render(
            request,
            "story.html",
            story=story,
            responses=responses(conn, story),
            feeds=f"/stories/{story.slug}",
            feed_title=story.title,
        )
        return Built(body)

    return cached_response(request, build)


@router.get("/joint-statements", response_class=Response)
def joint_index(request: Request) -> Response:
    def build(conn: Connection) -> Built:
        return Built(render(request, "joints.html", statements=list_joint(conn, limit=PER_PAGE)))

    return cached_response(request, build)


@router.get("/joint-statements/{public_id}", response_class=Response)
def joint_page(request: Request, public_id: str) -> Response:
    def build(conn: Connection) -> Built:
        view = find_joint(conn, public_id)
        if view is None:
            raise HTTPException(404, NO_STATEMENT)
        if public_id != view.public_id:  # reached by its item's public id
            return Built(b"", status=301, location=f"/joint-statements/{view.public_id}")
        canonical = f"{base_url(request)}/joint-statements/{view.public_id}"
        body = render(request, "joint.html", joint=view, card=view.item.card, canonical=canonical)
        return Built(body)

    return cached_response(request, build)

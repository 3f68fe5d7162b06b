"""The stories stage's suggestions on the API: compilations to start and entries to add, and
an editor's answers to them (see :mod:`tribune.newsroom.story_suggestions`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from tribune.newsroom import story_suggestions as suggest
from tribune.newsroom.policy import Action, Actor
from tribune.newsroom.stories import StoryError, StoryNotFound
from tribune.web.api.auth import CallerDep, allowed, newsroom_only
from tribune.web.api.caching import answer, json_response
from tribune.web.api.edits import needs
from tribune.web.api.params import NOT_MODIFIED, Key, problems

router = APIRouter(tags=["stories"])
Editor = Annotated[Actor, Depends(allowed(Action.EDIT_STORIES))]
SHOWN = 50


class SuggestedMember(BaseModel):
    item: str
    title: str
    organization: str | None
    label: str
    published_at: datetime
    edition: bool = Field(description="Another language's edition of a member: not an entry.")


class CompilationSuggestion(BaseModel):
    story: str = Field(description="The candidate story's public id.")
    summary: str = Field(examples=["3 parties have spoken on …: TKP, KKE, PCP"])
    headline: str = Field(description="The compilation's headline if accepted as it is.")
    organizations: list[str]
    members: list[SuggestedMember]


class EntrySuggestion(BaseModel):
    story: str
    story_title: str
    item: str
    item_title: str
    label: str


class StorySuggestions(BaseModel):
    compilations: list[CompilationSuggestion]
    entries: list[EntrySuggestion]


class CompilationAnswer(BaseModel):
    topic: str = Field(
        default="",
        max_length=300,
        description="The headline before the acronyms; empty: the first statement's title.",
    )


class Answered(BaseModel):
    story: str
    slug: str | None = None
    position: int | None = None


def _problem(call: object) -> object:
    try:
        return call()  # type: ignore[operator]
    except StoryNotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except StoryError as exc:
        raise HTTPException(409, str(exc)) from None


@router.get(
    "/story-suggestions",
    response_model=StorySuggestions,
    responses={**NOT_MODIFIED, **problems(401, 403)},
    summary="Compilations and entries the stories stage proposes",
)
def story_suggestions(request: Request, who: CallerDep) -> Response:
    """For the newsroom: candidate stories where two or more organisations have spoken within
    a few days, and items linked to accepted compilations that are not entries yet."""
    newsroom_only(who, "Suggestions")

    def build(conn: Connection) -> StorySuggestions:
        return StorySuggestions(
            compilations=[
                CompilationSuggestion(
                    story=c.story_public_id,
                    summary=c.summary,
                    headline=c.headline,
                    organizations=c.org_ids,
                    members=[
                        SuggestedMember(
                            item=m.item_public_id,
                            title=m.title,
                            organization=m.org_id,
                            label=m.org_short,
                            published_at=m.when,
                            edition=m.edition,
                        )
                        for m in c.members
                    ],
                )
                for c in suggest.compilation_suggestions(conn, limit=SHOWN)
            ],
            entries=[
                EntrySuggestion(
                    story=e.story_public_id,
                    story_title=e.story_title,
                    item=e.item_public_id,
                    item_title=e.item_title,
                    label=e.org_short,
                )
                for e in suggest.entry_suggestions(conn, limit=SHOWN)
            ],
        )

    return answer(request, build, private=True)


def _compilation(accept: bool) -> object:
    def answer_it(
        request: Request, actor: Editor, story_id: Key, body: CompilationAnswer | None = None
    ) -> Response:
        db = request.app.state.db
        topic = body.topic if body else ""
        slug = _problem(
            lambda: suggest.answer_compilation(db, actor, story_id, accept=accept, topic=topic)
        )
        return json_response(Answered(story=story_id, slug=str(slug) if accept else None))

    verb = "accept" if accept else "reject"
    answer_it.__name__ = f"{verb}_compilation"
    answer_it.__doc__ = (
        "Start the suggested compilation: its headline lists the acronyms and ends "
        '"(To be updated)"; its statements become entries. 409 when none is proposed.'
        if accept
        else "Refuse the suggested compilation; it is not proposed again."
    )
    return answer_it


def _entry(accept: bool) -> object:
    def answer_it(request: Request, actor: Editor, story_id: Key, item_id: Key) -> Response:
        db = request.app.state.db
        position = _problem(
            lambda: suggest.answer_entry(db, actor, story_id, item_id, accept=accept)
        )
        return json_response(
            Answered(story=story_id, position=int(position) if accept else None)  # type: ignore[call-overload]
        )

    verb = "accept" if accept else "reject"
    answer_it.__name__ = f"{verb}_entry"
    answer_it.__doc__ = (
        "Append the suggested item to the story (the next position). 409 when not proposed."
        if accept
        else "Refuse the suggested item for this story; it is not proposed again."
    )
    return answer_it


for _accept in (True, False):
    _verb = "accept" if _accept else "reject"
    router.add_api_route(
        f"/stories/{{story_id}}/{_verb}-compilation",
        _compilation(_accept),  # type: ignore[arg-type]
        methods=["POST"],
        response_model=Answered,
        responses=problems(401, 403, 404, 409),
        openapi_extra=needs(Action.EDIT_STORIES),
        summary=f"{_verb.capitalize()} a suggested compilation",
    )
    router.add_api_route(
        f"/stories/{{story_id}}/suggested-entries/{{item_id}}/{_verb}",
        _entry(_accept),  # type: ignore[arg-type]
        methods=["POST"],
        response_model=Answered,
        responses=problems(401, 403, 404, 409),
        openapi_extra=needs(Action.EDIT_STORIES),
        summary=f"{_verb.capitalize()} an item suggested for a story",
    )

"""The stories stage's suggestions in the newsroom: compilations to start, entries to add.

The inbox and the stories page show them (``editor/_story_suggestions.html``, fed by the
template global :func:`story_suggestions`). Each answer is a form posted with the session's
CSRF token; it comes back with a 303 to the page it came from, or answers 409 when the
suggestion is gone (another editor answered it, or the stage ran again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from tribune.newsroom import story_suggestions as suggest
from tribune.newsroom.policy import Action
from tribune.newsroom.sessions import Session
from tribune.newsroom.stories import StoryError, StoryNotFound
from tribune.web.editor.auth import allowed
from tribune.web.editor.forms import Back, Token, item_key, refuse, return_path, submit

router = APIRouter()
StoryEditor = Annotated[Session, Depends(allowed(Action.EDIT_STORIES))]
Answer = Annotated[str, Form(max_length=10)]
SHOWN = 10  # suggestions of each kind on a page


@dataclass(frozen=True)
class StorySuggestions:
    compilations: list[suggest.CompilationSuggestion]
    entries: list[suggest.EntrySuggestion]


def story_suggestions(request: Request) -> StorySuggestions:
    """What the stories stage proposes now (a template global)."""
    with request.app.state.db.read() as conn:
        return StorySuggestions(
            suggest.compilation_suggestions(conn, limit=SHOWN),
            suggest.entry_suggestions(conn, limit=SHOWN),
        )


def _accepting(answer: str) -> bool:
    if answer not in ("accept", "reject"):
        raise StoryError("answer accept or reject")
    return answer == "accept"


REFUSALS = {StoryNotFound: refuse(404), StoryError: refuse(409)}


@router.post("/editor/stories/{public_id}/suggestion", response_class=Response)
def answer_compilation(
    request: Request,
    public_id: str,
    session: StoryEditor,
    answer: Answer = "",
    topic: Annotated[str, Form(max_length=400)] = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    """Start the suggested compilation (under the editor's *topic*) or refuse it."""

    def done(slug: str) -> tuple[str, str]:
        if answer == "accept":
            return f"/editor/stories/{public_id}", "compilation-started"
        return return_path(back, "/editor/inbox"), "compilation-refused"

    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: suggest.answer_compilation(
            db, actor, public_id, accept=_accepting(answer), topic=topic
        ),
        REFUSALS,
        done,
    )


@router.post("/editor/stories/{public_id}/suggested-entries", response_class=Response)
def answer_entry(
    request: Request,
    public_id: str,
    session: StoryEditor,
    item: Annotated[str, Form(max_length=500)] = "",
    answer: Answer = "",
    csrf_token: Token = "",
    back: Back = "",
) -> Response:
    """Append the suggested item to the story, or refuse it."""
    return submit(
        request,
        session,
        csrf_token,
        lambda db, actor: suggest.answer_entry(
            db, actor, public_id, item_key(item), accept=_accepting(answer)
        ),
        REFUSALS,
        lambda _: (
            return_path(back, f"/editor/stories/{public_id}"),
            "entry-added" if answer == "accept" else "entry-refused",
        ),
    )

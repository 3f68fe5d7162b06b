"""What the newsroom's story and joint-statement forms share: making the change a form asks for,
answering a refused one, and going back to the page the form came from."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, TypeVar

from fastapi import Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tribune.db.engine import Database
from tribune.newsroom.policy import Actor
from tribune.newsroom.sessions import Session
from tribune.web.editor.auth import check_csrf

_ITEM_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)

Token = Annotated[str, Form()]
Back = Annotated[str, Form(max_length=500)]
Refusal = Callable[[str], Response]  # the answer to a refused change, given the reason
T = TypeVar("T")


def refuse(code: int) -> Refusal:
    """A refusal that is the error page with status *code* and the reason."""

    def answer(reason: str) -> Response:
        raise HTTPException(code, reason) from None

    return answer


def return_path(target: str, default: str) -> str:
    """Where a form returns: a newsroom page, never another site."""
    if target.startswith("/editor/") and "//" not in target and "\\" not in target:
        return target
    return default


def item_key(text: str) -> str:
    """An item's public id, also out of a pasted address of its page."""
    found = _ITEM_ID.search(text)
    return found.group(0).lower() if found else text.strip()


def submit(
    request: Request,
    session: Session,
    csrf_token: str,
    change: Callable[[Database, Actor], T],
    refusals: Mapping[type[Exception], Refusal],
    done: Callable[[T], tuple[str, str]],
) -> Response:
    """Make the change a form asks for: check its CSRF token, make *change* as the session's
    user, and go back with a 303 to the page *done* gives, saying what was done. An error
    named in *refusals* is answered by its refusal instead."""
    check_csrf(session, csrf_token)
    try:
        result = change(request.app.state.db, session.user.actor())
    except tuple(refusals) as exc:
        refusal = next(answer for kind, answer in refusals.items() if isinstance(exc, kind))
        return refusal(str(exc))
    target, what = done(result)
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{joiner}done={what}", status_code=303)

"""Who is calling the API: a bearer token, else the newsroom session cookie, else nobody.

``Authorization: Bearer <token>`` names an API token (``tribune tokens add``); its scopes say
what it may do, through the one permissions policy. Without the header, a logged-in editor's
session cookie counts, with its role; writes made that way must carry the session's CSRF token
in ``X-CSRF-Token`` (the one the newsroom's forms hold), so a page elsewhere cannot make a
browser write with its cookie. A header that names no token is refused (401), never taken as
anonymous.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from tribune.newsroom.policy import POLICY, SCOPES, Action, Actor
from tribune.newsroom.users import token_actor
from tribune.web.editor.auth import current_session

CSRF_HEADER = "X-CSRF-Token"
MAX_TOKEN = 200

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token (`tribune tokens add NAME --scopes ...`). Reads need none; "
    "the inbox, other statuses and suggestions need any token, writes a token with a scope "
    "that grants them (see each operation's `x-scopes`).",
)


@dataclass(frozen=True)
class Caller:
    actor: Actor | None
    via: str  # anonymous, token, session, invalid
    client: str  # the key its requests are counted under
    csrf: str = ""

    @property
    def newsroom(self) -> bool:
        """Whether it may see the inbox, every status and the suggestions."""
        return POLICY.allows(self.actor, Action.READ_NEWSROOM)


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The caller of this request (resolved once per request)."""
    address = f"ip:{_address(request)}"
    if "authorization" in request.headers:
        token = credentials.credentials if credentials else ""
        if not token or len(token) > MAX_TOKEN:
            return Caller(None, "invalid", address)
        with request.app.state.db.read() as conn:
            actor = token_actor(conn, token)
        if actor is None:
            return Caller(None, "invalid", address)
        return Caller(actor, "token", f"token:{actor.name}")
    session = current_session(request)
    if session is not None:
        return Caller(
            session.user.actor(), "session", f"user:{session.user.name}", session.csrf_token
        )
    return Caller(None, "anonymous", address)


CallerDep = Annotated[Caller, Depends(caller)]


def unauthorized(detail: str, error: str = "") -> HTTPException:
    challenge = 'Bearer realm="tribune"' + (f', error="{error}"' if error else "")
    return HTTPException(401, detail, {"WWW-Authenticate": challenge})


def refuse_bad_token(who: CallerDep) -> None:
    """A router dependency: a token that is not one is refused, on reads too."""
    if who.via == "invalid":
        raise unauthorized("The bearer token is not a token of this site.", "invalid_token")


def scopes_for(action: Action) -> list[str]:
    """The token scopes that grant *action*."""
    return [scope for scope, actions in SCOPES.items() if action in actions]


def allowed(action: Action) -> Callable[[Request, Caller], Actor]:
    """A route dependency: the actor, when it may do *action*; 401 for anonymous callers, 403
    for others (and for a session write without its CSRF token)."""

    def check(request: Request, who: CallerDep) -> Actor:
        if who.actor is None:
            raise unauthorized(
                f"Sign in: send a token with one of the scopes {', '.join(scopes_for(action))}."
            )
        if not POLICY.allows(who.actor, action):
            raise HTTPException(403, f"{who.actor.label} may not {action.value.replace('-', ' ')}.")
        if who.via == "session":
            sent = request.headers.get(CSRF_HEADER, "")
            if not sent or not hmac.compare_digest(sent, who.csrf):
                raise HTTPException(403, f"A write with a session cookie needs {CSRF_HEADER}.")
        return who.actor

    return check


def newsroom_only(who: Caller, what: str) -> None:
    """Refuse *what* to callers outside the newsroom (401 anonymous, 403 others)."""
    if who.newsroom:
        return
    if who.actor is None:
        raise unauthorized(f"{what} needs a token or an editor's session.")
    raise HTTPException(403, f"{who.actor.label} may not read the newsroom.")

"""Login, logout, and the checks every newsroom route makes: a session, a role, a CSRF token.

The session cookie is HttpOnly and SameSite=Lax, and Secure when the request came over https.
Every form carries the session's CSRF token (the login form a token of its own, paired with a
short-lived cookie). Logins are throttled per user name and per client address, in the
database, so the limit holds across worker processes.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tribune.newsroom import sessions, throttle
from tribune.newsroom.policy import POLICY, Action, NotAllowed
from tribune.newsroom.sessions import Session
from tribune.newsroom.users import authenticate
from tribune.web.render import HTML, render

router = APIRouter()
COOKIE = "tribune_session"
LOGIN_COOKIE = "tribune_login"
LOGIN_LIMIT, LOGIN_IP_LIMIT, LOGIN_WINDOW_S = 5, 30, 300.0


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def current_session(request: Request) -> Session | None:
    token = request.cookies.get(COOKIE, "")
    return sessions.find(request.app.state.db, token) if token else None


def require(request: Request, action: Action = Action.READ_NEWSROOM) -> Session:
    """The session of a user allowed *action*: anonymous visitors are sent to the login page
    (GET) or refused (other methods); a user whose role does not allow it gets 403."""
    session = current_session(request)
    if session is None:
        if request.method == "GET":
            target = quote(
                request.url.path + (f"?{request.url.query}" if request.url.query else "")
            )
            raise HTTPException(303, "Log in first.", {"Location": f"/editor/login?next={target}"})
        raise HTTPException(403, "Log in first.")
    try:
        POLICY.require(session.user.actor(), action)
    except NotAllowed as exc:
        raise HTTPException(403, str(exc)) from None
    return session


def allowed(action: Action = Action.READ_NEWSROOM) -> Callable[[Request], Session]:
    """A route dependency making :func:`require`'s check for *action*. Dependencies run before
    the form is validated, so anonymous visitors and users without the right are refused (303
    or 403) whatever the request holds, never answered with the form's validation errors."""

    def session_allowed(request: Request) -> Session:
        return require(request, action)

    return session_allowed


def check_csrf(session: Session, token: str) -> None:
    if not token or not hmac.compare_digest(token, session.csrf_token):
        raise HTTPException(403, "The form's security token is missing or stale; reload the page.")


def _safe_next(target: str) -> str:
    return target if target.startswith("/editor") and "//" not in target else "/editor/inbox"


def _login_page(request: Request, next_: str, message: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    body = render(request, "editor/login.html", csrf=token, next=next_, message=message)
    response = Response(body, status_code=status, media_type=HTML)
    response.set_cookie(
        LOGIN_COOKIE, token, max_age=3600, httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


@router.get("/editor/login", response_class=Response)
def login_form(request: Request, next: str = "/editor/inbox") -> Response:
    return _login_page(request, _safe_next(next))


@router.post("/editor/login", response_class=Response)
def login(
    request: Request,
    name: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/editor/inbox",
) -> Response:
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not csrf_token or not expected or not hmac.compare_digest(csrf_token, expected):
        raise HTTPException(403, "The login form's security token is missing or stale.")
    db = request.app.state.db
    client = request.client.host if request.client else "unknown"
    for key, limit in (
        (f"login:{name.strip().lower()}", LOGIN_LIMIT),
        (f"login-ip:{client}", LOGIN_IP_LIMIT),
    ):
        wait = throttle.hit(db, key, limit, LOGIN_WINDOW_S)
        if wait is not None:
            response = _login_page(
                request, _safe_next(next), f"Too many attempts; try again in {int(wait)} s.", 429
            )
            response.headers["Retry-After"] = str(int(wait))
            return response
    user = authenticate(db, name, password)
    if user is None:
        return _login_page(request, _safe_next(next), "Wrong name or password.", 401)
    throttle.clear(db, f"login:{name.strip().lower()}")
    token = sessions.start(db, user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(sessions.SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE)
    return response


@router.post("/editor/logout", response_class=Response)
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    session = require(request)
    check_csrf(session, csrf_token)
    sessions.end(request.app.state.db, request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response

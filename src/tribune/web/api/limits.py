"""Rate limits of the API: so many requests a minute per client, counted in the database.

Anonymous clients (and bearers of a token that is not one) are counted by address, token
holders by token name, editors using their session by user name; the limit is the setting
``api_rate_limit_per_minute`` (0: none). Past it, a client gets 429 with ``Retry-After``: the
seconds until its window starts again. The counters live in the ``rate_limits`` table
(:mod:`tribune.newsroom.throttle`), so the limit holds across worker processes.
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from tribune.newsroom import throttle
from tribune.web.api.auth import CallerDep

WINDOW_S = 60.0


def rate_limit(request: Request, who: CallerDep) -> None:
    """A router dependency: count this request; 429 past the limit."""
    limit: int = request.app.state.settings.api_rate_limit_per_minute
    if limit <= 0:
        return
    wait = throttle.hit(request.app.state.db, f"api:{who.client}", limit, WINDOW_S)
    if wait is not None:
        seconds = str(int(wait))
        raise HTTPException(
            429,
            f"More than {limit} requests a minute: try again in {seconds} s.",
            {"Retry-After": seconds},
        )

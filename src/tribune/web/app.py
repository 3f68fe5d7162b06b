"""The FastAPI application factory: reader site, newsroom, feeds and the JSON API in one app.

The app holds no state of its own beyond a cache of rendered pages: sessions, rate limits and
the cache generation live in the database, so any number of workers can serve one site.
"""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from tribune import __version__
from tribune.config import Settings, get_settings
from tribune.db.engine import Database
from tribune.web import api, errors
from tribune.web.editor.stories import story_tools
from tribune.web.render import TEMPLATES, PageCache, make_environment
from tribune.web.security import SecurityHeaders

STATIC = TEMPLATES.parent / "static"

# Each module has a ``router``; reader routes with fixed paths come before catch-alls.
ROUTERS = (
    "tribune.web.api.router",
    "tribune.web.public.front",
    "tribune.web.public.feeds",
    "tribune.web.public.pages",
    "tribune.web.public.search",
    "tribune.web.public.meta",
    "tribune.web.public.item",
    "tribune.web.public.stories",
    "tribune.web.editor.auth",
    "tribune.web.editor.inbox",
    "tribune.web.editor.stories",
    "tribune.web.editor.entities",
    "tribune.web.editor.sources",
    "tribune.web.editor.kb",
)


def create_app(db: Database | None = None, settings: Settings | None = None) -> FastAPI:
    """The app on *db* (default: the configured database)."""
    settings = settings or get_settings()
    db = db or Database(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    app = FastAPI(
        title="Tribune",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.db = db
    app.state.settings = settings
    app.state.cache = PageCache()
    app.state.templates = make_environment()
    # the item edit page's story and joint-statement tools (editor/_story_tools.html)
    app.state.templates.globals["story_tools"] = story_tools
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for name in ROUTERS:
        app.include_router(importlib.import_module(name).router)

    @app.get("/healthz", include_in_schema=False, response_class=PlainTextResponse)
    def healthz() -> str:
        """A static answer: for load balancers, and the benchmarks' baseline."""
        return "ok"

    errors.install(app)
    api.install(app)  # the API's own OpenAPI document, and CORS on /api/
    app.add_middleware(SecurityHeaders)
    return app


def app_from_environment() -> FastAPI:
    """The app for ``uvicorn --factory tribune.web.app:app_from_environment`` (each worker)."""
    return create_app()

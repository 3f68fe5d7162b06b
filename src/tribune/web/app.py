"""The FastAPI application factory: reader site, newsroom, feeds and the JSON API in one app.

The app holds no state of its own beyond a cache of rendered pages: sessions, rate limits and
the cache generation live in the database, so any number of workers can serve one site.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from tribune import __version__
from tribune.config import Settings, get_settings
from tribune.db.engine import POOL_SIZE, Database
from tribune.web import api, errors
from tribune.web.editor.stories import story_tools
from tribune.web.editor.story_suggestions import story_suggestions
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
    "tribune.web.editor.story_suggestions",
    "tribune.web.editor.joint_statements",
    "tribune.web.editor.joint_suggestions",
    "tribune.web.editor.entities",
    "tribune.web.editor.sources",
    "tribune.web.editor.kb",
    "tribune.web.editor.roles",
)


# Threads that run the routes (which are synchronous): one database connection each, kept open
# in the pool. More threads would not serve more pages on a few cores, only make each wait longer
# for the interpreter; further requests wait in the event loop.
ROUTE_THREADS = POOL_SIZE


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    anyio.to_thread.current_default_thread_limiter().total_tokens = ROUTE_THREADS
    yield


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
        lifespan=_lifespan,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.cache = PageCache()
    app.state.templates = make_environment()
    # the item edit page's story and joint-statement tools (editor/_story_tools.html)
    app.state.templates.globals["story_tools"] = story_tools
    app.state.templates.globals["story_suggestions"] = story_suggestions
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
    app = create_app()
    settle_heap()
    return app


def settle_heap() -> None:
    """Hide what start-up made (modules, templates, the KB's tables) from the cyclic garbage
    collector, once the app is built and before it serves. Otherwise each full collection
    walks all of it, pausing every request in flight: without this, under load, one request in
    a hundred took about 100 ms longer. For server processes only: frozen cycles are never
    collected."""
    gc.collect()
    gc.freeze()

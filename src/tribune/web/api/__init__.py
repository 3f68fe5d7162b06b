"""The JSON API (``/api/v1``): reads for anyone, the newsroom's writes for tokens and editors.

:mod:`tribune.web.api.router` holds the routes; :func:`install` adds what the app needs around
them: the OpenAPI document of the API alone, and CORS on ``/api/`` paths.
"""

from __future__ import annotations

from fastapi import FastAPI

from tribune.web.api import openapi
from tribune.web.api.cors import ApiCors


def install(app: FastAPI) -> None:
    openapi.install(app)
    app.add_middleware(ApiCors)

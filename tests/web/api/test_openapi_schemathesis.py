"""The OpenAPI document describes the API truthfully: it is valid OpenAPI 3, lists exactly the
API's routes, and Schemathesis, generating requests from it against a real server on each
database, finds no server error and no answer that breaks the documented schemas."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from apikit import Api, prepare
from fastapi import routing
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tribune.config import Settings
from tribune.db.engine import Database
from tribune.web.app import create_app

CHECKS = [not_a_server_error, response_schema_conformance]
# examples per operation: reads (anonymous), writes (a token of every scope), on known ids
READS, WRITES, KNOWN = 20, 8, 6
BUDGET_S = 180.0  # per backend: it takes 30-60 s on a busy two-core machine


@pytest.fixture
def api(backend: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Api:
    """The seeded site, without a rate limit (Schemathesis makes hundreds of requests)."""
    monkeypatch.setenv("TRIBUNE_API_RATE_LIMIT_PER_MINUTE", "0")
    return prepare(request.getfixturevalue("site"))


def api_routes(db: Database) -> set[tuple[str, str]]:
    app = create_app(db, Settings(database_url=db.url))
    contexts: Iterable[Any] = routing.iter_route_contexts(app.routes)
    found = set()
    for route in contexts:
        original = getattr(route, "original_route", route)
        if isinstance(original, APIRoute) and route.path.startswith("/api/"):
            found |= {(m.lower(), route.path) for m in route.methods or ()}
    return found


def test_the_document_is_valid_openapi_3_of_the_api_alone(api: Api) -> None:
    response = requests.get(f"{api.url}/api/v1/openapi.json", timeout=30)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    schemathesis.openapi.from_dict(doc).validate()  # against the OpenAPI meta-schema
    listed = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert listed == api_routes(api.db)
    assert all(p.startswith("/api/v1/") for _, p in listed)
    for path in ("/api/v1/items", "/api/v1/stories/{story_id}/responses", "/api/v1/search"):
        assert ("get", path) in listed
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            problems = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
            assert {"401", "422", "429"} <= set(problems), (method, path)
            for answer in problems.values():
                assert list(answer["content"]) == ["application/problem+json"]
            if method == "get":
                assert {} in operation["security"]  # reads need no token
            else:
                assert operation["x-scopes"], (method, path)
                assert {} not in operation["security"]
    assert doc["components"]["securitySchemes"]["token"]["scheme"].lower() == "bearer"


def _run(
    operation: Any,
    base: str,
    session: requests.Session,
    headers: dict[str, str],
    examples: int,
    statuses: Counter[int],
    **fixed: Any,
) -> None:
    strategy = operation.as_strategy(**fixed)

    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def check(case: Any) -> None:
        response = case.call(base_url=base, session=session, headers=headers, timeout=60)
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS)

    check()


def test_schemathesis_finds_no_server_error_and_no_schema_break(api: Api) -> None:
    started = time.monotonic()
    schema = schemathesis.openapi.from_url(f"{api.url}/api/v1/openapi.json", timeout=30)
    known = {
        "item_id": api.ids["tkp-izmir"],
        "story_id": api.story,
        "joint_id": api.joint,
        "org_id": "gr-kke",
        "event_id": "imcwp-21",
        "suggestion_id": "0" * 32,  # a role suggestion (none in this site: answered 404)
    }
    token = {"Authorization": f"Bearer {api.tokens['all']}"}
    ran = 0
    statuses: Counter[int] = Counter()
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            method = operation.method.upper()
            if method == "GET":  # anonymous reads of anything
                _run(operation, api.url, session, {}, READS, statuses)
            else:  # writes with a token of every scope
                _run(operation, api.url, session, token, WRITES, statuses)
            names = {p.name for p in operation.path_parameters}
            if names:  # and on things that exist, as the newsroom
                fixed = {n: known[n] for n in names}
                _run(operation, api.url, session, token, KNOWN, statuses, path_parameters=fixed)
            ran += 1
    assert ran == len(api_routes(api.db))
    # the answers were not all refusals: lists, known entries and writes went through
    assert statuses[200] > 100
    assert statuses[201] > 0
    assert statuses[404] > 0
    assert time.monotonic() - started < BUDGET_S

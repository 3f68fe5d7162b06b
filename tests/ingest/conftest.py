"""Fixtures of the ingest tests: loopback HTTP servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from httpserver import TestServer


@pytest.fixture
def server() -> Iterator[TestServer]:
    """A running loopback server, stopped after the test."""
    srv = TestServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def make_server() -> Iterator[Callable[[], TestServer]]:
    """A factory of further servers (each on its own port), all stopped after the test."""
    started: list[TestServer] = []

    def make() -> TestServer:
        srv = TestServer().start()
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop()

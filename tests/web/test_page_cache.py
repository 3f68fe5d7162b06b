"""The page cache builds a page once at a time, however many requests wait for it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tribune.web.render import Built, Cached, PageCache

WAITING = 12


class SlowBuild:
    """A page build that blocks until released, counting its calls."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def __call__(self) -> Built:
        with self._lock:
            self.calls += 1
        self.started.set()
        assert self.release.wait(10)
        return Built(self.body)


def _request_all(cache: PageCache, gen: int, make: SlowBuild, *, stale: bool) -> list[Cached]:
    """The first request's answer, then the others', all sent while the first one builds."""
    with ThreadPoolExecutor(WAITING) as pool:
        first = pool.submit(cache.build, "/", gen, make)
        assert make.started.wait(10)
        others = [pool.submit(cache.build, "/", gen, make) for _ in range(WAITING - 1)]
        answered = [f.result(10) for f in others] if stale else []  # without waiting
        make.release.set()
        return [first.result(10), *(answered or [f.result(10) for f in others])]


def test_after_a_change_one_request_rebuilds_and_the_others_get_the_page_before() -> None:
    cache = PageCache()
    cache.build("/", 1, lambda: Built(b"old"))
    make = SlowBuild(b"new")
    answers = _request_all(cache, 2, make, stale=True)
    assert make.calls == 1
    assert answers[0].built.body == b"new"
    assert {a.built.body for a in answers[1:]} == {b"old"}
    entry = cache.get("/", 2)
    assert entry is not None
    assert entry.built.body == b"new"


def test_without_a_page_before_the_requests_wait_for_the_one_build() -> None:
    cache = PageCache()
    make = SlowBuild(b"first")
    answers = _request_all(cache, 1, make, stale=False)
    assert make.calls == 1
    assert {a.built.body for a in answers} == {b"first"}
    assert {a.generation for a in answers} == {1}


def test_a_failed_build_leaves_the_next_request_to_build() -> None:
    cache = PageCache()

    def broken() -> Built:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        cache.build("/", 1, broken)
    assert cache.build("/", 1, lambda: Built(b"again")).built.body == b"again"

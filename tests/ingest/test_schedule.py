from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tribune.ingest.schedule import (
    REFETCH_AFTER,
    interval_after_error,
    interval_after_success,
    next_check,
    next_refetch,
)

HOUR, DAY = 3600, 86400


def test_polling_follows_the_publishing_rate_within_bounds() -> None:
    assert interval_after_success(0, 900, DAY) == DAY
    assert interval_after_success(7, 900, DAY) == DAY  # one a day
    assert interval_after_success(168, 900, DAY) == HOUR  # one an hour
    assert interval_after_success(10_000, 900, DAY) == 900  # never below the minimum


def test_errors_back_off_exponentially_up_to_the_maximum() -> None:
    steps = [interval_after_error(n, 900, DAY, jitter=0) for n in range(1, 9)]
    assert steps[:4] == [900, 1800, 3600, 7200]
    assert steps[-1] == DAY
    assert steps == sorted(steps)
    rng = random.Random(1)
    jittered = {interval_after_error(3, 900, DAY, rng=rng) for _ in range(50)}
    assert len(jittered) > 1
    assert all(3600 * 0.9 <= j <= 3600 * 1.1 for j in jittered)


def test_retry_after_is_honoured() -> None:
    now = datetime(2024, 5, 1, tzinfo=UTC)
    assert next_check(now, 900) == now + timedelta(seconds=900)
    assert next_check(now, 900, retry_after_s=7200) == now + timedelta(hours=2)
    assert next_check(now, 900, retry_after_s=60) == now + timedelta(seconds=900)


def test_items_are_refetched_on_a_decaying_schedule() -> None:
    seen = datetime(2024, 5, 1, tzinfo=UTC)
    times = [next_refetch(seen, n) for n in range(len(REFETCH_AFTER) + 1)]
    assert times[0] == seen + timedelta(hours=1)
    assert times[2] == seen + timedelta(days=1)
    assert times[5] == seen + timedelta(days=14)
    assert times[6] is None

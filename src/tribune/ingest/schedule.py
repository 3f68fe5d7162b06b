"""When to poll a source next, and when to look at an item again: polling state as data.

- After a success the interval follows how often the source publishes, as Miniflux's
  entry-frequency scheduler does: a week divided by the entries of the last week, kept between
  the source's minimum and maximum. A source that published nothing for a week is polled at its
  maximum interval.
- After an error the interval doubles with each consecutive error, from the minimum up to the
  maximum (exponential backoff), with a little jitter so that sources failing together do not
  retry together.
- A server's Retry-After (429, 503) is honoured: the next poll is never sooner.
- Items are fetched again on a decaying schedule after they are first seen (1 h, 6 h, 1 d,
  3 d, 7 d, 14 d), with conditional GET, to catch silent edits and growing signatory lists.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

WEEK = timedelta(days=7)
REFETCH_AFTER = (
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(days=1),
    timedelta(days=3),
    timedelta(days=7),
    timedelta(days=14),
)


def _clamp(seconds: float, low: int, high: int) -> int:
    return int(max(low, min(high, seconds)))


def interval_after_success(entries_last_week: int, min_interval_s: int, max_interval_s: int) -> int:
    """Seconds until the next poll of a source that answered."""
    if entries_last_week <= 0:
        return max_interval_s
    return _clamp(WEEK.total_seconds() / entries_last_week, min_interval_s, max_interval_s)


def interval_after_error(
    error_count: int,
    min_interval_s: int,
    max_interval_s: int,
    *,
    jitter: float = 0.1,
    rng: random.Random | None = None,
) -> int:
    """Seconds until the next poll after ``error_count`` consecutive errors (1 = the first)."""
    base = min_interval_s * 2 ** max(0, min(error_count - 1, 30))
    spread = (rng or random).uniform(-jitter, jitter) if jitter else 0.0
    return _clamp(base * (1 + spread), min_interval_s, max_interval_s)


def next_check(now: datetime, interval_s: int, *, retry_after_s: float | None = None) -> datetime:
    """The time of the next poll; a server's Retry-After pushes it later, never sooner."""
    wait = max(float(interval_s), retry_after_s or 0.0)
    return now + timedelta(seconds=wait)


def next_refetch(first_seen: datetime, refetches_done: int) -> datetime | None:
    """When to fetch an item again, or None once the schedule is over."""
    if refetches_done >= len(REFETCH_AFTER):
        return None
    return first_seen + REFETCH_AFTER[refetches_done]

"""Per-key sliding-window request limits (the handler keys them by (workspace_id, provider)).

`acquire` is synchronous, so under asyncio no other task can run between the check and the
recording of a request: N admitted out of any number of concurrent callers, exactly.

Window boundary: a request made at time t counts against requests made strictly less than
`window_seconds` after it. At exactly t + window it no longer counts.
"""

import math
import time
from collections import deque

from core.llm.errors import RateLimitExceededError


def describe_key(key):
    """A readable form of a limiter key: tuples as their parts joined by "/", anything else as str."""
    if isinstance(key, tuple):
        return "/".join(str(part) for part in key)
    return str(key)


def checked_limit(name, limit):
    """`limit` when it is an int >= 1 (a bool, a float, nan or inf is not), else ValueError naming `name`."""
    if type(limit) is not int or limit < 1:
        raise ValueError(f"{name} must be an int >= 1, got {limit!r}")
    return limit


def checked_window(window_seconds):
    """`window_seconds` when it is a finite int or float > 0 (not a bool), else ValueError."""
    if type(window_seconds) not in (int, float) or not 0 < window_seconds < math.inf:
        raise ValueError(f"window_seconds must be a finite number > 0, got {window_seconds!r}")
    return window_seconds


class SlidingWindowRateLimiter:
    """At most `limit` requests per key in any `window_seconds` long window, by the injected clock.

    `limit` must be an int >= 1 and `window_seconds` a finite number > 0 (ValueError otherwise:
    a `nan` limit would admit nothing and then fail on every call).
    """

    def __init__(self, limit, window_seconds=60.0, clock=time.monotonic):
        self.limit = checked_limit("limit", limit)
        self.window_seconds = checked_window(window_seconds)
        self._clock = clock
        self._requests = {}

    def _recent(self, key, now):
        """The times of `key`'s requests still inside the window ending at `now`, oldest first."""
        requests = self._requests.setdefault(key, deque())
        while requests and now - requests[0] >= self.window_seconds:
            requests.popleft()
        return requests

    def acquire(self, key):
        """Record a request for `key`, or raise `RateLimitExceededError` (recording nothing).

        `retry_after` on the error is the number of seconds until the oldest counted request
        leaves the window, when one more request will be admitted.
        """
        now = self._clock()
        requests = self._recent(key, now)
        if len(requests) < self.limit:
            requests.append(now)
            return
        retry_after = requests[0] + self.window_seconds - now
        raise RateLimitExceededError(
            f"rate limit of {self.limit} requests per {self.window_seconds:g}s exceeded for "
            f"{describe_key(key)}; retry in {retry_after:.1f}s",
            retry_after,
        )

"""The API's throttles, counted by the atomic counter the sign-in and token-link limits use
(``core.rate_limits.hit``; issue 15). Django REST framework's own throttles keep a list of
times in the cache, read it, then write it back: requests arriving together each read the
same list and under-count (the database cache does not make that read and write atomic).
Here each request is one ``INSERT … ON CONFLICT … RETURNING`` in ``core.RateLimitCount``.

The window is fixed, starting at a key's first request (as every other limit in Practica),
where REST framework's slides: a client can send up to twice the rate across the boundary of
two windows, which the generous rates allow for.
"""

from __future__ import annotations

import time
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from practica.core.rate_limits import Count, Limit, hit


class _Counted(SimpleRateThrottle):
    count: Count | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        requests, seconds = self.parse_rate(self.rate)
        key = self.get_cache_key(request, view)
        if requests is None or seconds is None or key is None:
            return True  # no rate set, or a request this throttle does not count
        limit = Limit(f"api-{self.scope}", requests, seconds)
        self.count = hit(limit, key)
        return not self.count.over

    def wait(self) -> float | None:
        if self.count is None:
            return None
        return max(1.0, self.count.window_end - time.time())


class UserThrottle(_Counted, UserRateThrottle):
    """Requests per signed-in user (``DEFAULT_THROTTLE_RATES["user"]``)."""


class AnonThrottle(_Counted, AnonRateThrottle):
    """Requests per client address without a sign-in (``DEFAULT_THROTTLE_RATES["anon"]``)."""

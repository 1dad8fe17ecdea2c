"""Rate limits (SECURITY.md §5 and §6; issue 15): token links, password reset and sign-in.

Each limit allows ``attempts`` per key (a client address, an e-mail address, a token prefix and
an address …) in a window that starts at the key's first attempt. Counts live in the database
(``core.RateLimitCount``), which every worker process and server shares, and each attempt is
counted by one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement (PostgreSQL and
SQLite alike), so requests arriving in the same instant are each counted: the database cache
that django-ratelimit used read, then wrote, and under-counted them
(docs/0011-pe-self-service-and-panels.md, "Where the counts live").
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from practica.core.models import RateLimitCount

TOKEN_PREFIX_LENGTH = 8  # characters of a link's token that key its own count


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    window_seconds: int


@dataclass(frozen=True)
class Count:
    """The attempts of one key so far in its window, this one included."""

    limit: Limit
    key_hash: str
    hits: int
    window_end: int

    @property
    def over(self) -> bool:
        return self.hits > self.limit.attempts

    @property
    def retry_after_minutes(self) -> int:
        """Whole minutes until the window ends (at least one)."""
        return max(1, math.ceil((self.window_end - time.time()) / 60))


# One statement, atomic on PostgreSQL and SQLite alike: a key's first attempt inserts its row;
# a later one adds one, or starts a new window if the key's has ended. The table is named as
# written in RateLimitCount.Meta.db_table.
COUNT_ATTEMPT = """
    INSERT INTO core_ratelimitcount (key_hash, window_end, hits) VALUES (%s, %s, 1)
    ON CONFLICT (key_hash) DO UPDATE SET
        hits = CASE WHEN core_ratelimitcount.window_end <= %s
            THEN 1 ELSE core_ratelimitcount.hits + 1 END,
        window_end = CASE WHEN core_ratelimitcount.window_end <= %s
            THEN excluded.window_end ELSE core_ratelimitcount.window_end END
    RETURNING hits, window_end
"""


def hit(limit: Limit, key: str) -> Count:
    """Counts one attempt of ``key`` against ``limit`` and returns the count so far.

    The window starts at the key's first attempt and lasts ``limit.window_seconds``; an attempt
    after it starts a new one. One statement, so concurrent attempts are each counted.
    """
    now = int(time.time())
    key_hash = hashlib.sha256(f"{limit.name}\0{key}".encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(COUNT_ATTEMPT, [key_hash, now + limit.window_seconds, now, now])
        hits, window_end = cursor.fetchone()
    if hits == 1:  # a new window: forget the windows that have ended
        RateLimitCount.objects.filter(window_end__lt=now).delete()
    return Count(limit=limit, key_hash=key_hash, hits=int(hits), window_end=int(window_end))


def release(count: Count) -> None:
    """Takes back the attempt ``count`` counted (it turned out not to be one that counts)."""
    RateLimitCount.objects.filter(
        key_hash=count.key_hash, window_end=count.window_end, hits__gt=0
    ).update(hits=F("hits") - 1)


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes reads it (so one setting, ``AXES_IPWARE_*``, serves
    both behind a reverse proxy); an IPv6 address stands for its /64 network, which one
    household or office is given."""
    address = get_client_ip_address(request) or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def too_many(
    request: HttpRequest,
    *,
    count: Count,
    heading: str,
    explanation: str,
    what_to_do: list[str],
    link: tuple[str, str] | None = None,
) -> HttpResponse:
    """429 with a page that says what happened, what to do (``link``: an address and its text,
    after the steps), and when to try again."""
    minutes = count.retry_after_minutes
    context = {
        "heading": heading,
        "explanation": explanation,
        "what_to_do": what_to_do,
        "link": link,
        "minutes": minutes,
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "no-store"
    return response


# --- Token links -------------------------------------------------------------------------------


def token_link_limits() -> tuple[Limit, Limit]:
    """Wrong tokens per token prefix and address, and per address; read per request so that
    settings (and tests) can change them."""
    window = settings.TOKEN_LINK_WINDOW_MINUTES * 60
    return (
        Limit("token-link", settings.TOKEN_LINK_ATTEMPTS, window),
        Limit("token-link-address", settings.TOKEN_LINK_ATTEMPTS_PER_ADDRESS, window),
    )


def token_link_rate_limit[F: Callable[..., Any]](view: F) -> F:
    """Limits wrong tokens (the view answers 404 exactly when its ``token`` is unknown, used or
    expired), counted per token prefix and client address, and per client address.

    So someone who keeps opening a mistyped link is stopped without stopping the links of
    colleagues behind the same network address, and scanning from one address stops after
    ``TOKEN_LINK_ATTEMPTS_PER_ADDRESS`` wrong tokens. Every request is counted before the view
    runs (so concurrent guesses are counted too) and given back when its token was right.
    """

    @wraps(view)
    def limited(request: HttpRequest, *args: Any, token: str, **kwargs: Any) -> HttpResponse:
        address = client_address(request)
        per_link, per_address = token_link_limits()
        counts = [
            hit(per_link, f"{token[:TOKEN_PREFIX_LENGTH]}\0{address}"),
            hit(per_address, address),
        ]
        over = [count for count in counts if count.over]
        if over:
            return too_many_attempts(request, max(over, key=lambda c: c.window_end))
        response: HttpResponse = view(request, *args, token=token, **kwargs)
        if response.status_code != 404:
            for count in counts:
                release(count)
        return response

    return limited  # type: ignore[return-value]  # wraps keeps the view's signature


def too_many_attempts(request: HttpRequest, count: Count) -> HttpResponse:
    """The 429 page of a token link."""
    response = too_many(
        request,
        count=count,
        heading="Too many attempts",
        explanation="This link, or links like it, has been tried too many times from your network.",
        what_to_do=[
            "If you copied the link from an e-mail, check you copied all of it: open the "
            "e-mail and select the link itself rather than copying its text.",
            "If it still does not work, ask the person who sent it for a new one.",
        ],
    )
    response["Referrer-Policy"] = "no-referrer"  # the address holds a token
    return response


def token_link_headers(response: HttpResponse) -> HttpResponse:
    """The headers of a page reached through a secret link: never cached, and the address
    (which holds the token) sent as referrer to this site only. Not ``no-referrer``: with it
    browsers post the page's form with ``Origin: null``, which Django's CSRF check refuses."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response

"""Rate limits on pages reached through a secret link (SECURITY.md §6): each client address
may open such pages a limited number of times per window, so tokens cannot be guessed at scale.

Counts live in the default cache, which every worker shares (docs/0011-pe-self-service-and-panels.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.decorators import ratelimit


def token_link_rate(group: str, request: HttpRequest) -> str:
    """The limit, read per request so that settings (and tests) can change it."""
    return f"{settings.TOKEN_LINK_ATTEMPTS}/{settings.TOKEN_LINK_WINDOW_MINUTES}m"


def token_link_rate_limit[F: Callable[..., Any]](view: F) -> F:
    """Counts every request (any method) per client address; over the limit the view is not
    called and ``too_many_attempts`` answers instead (through django-ratelimit's middleware)."""
    limited: F = ratelimit(key="ip", rate=token_link_rate, method=ALL, block=True)(view)
    return limited


def token_link_headers(response: HttpResponse) -> HttpResponse:
    """The headers of a page reached through a secret link: never cached, and the address
    (which holds the token) sent as referrer to this site only. Not ``no-referrer``: with it
    browsers post the page's form with ``Origin: null``, which Django's CSRF check refuses."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def too_many_attempts(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """429 with a page that says when to try again (``RATELIMIT_VIEW``)."""
    minutes = settings.TOKEN_LINK_WINDOW_MINUTES
    response = render(request, "429.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the address may hold a token
    return response

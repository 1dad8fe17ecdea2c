"""Picks the membership a signed-in user is acting in, enforces absolute session expiry, and
asks for the second factor before anything else (docs/0012-mfa.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse

from practica.accounts import permissions, selectors
from practica.core import request_memo

SESSION_KEY = "practica_membership_id"
STARTED_KEY = "practica_session_started"


class MembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]  # this middleware adds it (AuthenticatedRequest)
        user = request.user
        if user.is_authenticated:
            started = request.session.setdefault(STARTED_KEY, int(time.time()))
            if time.time() - started > settings.PRACTICA_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return self.get_response(request)
            if request.method in {"GET", "HEAD"}:  # writes nothing: answers stay true
                request_memo.start(user)
            memberships = permissions.active_memberships(user)
            chosen = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.pk == chosen), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_KEY] = current.pk
            request.membership = current  # type: ignore[attr-defined]  # this middleware adds it (AuthenticatedRequest)
        return self.get_response(request)


# Pages a signed-in user reaches before giving their second factor: the two-factor pages, signing
# out, and the public pages of token links and password reset (a test keeps every public route
# of the access tables in this list). Static files are served before any of this (whitenoise).
BEFORE_SECOND_FACTOR = frozenset(
    {
        "accounts:two-factor-setup",
        "accounts:two-factor-verify",
        "accounts:logout",
        "accounts:login",
        "accounts:password-reset",
        "accounts:password-reset-done",
        "accounts:password-reset-confirm",
        "accounts:password-reset-complete",
        "accounts:invitation-accept",
        "educators:line-manager-support",
        "healthz",
        "questionnaires:respond",
        "placements:placement-link",
        "placements:attendance-link",
        "teaching:pt-agree",
        "teaching:offer-link",
        "teaching:feedback",
    }
)


class TwoFactorMiddleware:
    """Sends a signed-in user who has not given their second factor in this session to the
    verify page if they have set it up (always asked, whatever the setting), or to the set-up
    page if their role requires it (``permissions.two_factor_required``).

    The API answers a session request 403 in its own shape instead; API tokens are a credential
    of their own and never reach this check (DRF reads them in the view, not here).
    Comes after django-otp's ``OTPMiddleware`` and ``MembershipMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in BEFORE_SECOND_FACTOR:
            return None
        page = second_factor_page(user)
        if page is None:
            return None
        if match is not None and "api" in match.namespaces and match.url_name != "docs":
            return JsonResponse(
                {
                    "detail": "Enter your two-factor authentication code in the browser first, "
                    "or use an API token."
                },
                status=403,
            )
        return redirect_to_login(request.get_full_path(), reverse(page))


def second_factor_page(user: Any) -> str | None:
    """The page a signed-in ``user`` must pass before anything else in this session: verifying
    their second factor if they have set it up, setting it up if their role requires it; None
    when they have given it (or need none)."""
    if user.is_verified():
        return None
    if selectors.has_two_factor(user):
        return "accounts:two-factor-verify"
    if permissions.two_factor_required(user):
        return "accounts:two-factor-setup"
    return None

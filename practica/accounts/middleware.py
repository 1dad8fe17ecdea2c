"""Picks the membership a signed-in user is acting in, and enforces absolute session expiry."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from practica.accounts import permissions

SESSION_KEY = "practica_membership_id"
STARTED_KEY = "practica_session_started"


class MembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            started = request.session.setdefault(STARTED_KEY, int(time.time()))
            if time.time() - started > settings.PRACTICA_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return self.get_response(request)
            memberships = permissions.active_memberships(user)
            chosen = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.pk == chosen), None)
            if current is None and memberships:
                current = memberships[0]
                request.session[SESSION_KEY] = current.pk
            request.membership = current  # type: ignore[attr-defined]
        return self.get_response(request)

"""Navigation by role, the current membership and the organisation switcher's choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from practica.accounts import permissions
from practica.core.navigation import SECTIONS


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "memberships": [], "current_membership": None}
    items = []
    for section in SECTIONS:
        if section.model is not None and not permissions.can_in(
            user, permissions.VIEW, section.model
        ):
            continue
        if section.shown_to is not None and not section.shown_to(user):
            continue
        url = reverse(section.url_name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append(NavItem(section.label, url, active))
    return {
        "nav_items": items,
        "memberships": permissions.active_memberships(user),
        "current_membership": getattr(request, "membership", None),
    }

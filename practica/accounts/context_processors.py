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
            user, section.ability, section.model
        ):
            continue
        if section.shown_to is not None and not section.shown_to(user):
            continue
        items.append((section.label, reverse(section.url_name)))
    # the section whose address is the longest start of this page's (/educators/panels/ is
    # "Panels I sit on", not "Practice educators")
    matches = [
        url
        for _label, url in items
        if request.path == url or (url != "/" and request.path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    return {
        "nav_items": [NavItem(label, url, url == current) for label, url in items],
        "memberships": permissions.active_memberships(user),
        "current_membership": getattr(request, "membership", None),
    }

"""Navigation by role, the current membership and the organisation switcher's choices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.models import Invitation
from practica.core.models import Organisation, Person, Team


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "memberships": [], "current_membership": None}
    entries: list[tuple[str, str, type[models.Model] | None]] = [("Home", "home", None)]
    for label, name, model in [
        ("Organisations", "core:organisation-list", Organisation),
        ("Teams", "core:team-list", Team),
        ("People", "core:person-list", Person),
        ("Invitations", "accounts:invitation-list", Invitation),
    ]:
        if permissions.can_in(user, permissions.VIEW, model):
            entries.append((label, name, model))
    items = []
    for label, name, _model in entries:
        url = reverse(name)
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append(NavItem(label, url, active))
    return {
        "nav_items": items,
        "memberships": permissions.active_memberships(user),
        "current_membership": getattr(request, "membership", None),
    }

"""Who may call which endpoint; the rules themselves live in practica.accounts.permissions."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from practica.accounts import permissions
from practica.accounts.permissions import MANAGE, VIEW

# List and create endpoints, like list and create pages, answer 403 to users who hold the
# ability in no organisation (their existence is no secret). Objects are still filtered by
# ``visible_to`` and answer 404 outside the user's scope.
ACTION_ABILITY = {"list": VIEW, "create": MANAGE}


class HoldsAbilitySomewhere(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        ability = ACTION_ABILITY.get(getattr(view, "action", None) or "")
        if ability is None:
            return True
        return permissions.can_in(request.user, ability, view.model)

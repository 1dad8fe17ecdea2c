from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from practica.accounts.models import Invitation, User


def invitations_visible_to(user: User | AnonymousUser) -> QuerySet[Invitation]:
    return Invitation.objects.visible_to(user).select_related("organisation", "invited_by")

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from practica.accounts import permissions
from practica.accounts.models import Invitation, User
from practica.core.home import Card
from practica.core.models import Person
from practica.core.request_memo import remembered


def invitations_visible_to(
    user: User | AnonymousUser, *, waiting: bool = False
) -> QuerySet[Invitation]:
    """The invitations ``user`` may see; with ``waiting``, only those not yet accepted."""
    invitations = Invitation.objects.visible_to(user).select_related("organisation", "invited_by")
    return invitations.filter(accepted_at__isnull=True) if waiting else invitations


def authenticator_for(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app (TOTP device), if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@remembered
def has_two_factor(user: User) -> bool:
    """Whether ``user`` has set up two-factor authentication (and so is always asked for it)."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def account_to_sign_in_to(invitation: Invitation) -> User | None:
    """The account an invitation's e-mail address already has, which its owner must sign in to
    (with their second factor) before accepting: the link is no credential for an existing
    account. None when there is no such account, or only one an import made that was never
    used (no password, no second factor), which accepting gives its first password."""
    user = User.objects.filter(email__address=invitation.email).first()
    if user is None:
        return None
    if user.has_usable_password() or has_two_factor(user) or not user.is_active:
        return user
    return None


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def person_of(user: User | AnonymousUser) -> Person | None:
    """The signed-in user's own person record (who they are, whatever else they may see)."""
    return permissions.own_person(user)


def invitations_waiting_card(request: HttpRequest | Any) -> list[Card]:
    """The accounts app's home panel: invitations not yet accepted, for those who see them."""
    user = request.user
    if not permissions.can_in(user, permissions.VIEW, Invitation):
        return []
    waiting = invitations_visible_to(user, waiting=True).count()
    return [
        Card(
            "Invitations waiting",
            waiting,
            reverse("accounts:invitation-list") + "?status=waiting",
            "View invitations",
            "No invitations waiting. Invite colleagues from the people list or their page.",
            section="Your organisation",
            hint="People invited who have not yet accepted: send a reminder or a new link.",
        )
    ]

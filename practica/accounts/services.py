"""Every write to users, memberships and invitations."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import Invitation, Membership, Role, User, hash_token
from practica.core.audit import save_audited
from practica.core.models import Organisation, Person

INVITATION_LIFETIME = timedelta(days=14)


@transaction.atomic
def create_user(
    *, actor: User | None, email: str, first_name: str, last_name: str, password: str | None
) -> User:
    """Refuses an e-mail address already in use (in any letter case) and weak passwords."""
    user = User(
        email=email.strip().lower(), first_name=first_name.strip(), last_name=last_name.strip()
    )
    if User.objects.filter(email__iexact=user.email).exists():
        raise ValidationError({"email": "A user with this e-mail address already exists."})
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    return save_audited(user, actor=actor)


@transaction.atomic
def update_user_names(*, actor: User | None, user: User, first_name: str, last_name: str) -> User:
    """Changes the name a user is shown by (their e-mail address is their identity)."""
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    return save_audited(user, actor=actor)


@transaction.atomic
def grant_membership(
    *,
    actor: User | None,
    user: User,
    organisation: Organisation,
    role: str,
    via_invitation: bool = False,
) -> Membership:
    """Gives ``user`` the role in ``organisation`` (reactivating it if it was removed).

    Refuses an actor who may not give that role there (``permissions.may_grant``), unless the
    user is accepting an invitation, whose sender was checked when it was sent.
    """
    if not via_invitation and not permissions.may_grant(actor, role, organisation):
        raise ValidationError({"role": _not_yours_to_give(role, organisation)})
    membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if membership is None:
        membership = Membership(user=user, organisation=organisation, role=role)
    membership.is_active = True
    save_audited(membership, actor=actor)
    permissions.forget(user)
    return membership


@transaction.atomic
def ensure_person_for_user(*, actor: User | None, user: User, organisation: Organisation) -> Person:
    """The person record behind ``user``: their own, else the person with the same e-mail
    address (linked to the user now), else a new person of ``organisation``.

    Refuses to link a person who already has another login.
    """
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    person = Person.objects.filter(email__iexact=user.email).first()
    if person is None:
        person = Person(
            organisation=organisation,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
        )
    elif person.user_id is not None:
        raise ValidationError({"email": f"The person {user.email} has another login already."})
    person.user = user
    return save_audited(person, actor=actor)


@transaction.atomic
def revoke_membership(*, actor: User | None, membership: Membership) -> Membership:
    """Takes effect on the user's next request: memberships are read afresh each request."""
    membership.is_active = False
    return save_audited(membership, actor=actor)


@transaction.atomic
def invite(
    *,
    actor: User | None,
    organisation: Organisation,
    email: str,
    role: str,
    base_url: str = "",
    send: bool = True,
) -> tuple[Invitation, str]:
    """Creates an invitation and e-mails its link after commit. Returns it with the raw token.

    Refuses an unknown role, and a second waiting invitation for the same address, organisation
    and role.
    """
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError(
            {"role": f"“{role}” is not a role; choose one of {', '.join(Role.values)}."}
        )
    if not permissions.may_grant(actor, role, organisation):
        raise ValidationError({"role": _not_yours_to_give(role, organisation)})
    waiting = Invitation.objects.filter(
        email__iexact=email,
        organisation=organisation,
        role=role,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if waiting.exists():
        raise ValidationError(
            {"email": f"{email} already has an invitation waiting for this role."}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        organisation=organisation,
        role=role,
        token_hash=hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    save_audited(invitation, actor=actor)
    if send:
        link = base_url + reverse("accounts:invitation-accept", args=[token])
        transaction.on_commit(lambda: _send_invitation(invitation, link))
    return invitation, token


def _send_invitation(invitation: Invitation, link: str) -> None:
    send_mail(
        subject=f"You are invited to Practica by {invitation.organisation.name}",
        message=(
            f"You have been invited to join {invitation.organisation.name} on Practica as "
            f"{invitation.get_role_display().lower()}.\n\nAccept the invitation here: {link}\n\n"
            f"The link works once and expires on {invitation.expires_at:%d %B %Y}."
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The waiting, unexpired invitation behind ``token``, or None."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=hash_token(token), accepted_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.is_expired:
        return None
    return invitation


@transaction.atomic
def accept_invitation(
    *, invitation: Invitation, first_name: str, last_name: str, password: str
) -> User:
    """Creates the user (or reuses the one with that e-mail) and grants the invited role."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.is_expired:
        raise ValidationError("This invitation has already been used or has expired.")
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = create_user(
            actor=None,
            email=invitation.email,
            first_name=first_name,
            last_name=last_name,
            password=password,
        )
    elif not user.has_usable_password():  # an account an import created: its first password
        validate_password(password, user)
        user.set_password(password)
        save_audited(user, actor=user)
    grant_membership(
        actor=user,
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        via_invitation=True,
    )
    invitation.accepted_at = timezone.now()
    save_audited(invitation, actor=user)
    return user


def _not_yours_to_give(role: str, organisation: Organisation) -> str:
    if role == Role.PARTNERSHIP_MANAGER:
        return "Only a partnership manager can give the partnership manager role."
    return f"You cannot give roles in {organisation.name}."

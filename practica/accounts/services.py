"""Every write to users, memberships and invitations."""

from __future__ import annotations

import math
import secrets
from datetime import timedelta
from typing import Any, NoReturn

import django_otp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from practica.accounts import permissions, selectors
from practica.accounts.models import Invitation, Membership, Role, User, hash_token
from practica.core import audit_log
from practica.core import selectors as core_selectors
from practica.core.audit import save_audited
from practica.core.models import AuditAction, Organisation, Person

INVITATION_LIFETIME = timedelta(days=14)


@transaction.atomic
def create_user(
    *, actor: User | None, email: str, first_name: str, last_name: str, password: str | None
) -> User:
    """Refuses an e-mail address already in use (in any letter case) and weak passwords."""
    user = User(
        email=email.strip().lower(), first_name=first_name.strip(), last_name=last_name.strip()
    )
    if User.objects.filter(email__address=user.email).exists():
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
    membership = (
        Membership.objects.unscoped("the one membership being granted, after may_grant")
        .filter(user=user, organisation=organisation, role=role)
        .first()
    )
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
    people = Person.objects.unscoped("the person record behind a login, found by login or e-mail")
    existing = people.filter(user=user).first()
    if existing is not None:
        return existing
    person = people.filter(email__address=user.email).first()
    if person is None:
        person = Person(
            organisation=organisation,
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
        )
    elif person.user_id is not None:
        message = (
            f"The person {user.email} has another login already."
            if core_selectors.may_know_of(actor, person)
            else core_selectors.EMAIL_NOT_USABLE
        )
        raise ValidationError({"email": message})
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
    waiting = Invitation.objects.unscoped(
        "a waiting invitation for the same role, after may_grant"
    ).filter(
        email__address=email,
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
        Invitation.objects.unscoped("the token is the credential: whoever holds it may answer")
        .select_related("organisation")
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
    """Creates the user (or gives its first password to the unused account an import made
    with that e-mail address) and grants the invited role.

    Refuses when the address has an account in use: its owner signs in and accepts with
    ``accept_invitation_signed_in`` (the link alone never lets anyone into an account).
    """
    invitation = _waiting_invitation_locked(invitation)
    if selectors.account_to_sign_in_to(invitation) is not None:
        raise ValidationError(
            f"{invitation.email} already has a Practica account. Sign in to accept the invitation."
        )
    user = User.objects.filter(email__address=invitation.email).first()
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


@transaction.atomic
def accept_invitation_signed_in(*, invitation: Invitation, user: User) -> Membership:
    """Grants the invited role to ``user``, who has signed in (with their second factor) to
    the account of the invitation's e-mail address. Refuses anyone else."""
    invitation = _waiting_invitation_locked(invitation)
    if user.email.lower() != invitation.email.lower():
        raise ValidationError(
            f"This invitation is for {invitation.email}, and you are signed in as {user.email}. "
            f"Sign out, then open the link again and sign in as {invitation.email}."
        )
    membership = grant_membership(
        actor=user,
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        via_invitation=True,
    )
    invitation.accepted_at = timezone.now()
    save_audited(invitation, actor=user)
    return membership


def _waiting_invitation_locked(invitation: Invitation) -> Invitation:
    locked = (
        Invitation.objects.unscoped("the invitation being accepted, locked")
        .select_for_update()
        .get(pk=invitation.pk)
    )
    if locked.accepted_at or locked.is_expired:
        raise ValidationError("This invitation has already been used or has expired.")
    return locked


def _not_yours_to_give(role: str, organisation: Organisation) -> str:
    if role == Role.PARTNERSHIP_MANAGER:
        return "Only a partnership manager can give the partnership manager role."
    return f"You cannot give roles in {organisation.name}."


# --- Two-factor authentication (docs/0012-mfa.md) ------------------------------------------
#
# Verifying a code writes django-otp's throttling counts, which must stay written when the code
# is refused: so codes are checked before, and outside, the transaction that records the change.

WRONG_CODE = (
    "The code is not right. Enter the 6-digit code your authenticator app shows now, or one "
    "of your recovery codes. After each wrong code Practica waits a little longer before it "
    "checks the next one."
)


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _throttled(device: Any) -> str | None:
    """The error for a device that django-otp is making wait after wrong codes, if it is."""
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    until = details.get("locked_until") if details else None
    if until is None:
        return "Too many wrong codes. Wait a minute, then try again."
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    unit = "second" if seconds == 1 else "seconds"
    return f"Too many wrong codes. Wait {seconds} {unit}, then try again."


def verify_second_factor(*, user: User, code: str) -> Any:
    """The device that accepts ``code``: the user's authenticator app for 6 digits, their
    recovery codes otherwise (a recovery code is used up). Refuses a wrong code, and any code
    while django-otp makes the device wait after wrong ones (1, 2, 4, 8 … seconds)."""
    code = _normalised(code)
    authenticator = code.isdigit() and len(code) == 6
    if authenticator:
        device = selectors.authenticator_for(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        _wrong_code(user, authenticator=authenticator)
    waiting = _throttled(device)
    if waiting:
        raise ValidationError({"code": waiting})
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is None:
        _wrong_code(user, authenticator=authenticator)
    return verified


def _wrong_code(user: User, *, authenticator: bool) -> NoReturn:
    """Records a wrong code at the second-factor step for the audit (the kind of code, the
    user and the client address, never the code; SECURITY.md §9), then refuses it. Outside
    any transaction, as django-otp's counts are, so the refusal does not undo it."""
    kind = "an authenticator code" if authenticator else "a recovery code"
    audit_log.record(user=user, action=AuditAction.SECOND_FACTOR_FAILED, what=f"Wrong code: {kind}")
    raise ValidationError({"code": WRONG_CODE})


def start_totp_setup(*, user: User) -> Any:
    """The authenticator device the user is setting up (a new secret key the first time;
    the same one when the page is opened again). Refuses someone who has set one up already."""
    if selectors.has_two_factor(user):
        raise ValidationError("Two-factor authentication is already set up for this account.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirm_totp_device(*, user: User, code: str) -> tuple[Any, list[str]]:
    """Confirms the authenticator being set up when ``code`` is its current one, and issues
    recovery codes. Returns the device and the codes, which are shown once and never again.

    Refuses a wrong code (django-otp's waits apply) and a user with nothing being set up.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise ValidationError("Open the set-up page again to get a new secret key.")
    waiting = _throttled(device)
    if waiting:
        raise ValidationError({"code": waiting})
    with transaction.atomic():  # one check at a time per device, as django_otp.verify_token
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = device.verify_token(_normalised(code))
    if not accepted:
        raise ValidationError({"code": WRONG_CODE})
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _issue_recovery_codes(user)
        user.two_factor_since = user.recovery_codes_issued_at = timezone.now()
        _record(user, actor=user, reason="Two-factor authentication set up")
    return device, codes


def regenerate_recovery_codes(*, user: User, code: str) -> list[str]:
    """New recovery codes in place of the old ones, on a current code (app or recovery code).
    Refuses a user without two-factor authentication."""
    if not selectors.has_two_factor(user):
        raise ValidationError("Set up two-factor authentication first.")
    verify_second_factor(user=user, code=code)
    with transaction.atomic():
        codes = _issue_recovery_codes(user)
        user.recovery_codes_issued_at = timezone.now()
        _record(user, actor=user, reason="New recovery codes issued")
    return codes


def turn_off_two_factor(*, user: User, code: str) -> User:
    """Removes the user's own second factor, on a current code. Refuses someone whose role
    requires it (``permissions.two_factor_required``): a lost phone is ``reset_two_factor``."""
    if permissions.two_factor_required(user):
        raise ValidationError(
            "Your role requires two-factor authentication, so it cannot be turned off."
        )
    verify_second_factor(user=user, code=code)
    with transaction.atomic():
        _remove_devices(user)
        user.two_factor_since = user.recovery_codes_issued_at = None
        _record(user, actor=user, reason="Two-factor authentication turned off")
    return user


@transaction.atomic
def reset_two_factor(*, actor: User | None, user: User) -> int:
    """Removes every two-factor device of ``user`` (a lost phone), so that they set it up again
    at their next sign-in. Returns how many devices were removed; recorded in their history."""
    removed = _remove_devices(user)
    if removed or user.two_factor_since:
        user.two_factor_since = user.recovery_codes_issued_at = None
        _record(user, actor=actor, reason="Two-factor authentication reset")
    return removed


def _issue_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.PRACTICA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _remove_devices(user: User) -> int:
    devices = [TOTPDevice.objects.filter(user=user), StaticDevice.objects.filter(user=user)]
    removed = sum(int(queryset.count()) for queryset in devices)
    for queryset in devices:
        queryset.delete()  # a static device takes its recovery codes with it
    return removed


def _record(user: User, *, actor: User | None, reason: str) -> None:
    user._change_reason = reason  # type: ignore[attr-defined]  # django-simple-history
    save_audited(user, actor=actor)

"""Records what changes no record but must be accounted for: sign-ins (and failed ones), wrong
two-factor codes, report downloads, exports, subject access exports, anonymisations
(``core.AuditEvent``). Changes to records are in their django-simple-history rows, each with the client address it
came from beside it (``core.ChangeAddress``); the audit page shows both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from practica.core.models import AuditAction, AuditEvent, ChangeAddress, Partnership
from practica.core.rate_limits import client_address

if TYPE_CHECKING:
    from practica.accounts.models import User


def partnerships_of(user: User | None) -> list[Partnership | None]:
    """The partnerships whose managers see what ``user`` does (through their memberships);
    ``[None]`` for someone with none (an administrator), whose events only the admin shows."""
    if user is None:
        return [None]
    found = list(
        Partnership.objects.filter(organisations__memberships__user=user).distinct().order_by("pk")
    )
    return list(found) or [None]


def record(
    *,
    user: User | None,
    action: str,
    what: str = "",
    request: HttpRequest | None = None,
    partnership: Partnership | None = None,
) -> list[AuditEvent]:
    """Writes one event for ``partnership`` (default: each partnership ``user`` works in).
    ``what`` names records by kind and number, never a person by name."""
    # the request being answered (simple_history's middleware keeps it for its own rows)
    request = request or getattr(HistoricalRecords.context, "request", None)
    address = client_address(request) if request is not None else ""
    targets = [partnership] if partnership is not None else partnerships_of(user)
    events = [
        AuditEvent(user=user, partnership=target, action=action, what=what[:300], address=address)
        for target in targets
    ]
    for event in events:
        event.full_clean()
        event.save()
    return events


def on_signed_in(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    record(user=user, action=AuditAction.SIGN_IN, request=request)


def on_signed_out(
    sender: object, request: HttpRequest, user: User | None, **kwargs: object
) -> None:
    if user is not None:
        record(user=user, action=AuditAction.SIGN_OUT, request=request)


def on_sign_in_failed(
    sender: object,
    credentials: dict[str, object],
    request: HttpRequest | None = None,
    **kwargs: object,
) -> None:
    """A failed sign-in, with the user name tried and the client address, never the password
    (Django hands over the credentials with the password already masked; only the user name is
    read). When the name is a login's, the event is that login's and its partnerships' managers
    see it; a name that is no one's is kept as typed (up to 100 characters) for administrators,
    as no partnership's managers may be told of it."""
    user_model: Any = get_user_model()
    tried = str(credentials.get(user_model.USERNAME_FIELD) or credentials.get("username") or "")
    tried = tried.strip()[:100]
    user = user_model._default_manager.filter(email__address=tried).first() if tried else None
    record(
        user=user,
        action=AuditAction.SIGN_IN_FAILED,
        what="" if user is not None else f"User name tried: {tried}",
        request=request,
    )


def on_history_row(
    sender: type[models.Model], history_instance: models.Model, **kwargs: object
) -> None:
    """Keeps the client address beside a history row written while answering a request."""
    request = getattr(HistoricalRecords.context, "request", None)
    address = client_address(request) if request is not None else ""
    if address:
        ChangeAddress.objects.create(
            history_model=sender._meta.label_lower,
            history_id=history_instance.pk,
            address=address[:50],
        )

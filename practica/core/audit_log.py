"""Records what changes no record but must be accounted for: sign-ins, report downloads,
exports, subject access exports, anonymisations (``core.AuditEvent``). Changes to records are
in their django-simple-history rows; the audit page shows both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from practica.core.models import AuditAction, AuditEvent, Partnership
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

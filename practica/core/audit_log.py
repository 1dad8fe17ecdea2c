"""Records what changes no record but must be accounted for: sign-ins (and failed ones), wrong
two-factor codes, report downloads, exports, subject access exports, anonymisations
(``core.AuditEvent``). Changes to records are in their django-simple-history rows, each with
where it came from beside it (``core.ChangeAddress``): the client address of a web request, or
the source of a change made off the web (the command line, a background task,
``core.change_source``). The audit page shows both."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from practica.core import change_source
from practica.core.copying import copy_create
from practica.core.models import AuditAction, AuditEvent, ChangeAddress, Partnership
from practica.core.rate_limits import client_address

if TYPE_CHECKING:
    from practica.accounts.models import User


ADDRESS_LENGTH = ChangeAddress._meta.get_field("address").max_length or 50
BATCH = 500


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
    source = change_source.current()
    targets = [partnership] if partnership is not None else partnerships_of(user)
    events = [
        AuditEvent(
            user=user,
            partnership=target,
            action=action,
            what=what[:300],
            address=address,
            source=source,
        )
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


def origin() -> tuple[str, str]:
    """(client address, source) of the changes being made now, either possibly empty."""
    request = getattr(HistoricalRecords.context, "request", None)
    address = client_address(request) if request is not None else ""
    return address[:ADDRESS_LENGTH], change_source.current()


def on_history_row(
    sender: type[models.Model], history_instance: models.Model, **kwargs: object
) -> None:
    """Keeps where a history row came from beside it (for rows saved one at a time)."""
    address, source = origin()
    if address or source:
        ChangeAddress.objects.create(
            history_model=sender._meta.label_lower,
            history_id=history_instance.pk,
            address=address,
            source=source,
        )


def record_origin(history_model: type[models.Model], history_ids: Iterable[int]) -> None:
    """``on_history_row`` for history rows written in bulk (no signal is sent for them): one
    ``COPY`` on PostgreSQL, else ``bulk_create`` in batches, never a query a row."""
    address, source = origin()
    if not (address or source):
        return
    label = history_model._meta.label_lower
    rows = [
        ChangeAddress(history_model=label, history_id=id_, address=address, source=source)
        for id_ in history_ids
    ]
    if rows and not copy_create(rows, ChangeAddress):
        ChangeAddress.objects.bulk_create(rows, batch_size=BATCH)

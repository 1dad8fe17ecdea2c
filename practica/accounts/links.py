"""Single-use links for people without an account (a PE or supervisor reached about a
placement, a practitioner asked to confirm a teaching offer): a random token e-mailed once, of
which only the hash is kept, valid for a fortnight and until it is used."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone

from practica.accounts.models import hash_token
from practica.core.audit import save_audited

LINK_LIFETIME = datetime.timedelta(days=14)


def issue_link[L: Model](link: L, *, lifetime: datetime.timedelta = LINK_LIFETIME) -> str:
    """Saves ``link`` (an unsaved record with ``token_hash``, ``created_at``, ``expires_at``
    and ``used_at``) with a new token; returns the raw token, which is not stored."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    record: Any = link
    record.token_hash, record.created_at, record.expires_at = (
        hash_token(token),
        now,
        now + lifetime,
    )
    save_audited(link, actor=None)
    return token


def unused_link[L: Model](links: QuerySet[L], token: str) -> L | None:
    """The unused, unexpired link of ``links`` behind ``token``; None otherwise."""
    link: Any = links.filter(token_hash=hash_token(token), used_at__isnull=True).first()
    if link is None or timezone.now() >= link.expires_at:
        return None
    found: L = link
    return found

"""Every write to API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from practica.accounts.models import hash_token
from practica.api.models import ApiToken
from practica.core.audit import save_audited

if TYPE_CHECKING:
    from practica.accounts.models import User

TOKEN_PREFIX = "pat_"  # noqa: S105 - marks a Practica token in logs and scanners; not a secret
MAX_LIFETIME_DAYS = 365


@transaction.atomic
def create_api_token(
    *, actor: User | None, user: User, name: str, days: int = 90
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its raw value, which is never stored and cannot be shown
    again. Refuses an inactive user and lifetimes outside 1 to 365 days."""
    if not user.is_active:
        raise ValidationError({"user": "This user is inactive; an API token would not work."})
    if not 1 <= days <= MAX_LIFETIME_DAYS:
        raise ValidationError(
            {"expires_at": f"A token lives from 1 to {MAX_LIFETIME_DAYS} days, not {days}."}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=raw[: len(TOKEN_PREFIX) + 8],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return save_audited(token, actor=actor), raw


@transaction.atomic
def revoke_api_token(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Takes effect on the token's next request."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_audited(token, actor=actor)
    return token

"""``Authorization: Token pat_…``: looked up by hash, refused once expired or revoked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions

from practica.accounts.models import hash_token
from practica.api.models import ApiToken

# last_used_at is written at most this often per token, so reads stay reads.
LAST_USED_GRANULARITY = timedelta(minutes=5)


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token header, checked against :class:`ApiToken`'s stored hashes."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(key)).first()
        if token is None or not token.is_usable:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token's user is inactive.")
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

"""`practica api_token create|list|revoke`: personal tokens for the REST API.

The raw token is printed once, on creation; only its hash is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from practica.accounts.models import User
from practica.api.models import ApiToken
from practica.api.services import create_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Create, list or revoke a user's API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it once")
        create.add_argument("email", help="the user the token acts as")
        create.add_argument("--name", required=True, help="what the token is for")
        create.add_argument("--days", type=int, default=90, help="lifetime in days (1–365)")
        listing = actions.add_parser("list", help="list a user's tokens (never their values)")
        listing.add_argument("email")
        revoke = actions.add_parser("revoke", help="revoke a token by the prefix `list` shows")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options["email"], options["name"], options["days"])
        elif action == "list":
            self._list(options["email"])
        else:
            self._revoke(options["prefix"])

    def _user(self, email: str) -> User:
        user = User.objects.filter(email__address=email.strip()).first()
        if user is None:
            raise CommandError(f"There is no user with the e-mail address {email}.", returncode=2)
        return user

    def _create(self, email: str, name: str, days: int) -> None:
        try:
            token, raw = create_api_token(actor=None, user=self._user(email), name=name, days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix}… for {token.user.email} expires {token.expires_at:%d %B %Y}. "
            "It is shown only now: keep it somewhere safe."
        )

    def _list(self, email: str) -> None:
        for token in self._user(email).api_tokens.all():
            if token.revoked_at:
                state = f"revoked {token.revoked_at:%Y-%m-%d}"
            else:
                state = f"expires {token.expires_at:%Y-%m-%d}"
            used = (
                f"last used {token.last_used_at:%Y-%m-%d}" if token.last_used_at else "never used"
            )
            self.stdout.write(f"{token.prefix}  {token.name}  ({state}, {used})")

    def _revoke(self, prefix: str) -> None:
        tokens = list(ApiToken.objects.filter(prefix=prefix.strip().removesuffix("…")))
        if len(tokens) != 1:
            raise CommandError(
                f"{len(tokens)} tokens start with {prefix!r}; give the prefix `list` shows.",
                returncode=2,
            )
        revoke_api_token(actor=None, token=tokens[0])
        self.stdout.write(f"Token {tokens[0].prefix}… revoked.")

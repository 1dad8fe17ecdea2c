# ruff: noqa: N999 - the command is `practica mfa-reset`
"""`practica mfa-reset EMAIL`: removes a user's two-factor devices (a lost phone), so that they
set it up again at their next sign-in. Recorded in the user's history as done by the command
line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practica.accounts.models import User
from practica.accounts.services import reset_two_factor


class Command(BaseCommand):
    help = "Reset a user's two-factor authentication (for a lost phone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the e-mail address the user signs in with")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        user = User.objects.filter(email__address=email).first()
        if user is None:
            raise CommandError(f"There is no user with the e-mail address {email}.", returncode=2)
        removed = reset_two_factor(actor=None, user=user)
        if removed:
            self.stdout.write(
                f"Two-factor authentication reset for {user.email}: they set it up again "
                "the next time they sign in."
            )
        else:
            self.stdout.write(
                f"{user.email} had no two-factor authentication set up; nothing to remove."
            )

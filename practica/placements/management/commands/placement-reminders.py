# ruff: noqa: N999 - the command is `practica placement-reminders`
"""`practica placement-reminders`: e-mail the students (and their university's coordinators)
whose pre-placement checks expire soon. Run it once a day (cron or a systemd timer); each
expiry is reminded of once (docs/0029-during-placement.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from practica.placements.during.services import send_check_reminders


class Command(BaseCommand):
    help = (
        "E-mail reminders of pre-placement checks that expire within "
        "PRACTICA_CHECK_REMINDER_DAYS; run daily."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_check_reminders()
        days = settings.PRACTICA_CHECK_REMINDER_DAYS
        self.stdout.write(f"Reminded of {count} checks expiring within {days} days.")

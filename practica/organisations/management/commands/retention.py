"""`practica retention [--plan]`: anonymise the personal data kept longer than its retention
period (organisations/retention.py), or with --plan only say what is due and what falls due in
the next 90 days. Run it daily from the server's scheduler (cron or a systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from practica.organisations import retention


class Command(BaseCommand):
    help = (
        "Anonymise what is kept longer than its retention period; with --plan, only say what "
        "is due now and what falls due in the next 90 days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--plan", action="store_true", help="say what it would do; change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        for rule in retention.rules():
            self.stdout.write(f"{rule.records}: kept {rule.period}. {rule.action}")
        if options["plan"]:
            planned = retention.plan(today=today)
            if not planned:
                self.stdout.write("Nothing is due now or in the next 90 days.")
            for item in planned:
                when = "due now" if item.due_on <= today else f"due on {item.due_on:%d %B %Y}"
                self.stdout.write(f"{item.record}: {when} ({item.rule.records}).")
            return
        done = retention.apply(today=today)
        for item in done:
            self.stdout.write(f"Anonymised {item.record} ({item.rule.records}).")
        self.stdout.write(f"{len(done)} record(s) anonymised.")

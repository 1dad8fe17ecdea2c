# ruff: noqa: N999 - the command is `practica questionnaires-install`
"""`practica questionnaires-install [--partnership NAME]`: gives a partnership the questionnaires
Practica ships with (the Practice Placement Evaluation Tool, student and practice educator
versions, and session feedback), published and owned by the whole partnership. Run it once
after `practica setup`; running it again adds only what is missing (docs/0024)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practica.core.models import Partnership
from practica.questionnaires.standard import STANDARDS, install_standard_questionnaires


class Command(BaseCommand):
    help = "Install the questionnaires Practica ships with for a partnership."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--partnership",
            default="",
            help="the partnership's name (needed when there are several)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["partnership"].strip()
        partnerships = Partnership.objects.order_by("name")
        if name:
            partnerships = partnerships.filter(name__iexact=name)
        found = list(partnerships[:2])
        if not found:
            raise CommandError(
                f"There is no partnership called {name}."
                if name
                else "There is no partnership yet; run `practica setup` first.",
                returncode=2,
            )
        if len(found) > 1:
            raise CommandError("There are several partnerships; name one with --partnership.")
        created = install_standard_questionnaires(actor=None, partnership=found[0])
        for questionnaire in created:
            self.stdout.write(f"Added {questionnaire.name}.")
        if len(created) < len(STANDARDS):
            self.stdout.write(
                f"{len(STANDARDS) - len(created)} of the {len(STANDARDS)} questionnaires were "
                "there already; left as they are."
            )

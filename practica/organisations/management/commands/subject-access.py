# ruff: noqa: N999 - the command is `practica subject-access`
"""`practica subject-access EMAIL [--output FILE]`: everything Practica holds about a person
(UK GDPR subject access), for whoever runs the server. Each export is recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from practica.core.files import write_whole
from practica.core.models import Person, SubjectAccessChannel
from practica.organisations.subject_access import export_subject_access


class Command(BaseCommand):
    help = (
        "Export everything Practica holds about a person (UK GDPR subject access): JSON on "
        "standard output, or to --output FILE (a ZIP when FILE ends in .zip)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's e-mail address (or their login's)")
        parser.add_argument("--output", metavar="FILE", help="where to write it")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        if not email:
            raise CommandError("Give the e-mail address of the person to export.", returncode=2)
        people = list(
            Person.objects.unscoped(
                "whoever runs the server answers any subject access request"
            ).filter(Q(email__address=email) | Q(user__email__address=email))[:2]
        )
        if len(people) != 1:
            problem = "no person" if not people else "more than one person"
            raise CommandError(f"There is {problem} with the e-mail address {email}.", returncode=2)
        output = Path(options["output"]) if options["output"] else None
        if output is not None and not output.resolve().parent.is_dir():
            raise CommandError(f"There is no folder {output.resolve().parent}.", returncode=2)
        export = export_subject_access(
            actor=None,
            person=people[0],
            channel=SubjectAccessChannel.COMMAND_LINE,
            file_format="zip" if output is not None and output.suffix == ".zip" else "json",
        )
        if output is None:
            self.stdout.write(export.content.decode())
            return
        write_whole(output, export.content)
        self.stdout.write(f"Exported everything held about {people[0].full_name} to {output}.")

"""`practica setup`: everything the first-run wizard does, from the command line."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from practica.core.academic_years import parse_academic_year
from practica.onboarding.services import (
    OrganisationPlan,
    SetupPlan,
    plan_problems,
    set_up_partnership,
)

EXAMPLE = (
    'practica setup --partnership "Kent and Medway Teaching Partnership" '
    '--organisation "MC:Medway Council:local_authority" '
    '--organisation "CCCU:Canterbury Christ Church University:hei" --lead MC --year 2019/20 '
    "--coordinator MC:lead@medway.gov.uk --manager manager@medway.gov.uk"
)


class Command(BaseCommand):
    help = (
        "Set up (or bring up to date) the partnership: its organisations, lead, academic year "
        "and invitations to coordinators. Running it again with the same options changes "
        f"nothing. Example: {EXAMPLE}"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", metavar="NAME", required=True)
        parser.add_argument(
            "--organisation",
            metavar="CODE:NAME:KIND",
            action="append",
            default=[],
            help="a member organisation (repeat); KIND is local_authority, hei, independent, "
            "pvi or other",
        )
        parser.add_argument("--lead", metavar="CODE", default="", help="the lead organisation")
        parser.add_argument("--year", metavar="2019/20", help="the academic year to record")
        parser.add_argument(
            "--coordinator",
            metavar="CODE:EMAIL",
            action="append",
            default=[],
            help="invite this coordinator to the organisation (repeat)",
        )
        parser.add_argument(
            "--manager", metavar="EMAIL", default="", help="invite a partnership manager (lead)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        plan = self._plan(options, problems)
        problems += plan_problems(plan)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(problems)} problem(s) found; nothing was set up.", returncode=2
            )
        if options["dry_run"]:
            self.stdout.write("The set-up is correct (dry run: nothing written).")
            return
        try:
            outcome = set_up_partnership(
                actor=None,
                plan=plan,
                base_url=getattr(settings, "PRACTICA_BASE_URL", ""),
            )
        except ValidationError as error:  # a concurrent change since the check above
            raise CommandError("; ".join(error.messages), returncode=2) from None
        for line in outcome.lines():
            self.stdout.write(line)
        if not outcome.changed:
            self.stdout.write(f"{outcome.partnership.name} is already set up; nothing changed.")

    def _plan(self, options: dict[str, Any], problems: list[str]) -> SetupPlan:
        organisations = []
        for text in options["organisation"]:
            parts = text.split(":")
            if len(parts) < 3:
                problems.append(
                    f"--organisation {text!r}: write it as CODE:NAME:KIND, "
                    "e.g. MC:Medway Council:local_authority."
                )
                continue
            code, name, kind = parts[0], ":".join(parts[1:-1]), parts[-1]
            organisations.append(OrganisationPlan(code, name, kind))
        coordinators = []
        for text in options["coordinator"]:
            code, _colon, email = text.partition(":")
            if not email:
                problems.append(
                    f"--coordinator {text!r}: write it as CODE:EMAIL, e.g. MC:lead@medway.gov.uk."
                )
                continue
            coordinators.append((code, email))
        year = None
        if options["year"]:
            try:
                year = parse_academic_year(options["year"])
            except ValidationError as error:
                problems.append(f"--year: {error.messages[0]}")
        return SetupPlan(
            partnership=options["partnership"],
            organisations=tuple(organisations),
            lead=options["lead"],
            year=year,
            coordinators=tuple(coordinators),
            manager=options["manager"],
        )

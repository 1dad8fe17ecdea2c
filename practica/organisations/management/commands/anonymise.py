"""`practica anonymise EMAIL [--yes]`: overwrite what identifies a person in every record and
every history version of it (UK GDPR erasure), keeping every record so reports count the same.
Their login, if any, is closed. It cannot be undone: without --yes it only says what it would do."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from practica.core.models import Person
from practica.organisations.anonymise import anonymise_person


class Command(BaseCommand):
    help = (
        "Anonymise a person (UK GDPR erasure): their name, e-mail address and words about them "
        "are overwritten everywhere, history included; their records stay, so reports count "
        "the same. Cannot be undone; give --yes to do it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's e-mail address (or their login's)")
        parser.add_argument("--yes", action="store_true", help="anonymise them now")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip()
        people = list(
            Person.objects.unscoped("whoever runs the server answers any erasure request").filter(
                Q(email__address=email) | Q(user__email__address=email)
            )[:2]
            if email
            else []
        )
        if len(people) != 1:
            problem = "no person" if not people else "more than one person"
            raise CommandError(f"There is {problem} with the e-mail address {email}.", returncode=2)
        person = people[0]
        if not options["yes"]:
            self.stdout.write(
                f"This would anonymise {person.full_name} ({person.organisation}) everywhere, "
                "history included, and close their login. It cannot be undone. "
                "Run again with --yes to do it."
            )
            return
        done = anonymise_person(actor=None, person=person)
        self.stdout.write(
            f"Anonymised person #{done.person_id}: {done.rows} rows overwritten, history included."
        )

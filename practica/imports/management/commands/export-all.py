# ruff: noqa: N999 - the command is `practica export-all`
"""`practica export-all`: every record of the partnership, in the files its importers read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core import audit_log
from practica.core.files import write_whole
from practica.core.models import AuditAction, Partnership
from practica.imports.exporting import ExportRefusedError, export_kinds, to_xlsx, to_zip


class Command(BaseCommand):
    help = (
        "Export every record of the partnership in the formats the importers read (a workbook "
        "with a sheet per kind, or a ZIP of CSV files), so it re-imports into an empty "
        "Practica with `practica import FILE`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["xlsx", "zip"], default="xlsx")
        parser.add_argument("--output", metavar="FILE", help="where to write it")
        parser.add_argument(
            "--user", metavar="EMAIL", help="export what this user may see, nothing more"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        viewer = self._viewer(options["user"])
        try:
            kinds = export_kinds(viewer)
        except ExportRefusedError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(error.problems)} problem(s) found; nothing was exported.", returncode=2
            ) from None
        content = to_xlsx(kinds) if options["format"] == "xlsx" else to_zip(kinds)
        output = Path(
            options["output"]
            or f"practica-export-{timezone.localdate().isoformat()}.{options['format']}"
        )
        write_whole(output, content)
        user = viewer if isinstance(viewer, User) else None
        audit_log.record(
            user=user,
            action=AuditAction.EXPORT,
            what=f"Every record ({options['format']}, command line)",
            # the operator's export (one partnership) is its partnership's to see
            partnership=None if user is not None else Partnership.objects.first(),
        )
        counts = ", ".join(f"{len(kind.rows)} {kind.importer.kind}" for kind in kinds)
        self.stdout.write(f"Exported {counts or 'nothing'} to {output}.")

    def _viewer(self, email: str | None) -> Any:
        if email:
            user = User.objects.filter(email__address=email, is_active=True).first()
            if user is None:
                raise CommandError(
                    f"There is no active user with the e-mail address {email}.", returncode=2
                )
            return user
        if Partnership.objects.count() > 1:
            raise CommandError(
                "Practica holds more than one partnership; export one with --user EMAIL "
                "(its partnership manager).",
                returncode=2,
            )
        return permissions.OPERATOR

"""`practica import KIND FILE` (or a folder / ZIP of files named after their kinds)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation
from practica.imports.framework import Importer
from practica.imports.reading import UnreadableFileError
from practica.imports.registry import all_importers, get_importer
from practica.imports.services import (
    files_of_batch,
    files_of_folder,
    files_of_workbook,
    import_files,
)


class Command(BaseCommand):
    help = (
        "Import a CSV/XLSX file of one kind, or a folder/ZIP of files named after their kinds "
        "(teams.csv, users.xlsx, …), or a workbook with a sheet per kind, in one transaction. "
        "`practica import --list` shows the kinds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kind_or_path", nargs="?", help="the kind, or a folder / .zip / workbook (.xlsx)"
        )
        parser.add_argument("file", nargs="?", help="the CSV or XLSX file")
        parser.add_argument("--list", action="store_true", help="list the kinds and their columns")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report; write nothing"
        )
        parser.add_argument("--org", metavar="CODE", help="refuse rows for any other organisation")
        parser.add_argument(
            "--user", metavar="EMAIL", help="import as this user, within their scope"
        )
        parser.add_argument(
            "--no-invite",
            action="store_true",
            help="users: create the accounts and roles but e-mail no invitations",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self._list()
            return
        target = options["kind_or_path"]
        if not target:
            raise CommandError(
                "Give a kind and a file, or a folder or ZIP; --list shows the kinds.", returncode=2
            )
        try:
            files = self._files(target, options["file"])
        except (UnreadableFileError, LookupError, OSError) as error:
            raise CommandError(str(error).strip("'\""), returncode=2) from None
        only = None
        if options["org"]:
            only = (
                Organisation.objects.unscoped("the command line names any organisation by code")
                .filter(code__iexact=options["org"])
                .first()
            )

            if only is None:
                raise CommandError(
                    f"--org: there is no organisation with the code {options['org']!r}.",
                    returncode=2,
                )
        actor, viewer = self._actor(options["user"])
        result = import_files(
            actor=actor,
            viewer=viewer,
            files=files,
            dry_run=options["dry_run"],
            only_organisation=only,
            options={"invite": not options["no_invite"]},
        )
        if result.errors:
            for problem in result.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(result.errors)} problem(s) found; nothing was imported.", returncode=2
            )
        counts = result.counts()
        verb = "Would create" if options["dry_run"] else "Created"
        self.stdout.write(
            f"{verb} {counts['create']}, {'would update' if options['dry_run'] else 'updated'} "
            f"{counts['update']}, left {counts['unchanged']} unchanged"
            + (" (dry run: nothing written)." if options["dry_run"] else ".")
        )

    def _files(self, target: str, file: str | None) -> list[tuple[Importer, str, bytes]]:
        if file is None:
            path = Path(target)
            if path.is_dir():
                return files_of_folder(path)
            if path.suffix.lower() == ".zip" and path.is_file():
                return files_of_batch(path.name, path.read_bytes())
            if path.suffix.lower() == ".xlsx" and path.is_file():
                return files_of_workbook(path.name, path.read_bytes())
            raise CommandError(
                f"{target} is not a folder, a .zip file or a workbook; to import one file give "
                "its kind first.",
                returncode=2,
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.", returncode=2)
        return [(get_importer(target), path.name, path.read_bytes())]

    def _actor(self, email: str | None) -> tuple[User | None, Any]:
        if not email:
            return None, permissions.OPERATOR
        user = User.objects.filter(email__address=email, is_active=True).first()
        if user is None:
            raise CommandError(
                f"There is no active user with the e-mail address {email}.", returncode=2
            )
        return user, user

    def _list(self) -> None:
        for importer in all_importers():
            self.stdout.write(f"{importer.kind}  —  {importer.title}: {importer.description}")
            for column in importer.columns:
                required = "required" if column.required else "optional"
                hint = f" – {column.help}" if column.help else ""
                self.stdout.write(f"    {column.name} ({required}){hint}")
            self.stdout.write(f"    natural key: {', '.join(importer.natural_key)}")

"""`practica restore FILE [--force]`: replace the whole database with a backup written by
`practica backup`. See docs/0026-backup-and-restore.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from practica.core.backup import restore_database


class Command(BaseCommand):
    help = (
        "Restore the whole database from FILE written by `practica backup`. Refuses a "
        "database that already holds data unless --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file to read")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that already holds data",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        connection = connections[options["database"]]
        size = restore_database(connection, source, force=options["force"])
        connection.close()  # the next query sees the restored tables afresh
        self.stdout.write(f"Restored the database from {source.resolve()} ({size:,} bytes).")

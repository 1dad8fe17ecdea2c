"""`practica backup FILE`: the whole database to one file (pg_dump custom format on PostgreSQL,
a SQLite database file on SQLite). See docs/0026-backup-and-restore.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from practica.core.backup import backup_database


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE: pg_dump's custom format on PostgreSQL, a copy "
        "of the database on SQLite. The file is written whole or not at all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file to write (replaced if it exists)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["file"])
        size = backup_database(connections[options["database"]], output)
        self.stdout.write(f"Backed up the database to {output.resolve()} ({size:,} bytes).")

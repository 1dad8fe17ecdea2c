"""Whole-database backup and restore for `practica backup` and `practica restore`.

PostgreSQL goes through ``pg_dump --format=custom`` and ``pg_restore``; SQLite through Python's
sqlite3 backup API. A backup is written beside its final name and renamed into place, so a
failed backup never leaves a half file under that name. Nothing here prints personal data:
only paths, sizes and table names.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.management.base import CommandError

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

POSTGRESQL_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# The records people enter, from which everything else hangs: a database holding any of them
# holds data `practica restore` must not replace without --force. (A freshly migrated database
# holds reference data of its own, such as service areas, which a restore may replace.)
RECORD_MODELS = ("core.Partnership", "core.Organisation", "core.Person", "accounts.User")


def engine_of(connection: BaseDatabaseWrapper) -> str:
    """``postgresql`` or ``sqlite``; refuses any other database."""
    if connection.vendor in {"postgresql", "sqlite"}:
        return str(connection.vendor)
    raise CommandError(
        f"Practica backs up PostgreSQL and SQLite databases only, not {connection.vendor}."
    )


def file_engine(path: Path) -> str | None:
    """The engine whose backup ``path`` is (by its first bytes), or None when it is neither."""
    with path.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start.startswith(POSTGRESQL_MAGIC):
        return "postgresql"
    if start == SQLITE_MAGIC:
        return "sqlite"
    return None


def tables_with_data(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables of :data:`RECORD_MODELS` that exist and hold at least one row."""
    existing = set(connection.introspection.table_names())
    tables = [apps.get_model(label)._meta.db_table for label in RECORD_MODELS]
    names = [name for name in tables if name in existing]
    found = []
    with connection.cursor() as cursor:
        for name in names:
            # a table name from introspection, quoted: no outside input reaches the SQL
            sql = f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1"  # noqa: S608 # nosec B608
            cursor.execute(sql)
            if cursor.fetchone() is not None:
                found.append(name)
    return found


def _postgresql_arguments(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore, and their environment (the password goes
    in PGPASSWORD, never on the command line where other users could read it)."""
    settings = connection.settings_dict
    arguments = [f"--dbname={settings['NAME']}"]
    if settings.get("HOST"):
        arguments.append(f"--host={settings['HOST']}")
    if settings.get("PORT"):
        arguments.append(f"--port={settings['PORT']}")
    if settings.get("USER"):
        arguments.append(f"--username={settings['USER']}")
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return arguments, environment


def _run(program: str, arguments: list[str], environment: dict[str, str]) -> None:
    try:
        completed = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [program, *arguments],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise CommandError(
            f"{program} is not installed or not on the PATH; install the PostgreSQL client "
            "programs of the server's version."
        ) from error
    if completed.returncode != 0:
        detail = completed.stderr.strip().splitlines()
        raise CommandError(
            f"{program} failed (exit code {completed.returncode}): "
            f"{detail[-1] if detail else 'no message'}"
        )


def _copy_out(connection: BaseDatabaseWrapper, engine: str, temporary: Path) -> None:
    """Writes the whole database to ``temporary``."""
    if engine == "postgresql":
        arguments, environment = _postgresql_arguments(connection)
        _run("pg_dump", ["--format=custom", f"--file={temporary}", *arguments], environment)
        return
    if connection.in_atomic_block:
        # SQLite's backup would wait forever for the transaction's own locks.
        raise CommandError("The database cannot be backed up from inside a transaction.")
    connection.ensure_connection()
    destination = sqlite3.connect(temporary)
    try:
        connection.connection.backup(destination)
        # One self-contained file: no -wal/-shm companions beside the backup.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def backup_database(connection: BaseDatabaseWrapper, output: Path) -> int:
    """Writes the whole database to ``output`` (atomically); returns its size in bytes."""
    engine = engine_of(connection)
    directory = output.resolve().parent
    if not directory.is_dir():
        raise CommandError(f"There is no folder {directory}; create it or choose another.")
    if output.is_dir():
        raise CommandError(f"{output} is a folder; give the name of the backup file to write.")
    handle, name = tempfile.mkstemp(dir=directory, prefix=".practica-backup-")
    os.close(handle)
    temporary = Path(name)
    try:
        _copy_out(connection, engine, temporary)
        temporary.replace(output)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return output.stat().st_size


def check_restorable(connection: BaseDatabaseWrapper, source: Path, *, force: bool) -> None:
    """Refuses, with a sentence a person can act on, what `practica restore` must not do."""
    engine = engine_of(connection)
    if not source.is_file():
        raise CommandError(f"There is no backup file {source}.")
    try:
        found = file_engine(source)
    except OSError as error:
        raise CommandError(
            f"The backup file {source} cannot be read ({error.strerror})."
        ) from error
    if found is None:
        raise CommandError(
            f"{source} is not a Practica backup (neither a pg_dump custom-format file nor a "
            "SQLite database)."
        )
    if found != engine:
        names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
        raise CommandError(
            f"{source} is a {names[found]} backup but this Practica uses {names[engine]}; "
            f"restore it into a {names[found]} database (set PRACTICA_DATABASE_URL)."
        )
    if not force:
        filled = tables_with_data(connection)
        if filled:
            raise CommandError(
                f"The database already holds Practica records (in {', '.join(filled)}); "
                "restoring would replace all of them. Restore into an empty database, or add "
                "--force to replace what it holds."
            )


def restore_database(connection: BaseDatabaseWrapper, source: Path, *, force: bool) -> int:
    """Replaces the whole database with the backup in ``source``; returns the file's size."""
    check_restorable(connection, source, force=force)
    if engine_of(connection) == "postgresql":
        arguments, environment = _postgresql_arguments(connection)
        _run(
            "pg_restore",
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *arguments,
                str(source),
            ],
            environment,
        )
    else:
        connection.ensure_connection()
        origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            origin.backup(connection.connection)
        except sqlite3.DatabaseError as error:
            raise CommandError(f"{source} could not be restored: {error}.") from error
        finally:
            origin.close()
    return source.stat().st_size

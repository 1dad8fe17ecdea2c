"""Helpers for tests of import kinds (any app's): run files through the framework as a person
would, and write exported rows back out as a CSV file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.formulas import neutralise
from practica.imports.exporting import csv_text
from practica.imports.framework import BatchResult
from practica.imports.registry import get_importer
from practica.imports.services import import_files

if TYPE_CHECKING:
    from practica.accounts.permissions import Viewer


def import_text(
    *files: tuple[str, str],
    viewer: Viewer = permissions.OPERATOR,
    dry_run: bool = False,
    options: dict[str, Any] | None = None,
) -> tuple[list[str], BatchResult]:
    """Imports each ``(kind, CSV text)`` as a file named ``KIND.csv``, in one batch, as
    ``viewer``; returns the errors as the person would read them, and the result."""
    result = import_files(
        actor=viewer if isinstance(viewer, User) else None,
        viewer=viewer,
        files=[(get_importer(kind), f"{kind}.csv", text.encode()) for kind, text in files],
        dry_run=dry_run,
        options=options,
    )
    return [str(error) for error in result.errors], result


def as_csv(rows: list[dict[str, str]]) -> str:
    """Exported rows (``Importer.export_rows``) as the text of a CSV file, written as
    ``practica export-all`` writes one."""
    header = list(rows[0])
    return csv_text(header, [[neutralise(row[name]) for name in header] for row in rows])

"""Helpers for tests of import kinds (any app's): run files through the framework as a person
would, and write exported rows back out as a CSV file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.formulas import neutralise
from practica.imports import framework
from practica.imports.exporting import csv_text
from practica.imports.framework import BatchResult, Importer
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


class _UndoError(Exception):
    """Rolls a run back so the other way starts from the same database."""


@dataclass
class Way:
    """What a run of an import answered, the database it left (``snapshot()``) and the
    number of queries it took."""

    answer: Any
    database: Any
    queries: int


def _not_in_bulk(*args: object) -> None:
    raise AssertionError("a row was applied one by one")


def run_undone(run: Callable[[], Any], snapshot: Callable[[], Any]) -> Way:
    """``run()`` in a transaction that is then rolled back: its answer, the database after it
    (``snapshot()``) and the queries it took."""
    way: Way | None = None
    try:
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            answer = run()
            way = Way(answer, snapshot(), len(queries.captured_queries))
            raise _UndoError
    except _UndoError:
        pass
    assert way is not None
    return way


def both_ways(
    monkeypatch: pytest.MonkeyPatch,
    importer: type[Importer],
    run: Callable[[], Any],
    snapshot: Callable[[], Any],
    *,
    falls_back: bool = False,
) -> tuple[Way, Way]:
    """``run()`` in bulk and then with ``importer`` looking up and applying row by row
    (without its ``prefetch`` and ``apply_all``), each undone after. Unless ``falls_back``,
    no row of the bulk way may be applied one by one."""
    with monkeypatch.context() as patch:
        if not falls_back:
            patch.setattr(framework, "_apply_row", _not_in_bulk)
        bulk = run_undone(run, snapshot)
    with monkeypatch.context() as patch:
        patch.setattr(importer, "apply_all", Importer.apply_all)
        patch.setattr(importer, "prefetch", Importer.prefetch)
        single = run_undone(run, snapshot)
    return bulk, single

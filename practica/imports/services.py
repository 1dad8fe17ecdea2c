"""Running imports: from the CLI directly, from the UI through a background task."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.tasks import task
from django.utils import timezone

from practica.accounts import permissions
from practica.core.copying import copy_values
from practica.imports import rules, selectors
from practica.imports.framework import (
    BatchResult,
    ImportContext,
    Importer,
    RowError,
    run_batch,
)
from practica.imports.models import ImportedRecord, ImportRun, ImportStatus
from practica.imports.reading import UnreadableFileError, limits, read_table
from practica.imports.registry import dependency_order, get_importer

if TYPE_CHECKING:
    from practica.accounts.models import User
    from practica.accounts.permissions import Viewer
    from practica.core.models import Organisation

SPREADSHEET_SUFFIXES = {".csv", ".xlsx"}
# how often, at most, a run's progress (rows checked) is written while its files are checked
PROGRESS_SECONDS = 0.5
BATCH = "batch"


def files_of_batch(name: str, content: bytes) -> list[tuple[Importer, str, bytes]]:
    """The spreadsheets of a ZIP, each matched to its kind by file name (``teams.csv``), in
    dependency order. Refuses unknown names and oversized archives."""
    _max_bytes, _rows, max_unpacked, max_entries = limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise UnreadableFileError(f"{name} is not a ZIP file.") from None
    entries = [
        entry
        for entry in archive.infolist()
        if not entry.is_dir() and not Path(entry.filename).name.startswith((".", "__"))
    ]
    if len(entries) > max_entries or sum(entry.file_size for entry in entries) > max_unpacked:
        raise UnreadableFileError(f"{name} unpacks to more than Practica accepts; it is refused.")
    named = {Path(entry.filename).name: archive.read(entry) for entry in entries}
    return _match_kinds(named)


def files_of_workbook(name: str, content: bytes) -> list[tuple[Importer, str, bytes]]:
    """The sheets of one XLSX workbook, each named after its kind (as ``practica export-all``
    writes them), in dependency order; each sheet becomes a one-sheet workbook so it is read
    and checked exactly like a file of its own (a sheet called "Notes" is skipped).

    Refuses what ``read_table`` refuses for the whole workbook (size, zip bomb, not a
    workbook) and sheets not named after a kind.
    """
    from openpyxl import Workbook, load_workbook

    read_table(name, content)  # the hostile-file checks, on the whole workbook first
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    named: dict[str, tuple[str, bytes]] = {}
    problems = []
    for sheet in workbook.worksheets:
        title = sheet.title.strip()
        if title.lower() == "notes":
            continue
        try:
            importer = get_importer(title.lower())
        except LookupError as error:
            problems.append(f"sheet {title}: {error}")
            continue
        single = Workbook(write_only=True)
        copy = single.create_sheet(title)
        for row in sheet.iter_rows(values_only=True):  # blank rows kept: row numbers stay
            copy.append(list(row))
        buffer = io.BytesIO()
        single.save(buffer)
        named[importer.kind] = (f"{name} (sheet {title})", buffer.getvalue())
    workbook.close()
    if problems:
        raise UnreadableFileError(
            "; ".join(problems) + ". Name each sheet after its kind, e.g. teams."
        )
    if not named:
        raise UnreadableFileError(f"{name} has no sheet named after an import kind.")
    return [(get_importer(kind), *named[kind]) for kind in dependency_order(list(named))]


def files_of_folder(folder: Path) -> list[tuple[Importer, str, bytes]]:
    named = {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.startswith(".")
    }
    return _match_kinds(named)


def _match_kinds(named: dict[str, bytes]) -> list[tuple[Importer, str, bytes]]:
    by_kind: dict[str, tuple[str, bytes]] = {}
    problems = []
    for file_name, content in named.items():
        path = Path(file_name)
        if path.suffix.lower() not in SPREADSHEET_SUFFIXES:
            problems.append(f"{file_name} is not a .csv or .xlsx file")
            continue
        try:
            importer = get_importer(path.stem.lower())
        except LookupError as error:
            problems.append(f"{file_name}: {error}")
            continue
        if importer.kind in by_kind:
            problems.append(f"{file_name} and {by_kind[importer.kind][0]} are both {importer.kind}")
            continue
        by_kind[importer.kind] = (file_name, content)
    if problems:
        raise UnreadableFileError(
            "; ".join(problems) + ". Name each file after its kind, e.g. teams.csv."
        )
    if not by_kind:
        raise UnreadableFileError("There are no spreadsheets to import.")
    return [(get_importer(kind), *by_kind[kind]) for kind in dependency_order(list(by_kind))]


def import_files(
    *,
    actor: User | None,
    viewer: Viewer,
    files: list[tuple[Importer, str, bytes]],
    dry_run: bool,
    only_organisation: Organisation | None = None,
    run: ImportRun | None = None,
    options: dict[str, Any] | None = None,
) -> BatchResult:
    """Checks (and unless ``dry_run``, applies) the files as one batch; records the run.

    Nothing is written to the partnership's records when any row of any file has an error, or
    when a service refuses a row while applying.
    """
    run = run or ImportRun.objects.create(
        kind=files[0][0].kind if len(files) == 1 else BATCH,
        file_name=_shortened(", ".join(name for _importer, name, _content in files)),
        created_by=actor,
        dry_run=dry_run,
        only_organisation=only_organisation,
    )
    _progress(run, status=ImportStatus.CHECKING, rows_checked=0, started_at=timezone.now())
    offset = 0
    last = time.monotonic()

    def progress(rows: int) -> None:
        nonlocal last
        # every 200 rows, at most once every PROGRESS_SECONDS: checking thousands of rows a
        # second, a write for each 200 took longer than checking them (docs/0025 section 10)
        if rows == 0 or (rows % 200 == 0 and time.monotonic() - last >= PROGRESS_SECONDS):
            _progress(run, rows_checked=offset + rows)
            last = time.monotonic()

    ctx = ImportContext(
        actor=actor,
        viewer=viewer,
        only_organisation=only_organisation,
        progress=progress,
        options=options,
    )
    result = run_batch(files, ctx, dry_run=dry_run)
    counts = result.counts()
    if result.errors:
        _finish(run, ImportStatus.FAILED, errors=[str(e) for e in result.errors], counts=counts)
    elif result.applied:
        _record(run, result)
        _finish(run, ImportStatus.APPLIED, counts=counts)
    else:
        _finish(run, ImportStatus.CHECKED, counts=counts)
    return result


def _shortened(names: str) -> str:
    """The file names as the run's record holds them (a batch of many files is cut short)."""
    limit = ImportRun._meta.get_field("file_name").max_length or len(names)
    return names if len(names) <= limit else names[: limit - 1] + "…"


def _progress(run: ImportRun, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(run, key, value)
    run.save(update_fields=list(fields))


def _finish(
    run: ImportRun,
    status: str,
    *,
    errors: list[str] | None = None,
    counts: dict[str, int] | None = None,
) -> None:
    counts = counts or {}
    _progress(
        run,
        status=status,
        errors=errors or [],
        created_count=counts.get("create", 0),
        updated_count=counts.get("update", 0),
        unchanged_count=counts.get("unchanged", 0),
        finished_at=timezone.now(),
        rows_checked=max(run.rows_checked, run.rows_total),
    )
    if status != ImportStatus.CHECKED:  # a checked upload is kept until it is imported
        _progress(run, upload=b"")


# what _record writes of each record, in this order (ImportedRecord's fields but its key)
RECORD_FIELDS = ("run_id", "kind", "action", "content_type_id", "object_id", "label")


@transaction.atomic
def _record(run: ImportRun, result: BatchResult) -> None:
    content_types: dict[type[models.Model], int] = {}
    rows = [
        (
            run.pk,
            kind,
            action,
            content_types.get(type(record))
            or content_types.setdefault(type(record), ContentType.objects.get_for_model(record).pk),
            record.pk,
            str(record)[:255],
        )
        for record, action, kind in result.records
    ]
    # PostgreSQL's COPY for a large import, the rows as they are (no model instance for each)
    if not copy_values(ImportedRecord, RECORD_FIELDS, rows):
        ImportedRecord.objects.bulk_create(
            ImportedRecord(**dict(zip(RECORD_FIELDS, row, strict=True))) for row in rows
        )


def queue_upload(
    *,
    actor: User,
    organisation: Organisation | None,
    kind: str,
    file_name: str,
    content: bytes,
    dry_run: bool,
    options: dict[str, Any] | None = None,
) -> ImportRun:
    """Stores an upload and queues it for the background worker; the run's page shows progress.

    ``kind`` may be ``BATCH``: a ZIP of files named after their kinds, or a workbook with a
    sheet per kind (as ``practica export-all`` writes them), imported as one batch."""
    run = ImportRun.objects.create(
        kind=kind,
        file_name=file_name,
        organisation=organisation,
        created_by=actor,
        dry_run=dry_run,
        upload=content,
        rows_total=_count_rows(content),
        options=dict(options or {}),
    )
    transaction.on_commit(lambda: process_import.enqueue(run.pk))
    return run


def _count_rows(content: bytes) -> int:
    """A cheap estimate for the progress bar (lines of a CSV; unknown for XLSX and ZIP)."""
    if content.startswith(b"PK"):
        return 0
    return max(0, content.count(b"\n") - 1)


@task()
def process_import(run_id: int) -> None:
    """The background worker's job (``practica db_worker``): checks or applies a queued import
    run; idempotent (a finished run is left alone)."""
    run = (
        ImportRun.objects.unscoped("the worker runs the import it was handed")
        .filter(pk=run_id)
        .first()
    )
    if run is None or run.is_finished:
        return
    process_run(run)


def process_run(run: ImportRun) -> None:
    """The background task's work: read the stored upload and run it."""
    viewer: Viewer = run.created_by if run.created_by is not None else permissions.OPERATOR
    content = bytes(run.upload)
    try:
        if run.kind == BATCH and run.file_name.lower().endswith(".xlsx"):
            files = files_of_workbook(run.file_name, content)
        elif run.kind == BATCH:
            files = files_of_batch(run.file_name, content)
        else:
            files = [(get_importer(run.kind), run.file_name, content)]
    except (UnreadableFileError, LookupError) as error:
        _finish(run, ImportStatus.FAILED, errors=[str(RowError(None, None, str(error)))])
        return
    import_files(
        actor=run.created_by,
        viewer=viewer,
        files=files,
        dry_run=run.dry_run,
        only_organisation=run.only_organisation,
        run=run,
        options=run.options,
    )


STALLED = (
    "The background worker stopped while this import was running, so nothing was written. "
    "Try again."
)


@transaction.atomic
def retry_stalled_run(*, actor: User, run: ImportRun) -> ImportRun:
    """A run whose worker stopped part way, queued again as a new run of the same upload (the
    stopped run is recorded as failed). Nothing of it was written: the apply is one
    transaction, which the database undid when the worker's connection went."""
    run = (
        ImportRun.objects.unscoped("the caller was allowed to see the run")
        .select_for_update()
        .get(pk=run.pk)
    )
    if not rules.may_start_again(actor, run):
        raise PermissionDenied("Only who started an import may try it again.")
    if not selectors.is_stalled(run) or not run.upload:
        raise ValueError("Only an import that stopped part way can be tried again.")
    retried = queue_upload(
        actor=actor,
        organisation=run.organisation,
        kind=run.kind,
        file_name=run.file_name,
        content=bytes(run.upload),
        dry_run=run.dry_run,
        options=run.options,
    )
    retried.only_organisation = run.only_organisation
    retried.save(update_fields=["only_organisation"])
    _finish(run, ImportStatus.FAILED, errors=[STALLED])
    return retried


@transaction.atomic
def import_checked_run(*, actor: User, run: ImportRun) -> ImportRun:
    """After a successful check, the same upload imported for real (once)."""
    if not rules.may_start_again(actor, run):
        raise PermissionDenied("Only who checked a file may import it.")
    if run.status != ImportStatus.CHECKED or not run.upload:
        raise ValueError("Only a checked file that has not been imported yet can be imported.")
    imported = queue_upload(
        actor=actor,
        organisation=run.organisation,
        kind=run.kind,
        file_name=run.file_name,
        content=bytes(run.upload),
        dry_run=False,
        options=run.options,
    )
    _progress(run, upload=b"")
    return imported

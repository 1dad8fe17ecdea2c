"""Background work for imports, run by the database-backed worker (`practica db_worker`)."""

from __future__ import annotations

from django.tasks import task

from practica.imports.models import ImportRun


@task()
def process_import(run_id: int) -> None:
    """Checks or applies a queued import run; idempotent (a finished run is left alone)."""
    from practica.imports.services import process_run

    run = (
        ImportRun.objects.unscoped("the worker runs the import it was handed")
        .filter(pk=run_id)
        .first()
    )

    if run is None or run.is_finished:
        return
    process_run(run)

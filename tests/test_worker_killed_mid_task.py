"""Background work survives its worker being killed (issue 15, "Reliability"): a real
``practica db_worker`` process is started, killed with SIGKILL while it is applying an import
(rows written, its transaction still open), and the same task is run again by a new worker.
The import is applied exactly once; running the task yet again changes nothing.

The worker is a subprocess on the test database, so the data it reads must be committed
(``transaction=True``) and the database must be one another process can open: PostgreSQL
(``make test-postgres``). On SQLite (an in-memory test database) the test is skipped with the
reason shown.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from practica.accounts.models import User
from practica.core.models import Organisation, Team
from practica.imports import services
from practica.imports.models import ImportedRecord, ImportRun, ImportStatus

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a worker process needs a database another process can open (make test-postgres)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NAMES = [f"Killed worker team {number}" for number in range(1, 6)]
CONTENT = (
    "organisation,name,service_area\n" + "".join(f"AAA,{n},childrens\n" for n in NAMES)
).encode()

# The worker, started as `python -c WORKER ARGS…`: Django's own db_worker command (Practica's,
# with its heartbeat). With PRACTICA_TEST_PAUSE_MARKER set, the first INSERT of a team writes
# the marker file and then waits inside the open transaction, so the test kills it mid-task.
WORKER = """
import os, sys, time
from pathlib import Path

import django

django.setup()
from django.core.management import call_command
from django.db.backends.signals import connection_created

marker = os.environ.get("PRACTICA_TEST_PAUSE_MARKER")


def pause_after_the_first_team(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if marker and sql.lstrip().startswith('INSERT INTO "core_team"'):
        Path(marker).write_text("a team is written, not committed")
        time.sleep(600)
    return result


def wrap(sender, connection, **kwargs):
    connection.execute_wrappers.append(pause_after_the_first_team)


connection_created.connect(wrap)
call_command("db_worker", *sys.argv[1:])
"""


def worker(*args: str, pause_marker: Path | None = None) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "practica.settings.dev",
        "PRACTICA_DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
    }
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if pause_marker is not None:
        env["PRACTICA_TEST_PAUSE_MARKER"] = str(pause_marker)
    command = [
        sys.executable,
        "-c",
        WORKER,
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
    ]
    command += args
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180
    while not condition():
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"the worker ended before it was killed:\n{output[-3000:]}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the worker did not reach the middle of the task in 180 s")
        time.sleep(0.2)


def run_the_queue_once() -> None:
    """A fresh worker that works through what is queued and stops (``--batch``)."""
    process = worker("--batch")
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output.decode()[-3000:]


def teams() -> list[str]:
    return sorted(
        Team.objects.unscoped("the test counts every team")
        .filter(name__in=NAMES)
        .values_list("name", flat=True)
    )


def test_an_import_whose_worker_is_killed_mid_apply_is_applied_once_when_run_again(
    alice: User, org_a: Organisation, tmp_path: Path
) -> None:
    with override_settings(TASKS=DATABASE_TASKS):
        run = services.queue_upload(
            actor=alice,
            organisation=org_a,
            kind="teams",
            file_name="teams.csv",
            content=CONTENT,
            dry_run=False,
        )
    marker = tmp_path / "paused"
    process = worker(pause_marker=marker)
    try:
        wait_for(marker.exists, process)
        assert teams() == []  # written inside the worker's transaction, not committed
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    run.refresh_from_db()
    assert not run.is_finished
    assert teams() == []  # the database undid the open transaction when the worker died

    with override_settings(TASKS=DATABASE_TASKS):
        services.process_import.enqueue(run.pk)  # the same task, handed out again
    run_the_queue_once()
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert (run.created_count, run.updated_count) == (len(NAMES), 0)
    assert teams() == sorted(NAMES)

    with override_settings(TASKS=DATABASE_TASKS):
        services.process_import.enqueue(run.pk)  # and again, after it succeeded
    finished_at = run.finished_at
    run_the_queue_once()
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert (run.created_count, run.finished_at) == (len(NAMES), finished_at)  # not run again
    assert teams() == sorted(NAMES)
    assert ImportedRecord.objects.filter(run=run).count() == len(NAMES)
    assert ImportRun.objects.unscoped("the test counts every run").count() == 1

"""A real ``practica db_worker`` process that can be paused in the middle of a task and killed
with SIGKILL (issue 15, "Reliability": every task is idempotent when retried). Shared by the
killed-worker tests (``tests/test_worker_killed_mid_task.py``).

The worker is a subprocess on the test database, so the data it reads must be committed
(``transaction=True``) and the database must be one another process can open: PostgreSQL
(``make test-postgres``). On SQLite (an in-memory test database) the tests are skipped.
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

needs_a_shared_database = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker process needs a database another process can open (make test-postgres)",
)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The worker, started as `python -c WORKER ARGS…`: Practica's db_worker command (with its
# heartbeat). With PRACTICA_TEST_PAUSE_MARKER set, the PRACTICA_TEST_PAUSE_AT-th statement that
# starts with PRACTICA_TEST_PAUSE_ON (double quotes ignored) writes the marker file once it has
# run and then waits inside its open transaction, so the test can kill the worker mid-task.
WORKER = """
import os, sys, time
from pathlib import Path

import django

django.setup()
from django.core.management import call_command
from django.db.backends.signals import connection_created

marker = os.environ.get("PRACTICA_TEST_PAUSE_MARKER")
pause_on = os.environ.get("PRACTICA_TEST_PAUSE_ON", "").upper()
pause_at = int(os.environ.get("PRACTICA_TEST_PAUSE_AT", "1"))
seen = 0


def pause_mid_task(execute, sql, params, many, context):
    global seen
    result = execute(sql, params, many, context)
    if marker and sql.lstrip().replace('"', "").upper().startswith(pause_on):
        seen += 1
        if seen == pause_at:
            Path(marker).write_text("paused in the middle of the task")
            time.sleep(600)
    return result


def wrap(sender, connection, **kwargs):
    connection.execute_wrappers.append(pause_mid_task)


connection_created.connect(wrap)
call_command("db_worker", *sys.argv[1:])
"""


def worker(
    *args: str, pause_marker: Path | None = None, pause_on: str = "", pause_at: int = 1
) -> subprocess.Popen[bytes]:
    """A worker on the test database; with ``pause_marker``, it pauses at the ``pause_at``-th
    statement starting with ``pause_on`` (e.g. ``INSERT INTO core_team``)."""
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
        env["PRACTICA_TEST_PAUSE_ON"] = pause_on
        env["PRACTICA_TEST_PAUSE_AT"] = str(pause_at)
    command = [sys.executable, "-c", WORKER, "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.2", *args]
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


def kill_mid_task(
    tmp_path: Path,
    *,
    pause_on: str,
    pause_at: int = 1,
    while_paused: Callable[[], None] | None = None,
) -> None:
    """Starts a worker, waits until it is paused at the statement described (its transaction
    open), calls ``while_paused`` and kills the worker with SIGKILL."""
    marker = tmp_path / f"paused-{pause_at}-{abs(hash(pause_on))}"
    process = worker(pause_marker=marker, pause_on=pause_on, pause_at=pause_at)
    try:
        wait_for(marker.exists, process)
        if while_paused is not None:
            while_paused()
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def run_the_queue_once() -> None:
    """A fresh worker that works through what is queued and stops (``--batch``)."""
    process = worker("--batch")
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output.decode()[-3000:]

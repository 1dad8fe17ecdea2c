"""Background work survives its worker being killed (issue 15, "Reliability"): a real
``practica db_worker`` process is started, killed with SIGKILL in the middle of a task (rows
written, its transaction still open), and the same task is run again by a new worker. The work
is done exactly once; running the task yet again changes nothing.

The harness is ``tests/killed_worker.py``; PostgreSQL only (``make test-postgres``): on SQLite
the tests are skipped with the reason shown. The tasks that send e-mail are interrupted in
process instead (their tests are listed in docs/security.md, "Background work"), on both databases.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation, Partnership, Team, WorkerHeartbeat
from practica.imports import services
from practica.imports.models import ImportedRecord, ImportRun, ImportStatus
from practica.organisations.tests.factories import LocationFactory, TeamFactory
from practica.placements.allocation_models import (
    AllocationProposal,
    AllocationRun,
    RunStatus,
    UnplacedStudent,
)
from practica.placements.models import Route, StudentStage
from practica.placements.runs import services as runs
from practica.placements.tests.factories import PlacementOfferFactory, StudentFactory, year_2019
from tests.killed_worker import (
    DATABASE_TASKS,
    kill_mid_task,
    needs_a_shared_database,
    run_the_queue_once,
)

pytestmark = [
    needs_a_shared_database,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAMES = [f"Killed worker team {number}" for number in range(1, 6)]
CONTENT = (
    "organisation,name,service_area\n" + "".join(f"AAA,{n},childrens\n" for n in NAMES)
).encode()


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

    def nothing_committed_yet() -> None:
        assert teams() == []  # written inside the worker's transaction, not committed

    kill_mid_task(tmp_path, pause_on="INSERT INTO core_team", while_paused=nothing_committed_yet)
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


def rows_of(run: AllocationRun) -> tuple[int, int]:
    return (
        AllocationProposal.objects.filter(run=run).count(),
        UnplacedStudent.objects.filter(run=run).count(),
    )


def test_an_allocation_whose_worker_is_killed_mid_store_is_stored_once_when_run_again(
    partnership: Partnership, org_a: Organisation, org_b: Organisation, tmp_path: Path
) -> None:
    """Two students of org_b, one offer of org_a in their town: one proposal, one unplaced."""
    location = LocationFactory.create(organisation=org_a, name="Dover")
    team = TeamFactory.create(organisation=org_a, location=location, name="Dover team")
    PlacementOfferFactory.create(
        organisation=org_a, team=team, location=location, slots=1, routes=[Route.BA]
    )
    for ref in ("K1", "K2"):
        StudentFactory.create(
            hei=org_b,
            student_ref=ref,
            route=Route.BA,
            stage=StudentStage.FINAL_100,
            home_location="Dover",
            travel_limit_minutes=60,
        )
    with override_settings(TASKS=DATABASE_TASKS):
        run = runs.start_run(
            actor=None, partnership=partnership, organisation=org_b, academic_year=year_2019()
        )

    def nothing_stored_yet() -> None:
        assert rows_of(run) == (0, 0)

    kill_mid_task(
        tmp_path,
        pause_on="INSERT INTO placements_unplacedstudent",
        while_paused=nothing_stored_yet,
    )
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING  # taken up, then its worker died
    assert rows_of(run) == (0, 0)  # the proposals written were undone with the transaction
    # the dead worker falls silent: three heartbeats later no live worker is running the run
    silent = timezone.now() - datetime.timedelta(minutes=10)
    WorkerHeartbeat.objects.update(last_seen=silent)

    with override_settings(TASKS=DATABASE_TASKS):
        runs.process_allocation.enqueue(run.pk)  # the same task, handed out again
    run_the_queue_once()
    run.refresh_from_db()
    assert run.status == RunStatus.FINISHED, run.error
    assert rows_of(run) == (1, 1)

    finished_at = run.finished_at
    with override_settings(TASKS=DATABASE_TASKS):
        runs.process_allocation.enqueue(run.pk)  # and again, after it finished
    run_the_queue_once()
    run.refresh_from_db()
    assert (run.status, run.finished_at) == (RunStatus.FINISHED, finished_at)  # not run again
    assert rows_of(run) == (1, 1)
    assert AllocationRun.objects.unscoped("the test counts every run").count() == 1

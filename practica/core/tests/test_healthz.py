"""/healthz for monitoring (issue 15): the database answers, every migration is applied and a
background worker was heard from lately; no sign-in, no personal data, never cached."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command, get_commands
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from django.utils import timezone

from practica.accounts.models import User
from practica.core import health
from practica.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _migrations_checked_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "_migrated", False)


def _worker_seen(seconds_ago: float) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", started_at=now, last_seen=now - timedelta(seconds=seconds_ago)
    )


def test_all_well_answers_200_to_anyone_without_personal_data(client: Client, alice: User) -> None:
    _worker_seen(5)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"},
    }
    assert response["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response
    assert "@" not in response.content.decode()
    assert "w1" not in response.content.decode()


def test_a_worker_not_heard_from_in_three_beats_fails(client: Client) -> None:
    _worker_seen(91)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert response.json()["checks"]["worker"].startswith("no background worker heard from")


def test_no_worker_ever_started_fails(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "run `practica db_worker`" in response.json()["checks"]["worker"]


def test_a_migration_not_applied_fails(client: Client) -> None:
    _worker_seen(5)
    # the latest migration of an app (one that others do not build on), as if never applied
    leaf = next(
        name for app, name in MigrationLoader(connection).graph.leaf_nodes() if app == "core"
    )
    MigrationRecorder(connection).migration_qs.filter(app="core", name=leaf).delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == (
        "1 migration not applied: run `practica migrate`"
    )


def test_a_database_that_does_not_answer_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _worker_seen(5)

    class Unreachable:
        def cursor(self) -> Any:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Unreachable())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "the database does not answer"


def test_only_get_and_head_are_answered(client: Client) -> None:
    assert client.post("/healthz").status_code == 405


@pytest.fixture
def _signals_restored() -> Iterator[None]:
    """The worker sets its own SIGINT/SIGTERM/SIGQUIT handlers; the test process keeps its own."""
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    before = {name: signal.getsignal(name) for name in names}
    yield
    for name, handler in before.items():
        signal.signal(name, handler)


# The worker closes a connection left outside autocommit (close_old_connections), as a test's
# transaction would leave it: this test commits instead.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("_signals_restored")
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_records_its_heartbeat() -> None:
    assert get_commands()["db_worker"] == "practica.core.worker"
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, worker_id="w9"
    )
    heartbeat = WorkerHeartbeat.objects.get()
    assert timezone.now() - heartbeat.last_seen < timedelta(seconds=30)

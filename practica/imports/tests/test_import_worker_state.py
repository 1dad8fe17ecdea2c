"""An import waiting for a background worker that is not running says so, and an import whose
worker stopped part way is shown as stopped and can be tried again (nothing of it written)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import User
from practica.core.models import Organisation, Team, WorkerHeartbeat
from practica.imports import services
from practica.imports.models import ImportRun, ImportStatus

CONTENT = b"organisation,name,service_area\nAAA,Assessment,childrens\n"
NO_WORKER = "has not started because Practica's background worker is not running"
STOPPED = "This import stopped part way"


def a_run(alice: User, org: Organisation, **fields: object) -> ImportRun:
    return ImportRun.objects.create(
        kind="teams",
        file_name="teams.csv",
        organisation=org,
        created_by=alice,
        upload=CONTENT,
        **{"dry_run": False, **fields},
    )


def a_worker(*, started_ago: int, seen_ago: int = 1) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id=f"worker-started-{started_ago}",
        started_at=now - datetime.timedelta(seconds=started_ago),
        last_seen=now - datetime.timedelta(seconds=seen_ago),
    )


def page(client: Client, run: ImportRun) -> str:
    return client.get(reverse("imports:run-detail", args=[run.pk])).content.decode()


def test_a_queued_import_says_when_no_worker_is_running(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    waited = a_run(alice, org_a, created_at=timezone.now() - datetime.timedelta(minutes=1))
    assert NO_WORKER in page(client, waited)
    just_sent = a_run(alice, org_a)
    assert NO_WORKER not in page(client, just_sent)  # a worker gets a few seconds to start
    a_worker(started_ago=600)
    assert NO_WORKER not in page(client, waited)


def test_a_worker_silent_for_three_heartbeats_counts_as_not_running(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    a_worker(started_ago=3600, seen_ago=600)
    waited = a_run(alice, org_a, created_at=timezone.now() - datetime.timedelta(minutes=1))
    assert NO_WORKER in page(client, waited)


def test_an_import_whose_worker_stopped_is_shown_stopped_and_can_be_tried_again(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    started = timezone.now() - datetime.timedelta(minutes=5)
    stopped = a_run(alice, org_a, status=ImportStatus.CHECKING, started_at=started)
    a_worker(started_ago=60)  # a worker restarted after the run began: not the run's worker
    html = page(client, stopped)
    assert STOPPED in html
    assert "Try again" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:run-retry", args=[stopped.pk]))
    stopped.refresh_from_db()
    assert stopped.status == ImportStatus.FAILED
    assert stopped.errors[0].startswith("The background worker stopped")
    retried = ImportRun.objects.unscoped("test").exclude(pk=stopped.pk).get()
    assert response.headers["Location"] == reverse("imports:run-detail", args=[retried.pk])
    assert retried.status == ImportStatus.APPLIED  # the queued task ran on commit
    assert Team.objects.unscoped("test").filter(name="Assessment").count() == 1


def test_a_running_import_with_its_worker_alive_is_not_stopped(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    a_worker(started_ago=3600)
    running = a_run(
        alice,
        org_a,
        status=ImportStatus.CHECKING,
        started_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    assert STOPPED not in page(client, running)
    response = client.post(reverse("imports:run-retry", args=[running.pk]), follow=True)
    assert "Only an import that stopped part way can be tried again." in response.content.decode()
    running.refresh_from_db()
    assert running.status == ImportStatus.CHECKING


def test_only_who_started_an_import_may_try_it_again(
    client: Client, alice: User, org_a: Organisation
) -> None:
    other = User.objects.create_user("other@example.test")
    stopped = a_run(other, org_a, status=ImportStatus.CHECKING, started_at=timezone.now())
    client.force_login(alice)
    assert client.post(reverse("imports:run-retry", args=[stopped.pk])).status_code == 403


def test_the_services_refuse_to_start_again_an_import_someone_else_started(
    alice: User, org_a: Organisation
) -> None:
    other = User.objects.create_user("other@example.test")
    stopped = a_run(other, org_a, status=ImportStatus.CHECKING, started_at=timezone.now())
    checked = a_run(other, org_a, status=ImportStatus.CHECKED, dry_run=True)
    with pytest.raises(PermissionDenied):
        services.retry_stalled_run(actor=alice, run=stopped)
    with pytest.raises(PermissionDenied):
        services.import_checked_run(actor=alice, run=checked)
    stopped.refresh_from_db()
    checked.refresh_from_db()
    assert (stopped.status, checked.status) == (ImportStatus.CHECKING, ImportStatus.CHECKED)
    assert bytes(checked.upload) == CONTENT
    assert ImportRun.objects.unscoped("test").count() == 2


def test_only_who_checked_a_file_is_offered_to_import_it(
    client: Client, alice: User, org_a: Organisation
) -> None:
    other = User.objects.create_user("other@example.test")
    theirs = a_run(other, org_a, status=ImportStatus.CHECKED, dry_run=True)
    mine = a_run(alice, org_a, status=ImportStatus.CHECKED, dry_run=True)
    client.force_login(alice)
    assert "Import these records" not in page(client, theirs)
    assert "Import these records" in page(client, mine)
    assert client.post(reverse("imports:run-import", args=[theirs.pk])).status_code == 403

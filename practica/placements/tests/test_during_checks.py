"""Pre-placement checks: a placement is confirmed only with every required check recorded and
valid on its first day; checks about to expire are reminded of once (docs/0029)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import User
from practica.core.academic_years import academic_year_of
from practica.core.models import Organisation
from practica.core.services import ensure_academic_year
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.placements import services
from practica.placements.during import services as during_services
from practica.placements.during.models import CheckKind, PreplacementCheck
from practica.placements.models import Placement, PlacementStatus
from practica.placements.tests.during_factories import PreplacementCheckFactory, with_checks
from practica.placements.tests.factories import PlacementFactory, StudentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def matched(org_a: Organisation, org_b: Organisation) -> Placement:
    return PlacementFactory.create(
        organisation=org_a,
        student=StudentFactory.create(hei=org_b, person__email="student@uni.example"),
        status=PlacementStatus.MATCHED,
        practice_educator=PracticeEducatorFactory.create(person__organisation=org_a),
        academic_year=ensure_academic_year(
            start_year=academic_year_of(TODAY + datetime.timedelta(days=20))
        ),
        starts_on=TODAY + datetime.timedelta(days=20),
        ends_on=TODAY + datetime.timedelta(days=160),
    )


def test_confirming_without_checks_is_refused_naming_each_missing_one(
    matched: Placement, alice: User
) -> None:
    with pytest.raises(ValidationError) as error:
        services.confirm_placement(actor=alice, placement=matched)
    message = " ".join(error.value.messages)
    assert "Enhanced DBS check is not recorded" in message
    assert "Occupational health clearance is not recorded" in message
    assert "Placement agreement signed is not recorded" in message
    matched.refresh_from_db()
    assert matched.status == PlacementStatus.MATCHED


def test_a_check_expiring_before_the_first_day_blocks_confirmation(
    matched: Placement, alice: User
) -> None:
    with_checks(matched.student)
    dbs = PreplacementCheck.objects.unscoped("test").get(kind=CheckKind.DBS)
    dbs.expires_on = TODAY + datetime.timedelta(days=10)  # the placement starts in 20
    dbs.save()
    with pytest.raises(ValidationError, match=r"expires on .* before the placement starts"):
        services.confirm_placement(actor=alice, placement=matched)
    during_services.record_check(
        actor=alice,
        student=matched.student,
        kind=CheckKind.DBS,
        completed_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=3 * 365),
    )
    services.confirm_placement(actor=alice, placement=matched)
    assert matched.status == PlacementStatus.CONFIRMED


def test_an_expired_check_is_named_as_expired(matched: Placement, alice: User) -> None:
    with_checks(matched.student, expires_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="Enhanced DBS check expired on"):
        services.confirm_placement(actor=alice, placement=matched)


def test_the_confirm_page_shows_why_it_refused(
    client: Client, matched: Placement, alice: User
) -> None:
    client.force_login(alice)
    response = client.post(reverse("placements:placement-step", args=[matched.pk, "confirm"]))
    assert response.status_code == 200
    assert "Enhanced DBS check is not recorded" in response.text


def test_reminders_go_once_to_the_student_and_university_before_a_check_expires(
    matched: Placement,
    charlie: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    soon = PreplacementCheckFactory.create(
        student=matched.student, expires_on=TODAY + datetime.timedelta(days=10)
    )
    PreplacementCheckFactory.create(
        student=matched.student,
        kind=CheckKind.HEALTH,
        expires_on=TODAY + datetime.timedelta(days=200),  # not yet
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert during_services.send_check_reminders() == 1
    assert [sorted(m.to) for m in mail.outbox] == [["charlie@example.test", "student@uni.example"]]
    assert "Enhanced DBS check expires" in mail.outbox[0].subject
    soon.refresh_from_db()
    assert soon.reminded_on == TODAY
    with django_capture_on_commit_callbacks(execute=True):
        call_command("placement-reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1  # reminded once


def test_renewing_a_check_clears_its_reminder(matched: Placement, charlie: User) -> None:
    check = PreplacementCheckFactory.create(
        student=matched.student, expires_on=TODAY, reminded_on=TODAY
    )
    during_services.record_check(
        actor=charlie,
        student=matched.student,
        kind=CheckKind.DBS,
        completed_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=365),
    )
    check.refresh_from_db()
    assert (check.reminded_on, check.completed_on) == (None, TODAY)
    assert check.history.count() == 2


def test_the_university_records_checks_from_the_students_page(
    client: Client, matched: Placement, charlie: User, alice: User
) -> None:
    url = reverse("placements:check-record", args=[matched.student.pk])
    client.force_login(alice)  # the provider reads the checks, the university keeps them
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("placements:student-checks", args=[matched.student.pk])).status_code
        == 200
    )
    client.force_login(charlie)
    response = client.post(
        url,
        {
            "kind": "health",
            "completed_on_0": "1",
            "completed_on_1": "9",
            "completed_on_2": "2020",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("placements:student-checks", args=[matched.student.pk]))
    assert "1 September 2020" in page.text
    assert "Does not expire" in page.text

"""A practice educator without an account signs off attendance through the single-use link
e-mailed when a week is logged: it shows the weeks of that one placement waiting for sign-off,
signs off those ticked, and then no longer works."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import PersonFactory, member
from practica.placements.during import services
from practica.placements.during.models import AttendanceWeek
from practica.placements.models import LinkPurpose, Placement, PlacementLink, PlacementStatus
from practica.placements.tests.factories import PlacementFactory, StudentFactory

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2020, 1, 6)  # the placement's first day (factories)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)


def under_way(
    org: Organisation, hei: Organisation, pe_email: str, student: User, educator: Any = None
) -> Placement:
    educator = educator or PracticeEducatorFactory.create(independent=True, person__email=pe_email)
    return PlacementFactory.create(
        organisation=org,
        confirmed=True,
        status=PlacementStatus.IN_PROGRESS,
        student=StudentFactory.create(
            hei=hei, person=PersonFactory.create(organisation=hei, user=student)
        ),
        practice_educator=educator,
    )


@pytest.fixture
def student(org_b: Organisation) -> User:
    return member(Role.STUDENT, org_b, email="student@example.test")


@pytest.fixture
def placement(org_a: Organisation, org_b: Organisation, student: User) -> Placement:
    return under_way(org_a, org_b, "Off.Site@pe.example", student)


def log(
    placement: Placement,
    student: User,
    week_starting: datetime.date,
    days: str,
    capture: DjangoCaptureOnCommitCallbacks,
) -> AttendanceWeek:
    with capture(execute=True):
        return services.log_attendance(
            actor=student,
            placement=placement,
            week_starting=week_starting,
            days=Decimal(days),
            base_url="https://practica.example",
        )


def link_in(message: mail.EmailMessage) -> str:
    match = re.search(r"https://practica\.example(\S+)", str(message.body))
    assert match is not None
    return match.group(1)


def test_a_logged_week_sends_the_educator_without_an_account_a_sign_off_link(
    placement: Placement,
    student: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    log(placement, student, MONDAY, "4", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["off.site@pe.example"]
    assert link_in(message).startswith("/placements/attendance-link/")
    [link] = PlacementLink.objects.unscoped("test")
    assert link.purpose == LinkPurpose.SIGN_OFF


def test_an_educator_with_an_account_signs_in_instead(
    org_a: Organisation,
    org_b: Organisation,
    student: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    placement = under_way(org_a, org_b, "pe@example.test", student)
    placement.practice_educator.person.user = member(  # type: ignore[union-attr]
        Role.PRACTICE_EDUCATOR, org_a, email="pe@example.test"
    )
    placement.practice_educator.person.save()  # type: ignore[union-attr]
    log(placement, student, MONDAY, "4", django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not PlacementLink.objects.unscoped("test").exists()


def test_the_educator_signs_off_the_weeks_ticked_through_the_link_once(
    client: Client,
    placement: Placement,
    student: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    first = log(placement, student, MONDAY, "4", django_capture_on_commit_callbacks)
    second = log(placement, student, NEXT_MONDAY, "3.5", django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[-1])

    opened = client.get(url)
    assert opened.status_code == 200
    assert opened["Cache-Control"] == "no-store"
    assert placement.student.person.full_name not in opened.text  # a mail scanner learns nothing
    shown = client.post(url, {"show": "1"})
    assert placement.student.person.full_name in shown.text
    assert "Week of 6 January 2020: 4.0 days" in shown.text
    assert "Week of 13 January 2020: 3.5 days" in shown.text

    done = client.post(url, {"weeks": [str(first.pk)]})
    assert "Attendance signed off" in done.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.signed_off
    assert first.signed_off_by is None
    assert first.signed_off_link is not None
    assert first.signed_off_link.email == "off.site@pe.example"
    assert not second.signed_off
    latest = first.history.latest()
    assert latest.history_user is None
    assert "single-use link" in (latest.history_change_reason or "")
    # used up: refused, with the reason
    again = client.post(url, {"weeks": [str(second.pk)]})
    assert again.status_code == 404
    assert "This link does not work" in again.text
    assert "already been used" in again.text
    second.refresh_from_db()
    assert not second.signed_off
    # the earlier link still shows the week left, and only it
    left = client.post(link_in(mail.outbox[0]), {"show": "1"})
    assert "13 January 2020" in left.text
    assert "6 January 2020" not in left.text


def test_an_expired_link_is_refused_with_the_reason(
    client: Client,
    placement: Placement,
    student: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    week = log(placement, student, MONDAY, "4", django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[0])
    PlacementLink.objects.unscoped("test").update(
        created_at=timezone.now() - datetime.timedelta(days=15),
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    for response in (client.get(url), client.post(url, {"weeks": [str(week.pk)]})):
        assert response.status_code == 404
        assert "has expired" in response.text
    week.refresh_from_db()
    assert not week.signed_off


def test_the_link_shows_and_signs_off_nothing_of_another_placement(
    client: Client,
    org_a: Organisation,
    org_b: Organisation,
    placement: Placement,
    student: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    other_student = member(Role.STUDENT, org_b, email="other@example.test")
    other = under_way(org_a, org_b, "", other_student, placement.practice_educator)  # the same PE
    theirs = log(other, other_student, NEXT_MONDAY, "2", django_capture_on_commit_callbacks)
    log(placement, student, MONDAY, "4", django_capture_on_commit_callbacks)
    url = link_in(mail.outbox[-1])
    shown = client.post(url, {"show": "1"})
    assert other.student.person.full_name not in shown.text
    assert "13 January 2020" not in shown.text
    refused = client.post(url, {"weeks": [str(theirs.pk)]})
    assert "Select a valid choice" in refused.text or "Choose" in refused.text
    theirs.refresh_from_db()
    assert not theirs.signed_off
    # a details link does not sign off, nor a sign-off link show the details page
    assert client.get(url.replace("attendance-link", "link")).status_code == 404


def test_a_link_sent_before_the_educator_changed_signs_nothing_off(
    placement: Placement,
    student: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    week = log(placement, student, MONDAY, "4", django_capture_on_commit_callbacks)
    [link] = PlacementLink.objects.unscoped("test")
    placement.practice_educator = PracticeEducatorFactory.create(
        independent=True, person__email="new@pe.example"
    )
    placement.save()
    link.placement.refresh_from_db()
    with pytest.raises(Exception, match="has changed since"):
        services.sign_off_through_link(link=link, weeks=[week])

"""Cause for concern: raised by anyone on the placement, run by the student's university and
the providing organisation, seen by no other organisation."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership
from practica.organisations.tests.factories import OrganisationFactory, member
from practica.placements.during.models import CauseForConcern, ConcernStatus, RaisedBy
from practica.placements.during.services import raise_concern, raised_as
from practica.placements.tests.during_conftest_helpers import People, placement_under_way
from practica.placements.tests.during_factories import CauseForConcernFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org_a: Organisation, org_b: Organisation) -> People:
    return placement_under_way(org_a, org_b)


def test_the_educator_raises_and_the_university_runs_it_to_a_close(
    client: Client,
    people: People,
    alice: User,
    charlie: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    placement = people.placement
    client.force_login(people.educator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("placements:concern-raise", args=[placement.pk]),
            {"concern": "Late to every visit."},
        )
    concern = CauseForConcern.objects.unscoped("test").get()
    assert (concern.raised_as, concern.status) == (RaisedBy.PRACTICE_EDUCATOR, "raised")
    assert sorted(mail.outbox[0].to) == ["alice@example.test", "charlie@example.test"]
    assert "Cause for concern open" in client.get(placement.get_absolute_url()).text
    # the educator reads it but does not run it
    step = reverse("placements:concern-step", args=[concern.pk, "meeting"])
    assert client.get(step).status_code == 404

    client.force_login(charlie)
    today = timezone.localdate()
    client.post(
        step,
        {
            "meeting_on_0": str(today.day),
            "meeting_on_1": str(today.month),
            "meeting_on_2": str(today.year),
            "notes": "Met.",
        },
    )
    client.post(
        reverse("placements:concern-step", args=[concern.pk, "action-plan"]),
        {"action_plan": "Arrive by nine; weekly check-in."},
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACTION_PLAN
    client.post(
        reverse("placements:concern-step", args=[concern.pk, "close"]),
        {"outcome": "Punctual for six weeks."},
    )
    concern.refresh_from_db()
    assert (concern.status, concern.closed_on is not None) == (ConcernStatus.RESOLVED, True)
    assert "Cause for concern open" not in client.get(placement.get_absolute_url()).text


def test_a_concern_is_seen_by_the_university_and_the_provider_only(
    people: People, alice: User, charlie: User, manager: User, partnership: Partnership
) -> None:
    concern = CauseForConcernFactory.create(placement=people.placement)
    tutor = member(Role.ACADEMIC, people.placement.student.hei, email="tutor@example.test")
    other_la = OrganisationFactory.create(partnership=partnership, code="ZZZ")
    other_hei = OrganisationFactory.create(partnership=partnership, code="YYY", kind="hei")
    outsiders = [
        member(Role.COORDINATOR, other_la),
        member(Role.COORDINATOR, other_hei),
        member(Role.ACADEMIC, other_hei),
        manager,
    ]
    for user in (alice, charlie, tutor):
        assert permissions.can(user, "manage", concern)
    for user in (people.educator, people.student, people.supervisor):
        assert permissions.can(user, "view", concern)
        assert not permissions.can(user, "manage", concern)
    for user in outsiders:
        assert not permissions.can(user, "view", concern)


def test_the_student_raises_one_as_the_student(client: Client, people: People) -> None:
    client.force_login(people.student)
    client.post(
        reverse("placements:concern-raise", args=[people.placement.pk]),
        {"concern": "I am given no work."},
    )
    concern = CauseForConcern.objects.unscoped("test").get()
    assert (concern.raised_as, concern.raised_by) == (RaisedBy.STUDENT, people.student)
    assert concern.raised_on == timezone.localdate()


def test_the_capacity_a_concern_is_raised_in_follows_the_person_and_organisation(
    people: People, org_a: Organisation, org_b: Organisation, alice: User
) -> None:
    placement = people.placement
    tutor = member(Role.ACADEMIC, org_b, email="tutor@example.test")
    assert raised_as(people.supervisor, placement, org_a.pk) == RaisedBy.SUPERVISOR
    assert raised_as(people.educator, placement, org_a.pk) == RaisedBy.PRACTICE_EDUCATOR
    assert raised_as(tutor, placement, org_b.pk) == RaisedBy.TUTOR
    assert raised_as(alice, placement, org_a.pk) == RaisedBy.COORDINATOR
    assert raised_as(None, placement, None) == RaisedBy.COORDINATOR


def test_a_concern_raised_without_an_account_says_who_raised_it(
    people: People,
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        concern = raise_concern(
            actor=None,
            placement=people.placement,
            acting_in=None,
            concern="The supervisor reports missed visits.",
            capacity=RaisedBy.SUPERVISOR,
        )
    concern.refresh_from_db()
    assert (concern.raised_by, concern.raised_as) == (None, RaisedBy.SUPERVISOR)
    assert concern.get_raised_as_display() == "On-site supervisor"
    assert mail.outbox[0].to == ["alice@example.test"]  # the coordinators hear of it


def test_a_concern_raised_without_an_account_or_a_capacity_is_refused(people: People) -> None:
    with pytest.raises(ValidationError, match="Say who raised the concern"):
        raise_concern(
            actor=None, placement=people.placement, acting_in=None, concern="Missed visits."
        )
    assert not CauseForConcern.objects.unscoped("test").exists()

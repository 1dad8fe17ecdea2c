"""Sending the placement evaluation: the student gets the student version, the practice educator
and on-site supervisor the educator version, each a personal single-use link whose response
records the placement; reminders; who may send."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership
from practica.organisations.tests.factories import OrganisationFactory, member
from practica.placements import evaluation
from practica.placements.models import Placement, PlacementStatus
from practica.placements.tests.evaluation_helpers import answer, answers, completed_placement
from practica.placements.tests.factories import PlacementFactory
from practica.questionnaires import services
from practica.questionnaires.models import Invitation, Response
from practica.questionnaires.standard import install_standard_questionnaires

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tool(partnership: Partnership) -> None:
    install_standard_questionnaires(actor=None, partnership=partnership)


@pytest.fixture
def placement(org_a: Organisation, org_b: Organisation) -> Placement:
    return completed_placement(org_a, org_b, supervisor=True)


def links_of(placement: Placement) -> dict[str, str]:
    """Each person asked about ``placement`` → the short name of the questionnaire they got."""
    return {
        invitation.person.email: invitation.distribution.version.questionnaire.slug
        for invitation in evaluation.asked_about(placement)
    }


def test_the_student_gets_the_student_version_and_the_educators_the_educator_version(
    placement: Placement, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = evaluation.send_evaluations(
            actor=None, placements=[placement], base_url="https://practica.test"
        )
    assert sent.asked == 3
    assert placement.practice_educator is not None
    assert placement.onsite_supervisor is not None
    assert links_of(placement) == {
        placement.student.person.email: "placement-evaluation-student",
        placement.practice_educator.person.email: "placement-evaluation-educator",
        placement.onsite_supervisor.email: "placement-evaluation-educator",
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(links_of(placement))
    assert all("/questionnaires/answer/" in m.body for m in mail.outbox)


def test_the_response_records_which_placement_it_is_about(placement: Placement) -> None:
    evaluation.send_evaluations(actor=None, placements=[placement], send=False)
    invitation = Invitation.objects.get(person=placement.student.person)
    token = services.issue_token(invitation)
    found = services.invitation_for_token(token)
    assert found is not None
    answer(found)
    response = Response.objects.get(person=placement.student.person)
    assert response.subject_type == ContentType.objects.get_for_model(Placement)
    assert response.subject_id == placement.pk
    assert response.academic_year == placement.academic_year
    # the link works once
    assert services.invitation_for_token(token) is None


def test_the_link_says_which_placement_it_is_about(client: Client, placement: Placement) -> None:
    evaluation.send_evaluations(actor=None, placements=[placement], send=False)
    student_link = services.issue_token(Invitation.objects.get(person=placement.student.person))
    assert placement.practice_educator is not None
    educator_link = services.issue_token(
        Invitation.objects.get(person=placement.practice_educator.person)
    )
    page = client.get(reverse("questionnaires:respond", args=[student_link])).content.decode()
    assert f"About your final placement (100 days) with {placement.setting_name}" in page
    page = client.get(reverse("questionnaires:respond", args=[educator_link])).content.decode()
    assert f"of {placement.student.person.full_name} with" in page


def test_people_asked_before_are_not_asked_again(
    placement: Placement, org_a: Organisation, org_b: Organisation
) -> None:
    evaluation.send_evaluations(actor=None, placements=[placement], send=False)
    later = completed_placement(org_a, org_b)
    sent = evaluation.send_evaluations(actor=None, placements=[placement, later], send=False)
    assert sent.asked == 2  # the new placement's student and educator only
    with pytest.raises(ValidationError, match="asked already"):
        evaluation.send_evaluations(actor=None, placements=[placement, later], send=False)


def test_a_placement_that_has_not_started_is_not_evaluated(
    org_a: Organisation, org_b: Organisation
) -> None:
    requested = PlacementFactory.create(organisation=org_a, student__hei=org_b)
    with pytest.raises(ValidationError, match="has not started"):
        evaluation.send_evaluations(actor=None, placements=[requested], send=False)


def test_someone_without_an_e_mail_address_is_reported_and_the_rest_are_asked(
    placement: Placement,
) -> None:
    supervisor = placement.onsite_supervisor
    assert supervisor is not None
    supervisor.email = ""
    supervisor.save()
    sent = evaluation.send_evaluations(actor=None, placements=[placement], send=False)
    assert sent.asked == 2
    assert sent.skipped == [f"{supervisor.full_name} (on-site supervisor) has no e-mail address."]


def test_a_reminder_goes_only_to_those_who_have_not_answered(
    placement: Placement, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.send_evaluations(actor=None, placements=[placement])
    answer(Invitation.objects.get(person=placement.student.person))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminded = evaluation.remind_evaluations(
            actor=None, placements=Placement.objects.unscoped("test").filter(pk=placement.pk)
        )
    assert reminded == 2
    assert len(mail.outbox) == 2
    assert placement.student.person.email not in {m.to[0] for m in mail.outbox}
    assert all(m.subject.startswith("Reminder: ") for m in mail.outbox)


def test_a_coordinator_sends_for_every_completed_placement_of_a_year(
    client: Client, alice: User, placement: Placement, org_a: Organisation, org_b: Organisation
) -> None:
    in_progress = completed_placement(org_a, org_b)
    Placement.objects.unscoped("test").filter(pk=in_progress.pk).update(
        status=PlacementStatus.IN_PROGRESS
    )
    elsewhere = completed_placement(
        OrganisationFactory.create(partnership=org_a.partnership), org_b
    )
    client.force_login(alice)
    response = client.post(
        reverse("placements:evaluations"), {"send-year": "2019/20", "action": "send"}
    )
    assert response.status_code == 302
    assert len(links_of(placement)) == 3
    assert links_of(in_progress) == {}  # not completed yet
    assert links_of(elsewhere) == {}  # another organisation's placement


def test_the_students_university_sends_for_one_placement(
    client: Client, charlie: User, placement: Placement
) -> None:
    client.force_login(charlie)
    url = reverse("placements:evaluation", args=[placement.pk])
    assert client.post(url, {"action": "send"}).status_code == 302
    assert len(links_of(placement)) == 3
    page = client.get(url).content.decode()
    assert placement.student.person.full_name in page
    assert "Not yet" in page


def test_a_practice_educator_sees_the_placement_but_does_not_send(
    client: Client, placement: Placement
) -> None:
    assert placement.practice_educator is not None
    user = member(Role.PRACTICE_EDUCATOR, placement.organisation)
    person = placement.practice_educator.person
    person.user = user
    person.save()
    client.force_login(user)
    url = reverse("placements:evaluation", args=[placement.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "send"}).status_code == 403
    assert links_of(placement) == {}


def test_another_organisations_coordinator_does_not_find_the_placement(
    client: Client, placement: Placement, partnership: Partnership
) -> None:
    client.force_login(
        member(Role.COORDINATOR, OrganisationFactory.create(partnership=partnership))
    )
    url = reverse("placements:evaluation", args=[placement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "send"}).status_code == 404


def test_answers_given_through_the_link_are_counted_once(placement: Placement) -> None:
    evaluation.send_evaluations(actor=None, placements=[placement], send=False)
    invitation = Invitation.objects.get(person=placement.student.person)
    answer(invitation)
    with pytest.raises(ValidationError, match="works once"):
        services.submit_response(
            invitation=invitation, answers=answers(invitation.distribution.version)
        )

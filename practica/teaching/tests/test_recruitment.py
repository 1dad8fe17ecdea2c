"""Recruitment and training of practitioner teachers: the expression of interest with the line
manager's agreement, the workshops (learning events of the kind ``pt_workshop``), shadowing,
and "ready to teach" worked out from the steps the partnership's rule requires."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.learning.events import services as event_services
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory, member
from practica.teaching.directory import readiness, services
from practica.teaching.models import (
    Expertise,
    ExpressionOfInterest,
    PractitionerStatus,
    PractitionerTeacher,
    ReadinessRule,
)
from practica.teaching.tests.factories import PractitionerTeacherFactory

pytestmark = pytest.mark.django_db


def _practitioner(organisation: Organisation) -> User:
    user = member(Role.PRACTITIONER_TEACHER, organisation)
    PersonFactory.create(organisation=organisation, user=user, email=user.email)
    return user


def _express(client: Client) -> object:
    return client.post(
        reverse("teaching:pt-interest"),
        {
            "knowledge": "Court work in care proceedings",
            "skills": "Presenting and role play",
            "experience": "Eight years in child protection",
            "areas": [Expertise.objects.get(code="court_skills").pk],
            "line_manager_name": "Lee Manager",
            "line_manager_email": "lee.manager@example.test",
        },
    )


def _token() -> str:
    link = re.search(r"https?://\S+/agree/(\S+)/", str(mail.outbox[-1].body))
    assert link is not None
    return link.group(1)


def test_a_practitioner_expresses_interest_and_their_line_manager_agrees(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    organisation = OrganisationFactory.create()
    user = _practitioner(organisation)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = _express(client)

    assert response.status_code == 302  # type: ignore[attr-defined]
    teacher = PractitionerTeacher.objects.unscoped("test").get(person__user=user)
    assert teacher.status == PractitionerStatus.INTERESTED
    assert mail.outbox[-1].to == ["lee.manager@example.test"]
    token = _token()
    client.logout()

    agreed = client.post(reverse("teaching:pt-agree", args=[token]), {"agrees": "yes"})
    again = client.get(reverse("teaching:pt-agree", args=[token]))

    assert agreed.status_code == 200
    assert "Thank you" in agreed.text
    assert again.status_code == 404  # the link works once
    interest = ExpressionOfInterest.objects.unscoped("test").get(person=teacher.person)
    assert interest.agreed
    teacher.refresh_from_db()
    assert teacher.status == PractitionerStatus.IN_TRAINING


def test_a_line_manager_who_does_not_agree_says_why(client: Client) -> None:
    organisation = OrganisationFactory.create()
    person = PersonFactory.create(organisation=organisation)
    _interest, token = services.express_interest(
        actor=None,
        person=person,
        knowledge="k",
        skills="s",
        experience="e",
        areas=[],
        line_manager_name="Lee",
        line_manager_email="lee@example.test",
        send=False,
    )

    response = client.post(reverse("teaching:pt-agree", args=[token]), {"agrees": "no"})

    assert response.status_code == 200
    assert "Say why" in response.text


def test_an_unknown_agreement_link_shows_a_page_that_says_so(client: Client) -> None:
    response = client.get(reverse("teaching:pt-agree", args=["not-a-token"]))
    assert response.status_code == 404
    assert "This link does not work" in response.text


def test_someone_without_a_practitioner_role_cannot_express_interest(client: Client) -> None:
    organisation = OrganisationFactory.create()
    user = member(Role.STUDENT, organisation)
    PersonFactory.create(organisation=organisation, user=user)
    client.force_login(user)
    assert client.get(reverse("teaching:pt-interest")).status_code == 403


def _attend(teacher: PractitionerTeacher, count: int) -> None:
    started = timezone.now() - datetime.timedelta(days=30)
    for number in range(count):
        event = EventFactory.create(
            organisation=teacher.person.organisation,
            kind="pt_workshop",
            title=f"Practitioner teacher workshop {number + 1}",
            starts_at=started + datetime.timedelta(days=number),
            ends_at=started + datetime.timedelta(days=number, hours=3),
        )
        event_services.record_attendance(
            actor=None, event=event, person=teacher.person, attended="yes"
        )


def _agreed_interest(teacher: PractitionerTeacher) -> None:
    interest, _token = services.express_interest(
        actor=None,
        person=teacher.person,
        knowledge="k",
        skills="s",
        experience="e",
        areas=[],
        line_manager_name="Lee",
        line_manager_email="lee@example.test",
        send=False,
    )
    services.answer_interest(interest=interest, agrees=True)


def test_ready_to_teach_needs_every_step_the_default_rule_asks_for() -> None:
    teacher = PractitionerTeacherFactory.create(status=PractitionerStatus.INTERESTED)
    _agreed_interest(teacher)
    _attend(teacher, 2)
    assert not readiness.steps_of(teacher).ready

    _attend(teacher, 1)
    assert not readiness.steps_of(teacher).ready  # shadowing still to do

    services.record_shadowing(
        actor=None, teacher=teacher, on=datetime.date(2019, 11, 14), session="Court skills, CCCU"
    )

    steps = readiness.steps_of(teacher)
    assert steps.ready
    assert len(steps.workshops) == 3
    teacher.refresh_from_db()
    assert teacher.status == PractitionerStatus.ACTIVE


def test_the_partnerships_rule_decides_which_steps_are_required() -> None:
    teacher = PractitionerTeacherFactory.create(status=PractitionerStatus.INTERESTED)
    partnership = teacher.person.organisation.partnership
    services.set_readiness_rule(
        actor=None,
        partnership=partnership,
        interest_required=False,
        workshops_required=1,
        shadowing_required=False,
    )
    _attend(teacher, 1)

    assert readiness.steps_of(teacher).ready
    assert (
        ReadinessRule.objects.unscoped("test").get(partnership=partnership).workshops_required == 1
    )


def test_the_lead_organisations_coordinator_sets_the_rule(client: Client) -> None:
    lead = OrganisationFactory.create()
    lead.partnership.lead_organisation = lead
    lead.partnership.save()
    other = OrganisationFactory.create(partnership=lead.partnership)
    client.force_login(member(Role.COORDINATOR, other))
    assert client.get(reverse("teaching:pt-readiness")).status_code == 403
    assert reverse("teaching:pt-readiness") not in client.get(reverse("teaching:pt-list")).text
    client.force_login(member(Role.COORDINATOR, lead))
    assert reverse("teaching:pt-readiness") in client.get(reverse("teaching:pt-list")).text

    response = client.post(
        reverse("teaching:pt-readiness"), {"workshops_required": "2", "shadowing_required": "on"}
    )

    assert response.status_code == 302
    rule = ReadinessRule.objects.unscoped("test").get(partnership=lead.partnership)
    assert (rule.interest_required, rule.workshops_required, rule.shadowing_required) == (
        False,
        2,
        True,
    )


def test_a_practitioner_teacher_sees_their_own_steps(client: Client) -> None:
    teacher = PractitionerTeacherFactory.create(status=PractitionerStatus.IN_TRAINING)
    _attend(teacher, 1)
    user = member(Role.PRACTITIONER_TEACHER, teacher.person.organisation)
    teacher.person.user = user
    teacher.person.save()
    client.force_login(user)

    page = client.get(reverse("teaching:pt-mine"), follow=True)
    home = client.get(reverse("home"))

    assert "Your steps to teaching" in page.text
    assert "1 of 3 attended" in page.text
    assert "Practitioner teacher workshop 1" in page.text
    assert "Steps to becoming a practitioner teacher" in home.text


def test_a_coordinator_records_shadowing_of_a_colleague(client: Client) -> None:
    teacher = PractitionerTeacherFactory.create(status=PractitionerStatus.IN_TRAINING)
    experienced = PractitionerTeacherFactory.create(
        person__organisation=teacher.person.organisation
    )
    client.force_login(member(Role.COORDINATOR, teacher.person.organisation))

    response = client.post(
        reverse("teaching:pt-shadowing", args=[teacher.pk]),
        {
            "on_0": "14",
            "on_1": "11",
            "on_2": "2019",
            "session": "Court skills, University of Kent",
            "shadowed": experienced.pk,
        },
    )

    assert response.status_code == 302
    page = client.get(reverse("teaching:pt-detail", args=[teacher.pk]))
    assert "Court skills, University of Kent" in page.text
    assert experienced.person.full_name in page.text

"""Quality: the students' anonymous feedback through the link shown in the session, collated
per session for the university and the practitioners on it only; peer observations read by
the practitioner observed and by no other practitioner."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role
from practica.core.academic_years import academic_year_of
from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import PersonFactory, member
from practica.questionnaires.models import Response
from practica.questionnaires.standard import install_standard_questionnaires
from practica.teaching.models import PeerObservation, TeachingSession
from practica.teaching.sessions import services
from practica.teaching.tests.factories import (
    PractitionerTeacherFactory,
    SessionContributorFactory,
    TeachingSessionFactory,
)
from practica.teaching.tests.sessions_world import World, make_world

pytestmark = pytest.mark.django_db

ANSWERS = {
    "session-objectives": "5",
    "session-useful": "4",
    "session-presenter": "5",
    "session-format": "yes",
}


@pytest.fixture
def world() -> World:
    return make_world()


def _session_today(world: World) -> TeachingSession:
    today = timezone.localdate()
    session = TeachingSessionFactory.create(
        hei=world.hei,
        date=today,
        academic_year=ensure_academic_year(start_year=academic_year_of(today)),
        status="scheduled",
    )
    SessionContributorFactory.create(session=session, practitioner_teacher=world.pt_with_account)
    return session


def test_a_student_answers_through_the_link_and_the_answer_names_no_one(
    world: World, client: Client
) -> None:
    install_standard_questionnaires(actor=None, partnership=world.partnership)
    session = _session_today(world)
    url = reverse("teaching:feedback", args=[services.feedback_token(session)])
    assert client.get(url).status_code == 200
    choices = client.get(url).content.decode()
    assert "Send my feedback" in choices
    response = client.post(url, ANSWERS)
    assert response.status_code == 200, response.content.decode()[:2000]
    (saved,) = Response.objects.all()
    assert saved.person is None
    assert saved.invitation is None
    assert saved.subject_id == session.pk
    assert saved.submitted_on == session.date


def test_a_student_cannot_send_the_same_session_s_feedback_twice_from_one_browser(
    world: World, client: Client
) -> None:
    install_standard_questionnaires(actor=None, partnership=world.partnership)
    session = _session_today(world)
    other = _session_today(world)
    url = reverse("teaching:feedback", args=[services.feedback_token(session)])

    assert client.post(url, ANSWERS).status_code == 200
    again = client.post(url, ANSWERS)
    page = client.get(url).content.decode()

    assert Response.objects.filter(subject_id=session.pk).count() == 1
    assert "already been sent from this browser" in again.content.decode()
    assert "Send my feedback" not in page
    # the marker names the session, not the student: it holds nothing to trace the answers by
    marker = client.cookies[services.FEEDBACK_SENT_COOKIE]
    assert marker.value == services.feedback_sent_marker(session)
    assert marker["path"] == url
    # another session's link still takes this student's answers, and another student's too
    other_url = reverse("teaching:feedback", args=[services.feedback_token(other)])
    assert client.post(other_url, ANSWERS).status_code == 200
    assert Client().post(url, ANSWERS).status_code == 200
    assert Response.objects.filter(subject_id=session.pk).count() == 2
    assert Response.objects.filter(subject_id=other.pk).count() == 1


def test_the_service_refuses_answers_from_a_browser_that_sent_them() -> None:
    session = TeachingSessionFactory.create()

    with pytest.raises(ValidationError, match="already sent"):
        services.submit_session_feedback(
            session=session, answers=ANSWERS, sent_marker=services.feedback_sent_marker(session)
        )
    assert not services.feedback_already_sent(session, "forged")
    assert not services.feedback_already_sent(session, None)


def test_a_forged_or_late_feedback_link_does_not_work(world: World, client: Client) -> None:
    install_standard_questionnaires(actor=None, partnership=world.partnership)
    old = TeachingSessionFactory.create(hei=world.hei, date=datetime.date(2019, 11, 14))
    late = reverse("teaching:feedback", args=[services.feedback_token(old)])
    assert client.get(late).status_code == 404
    forged = reverse("teaching:feedback", args=[f"{old.pk}:forged"])
    assert client.get(forged).status_code == 404


def test_only_the_university_and_the_practitioners_on_it_read_a_sessions_feedback(
    world: World, client: Client
) -> None:
    session = SessionContributorFactory.create(
        practitioner_teacher=world.pt_with_account,
        session=TeachingSessionFactory.create(hei=world.hei),
    ).session
    url = reverse("teaching:session-feedback", args=[session.pk])
    client.force_login(world.academic)
    assert client.get(url).status_code == 200
    client.force_login(world.pt_user)
    assert client.get(url).status_code == 200
    # the employer's coordinator sees the session but not the students' feedback
    client.force_login(world.lead1)
    assert client.get(reverse("teaching:session-detail", args=[session.pk])).status_code == 200
    assert client.get(url).status_code == 404
    other_user = member(Role.PRACTITIONER_TEACHER, world.la1, email="else@shire.test")
    client.force_login(other_user)
    assert client.get(url).status_code == 404


def test_a_practitioner_reads_their_own_observation_and_no_one_elses(world: World) -> None:
    session = TeachingSessionFactory.create(hei=world.hei)
    colleague_user = member(Role.PRACTITIONER_TEACHER, world.la1, email="col@shire.test")
    colleague = PractitionerTeacherFactory.create(
        person=PersonFactory.create(organisation=world.la1, user=colleague_user)
    )
    for practitioner in (world.pt_with_account, colleague):
        SessionContributorFactory.create(session=session, practitioner_teacher=practitioner)
        services.record_observation(
            actor=world.academic,
            session=session,
            practitioner_teacher=practitioner,
            observed_on=session.date,
            strengths="Clear case examples",
            areas_to_develop="Leave time for questions",
        )
    mine = PeerObservation.objects.visible_to(world.pt_user)
    assert [o.practitioner_teacher for o in mine] == [world.pt_with_account]
    assert PeerObservation.objects.visible_to(world.academic).count() == 2
    assert not PeerObservation.objects.visible_to(world.lead1).exists()


def test_an_observation_is_only_of_a_practitioner_on_the_session(world: World) -> None:
    session = TeachingSessionFactory.create(hei=world.hei)
    with pytest.raises(ValidationError, match="did not teach"):
        services.record_observation(
            actor=world.academic,
            session=session,
            practitioner_teacher=world.other_pt,
            observed_on=session.date,
            strengths="x",
            areas_to_develop="y",
        )

"""Sending the CPD-needs survey to every practice educator who has not answered it, and the
reminders after."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.core.tests.interrupted_mail import outbox_to, tasks_held, worker_dies_after
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.learning.surveys import services
from practica.learning.surveys.models import CpdNeedsSurvey, CpdNeedsSurveyMailing
from practica.learning.tests.conftest import answer
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
)


def educator(organisation: Organisation, email: str) -> Person:
    return PracticeEducatorFactory.create(
        person__organisation=organisation, person__email=email
    ).person


@pytest.fixture
def educators(org_a: Organisation, org_b: Organisation) -> list[Person]:
    return [educator(org_a, "ada@example.test"), educator(org_b, "bea@example.test")]


def send(survey: CpdNeedsSurvey, capture: Any, **kwargs: Any) -> CpdNeedsSurveyMailing:
    with capture(execute=True):
        return services.send_cpd_needs_survey(
            actor=None, survey=survey, base_url="https://practica.example", **kwargs
        )


def test_every_practice_educator_of_the_partnership_gets_their_own_e_mail_with_the_link(
    survey: CpdNeedsSurvey,
    educators: list[Person],
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    PersonFactory.create(organisation=org_a, email="not.a.pe@example.test")
    educator(
        OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far")),
        "far@example.test",
    )
    PracticeEducatorFactory.create(person__organisation=org_a, person__email="")
    mailing = send(survey, django_capture_on_commit_callbacks)
    assert mailing.recipients.count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ada@example.test",
        "bea@example.test",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)
    link = f"https://practica.example{reverse('learning:survey-respond', args=[survey.pk])}"
    assert all(link in message.body for message in mail.outbox)
    assert not mail.outbox[0].subject.startswith("Reminder")


def test_a_reminder_goes_only_to_those_who_have_not_answered(
    survey: CpdNeedsSurvey,
    educators: list[Person],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    send(survey, django_capture_on_commit_callbacks)
    answer(survey, educators[0], [4, 5, 3])
    mail.outbox.clear()
    reminder = send(survey, django_capture_on_commit_callbacks)
    assert list(reminder.recipients.all()) == [educators[1]]
    assert [message.to for message in mail.outbox] == [["bea@example.test"]]
    assert mail.outbox[0].subject.startswith("Reminder: ")


def test_a_survey_that_is_not_open_is_not_sent(
    survey: CpdNeedsSurvey, educators: list[Person]
) -> None:
    with pytest.raises(ValidationError, match="send it while it is open"):
        services.send_cpd_needs_survey(
            actor=None, survey=survey, today=survey.closes_on + datetime.timedelta(days=1)
        )
    assert not CpdNeedsSurveyMailing.objects.exists()


def test_nobody_left_to_answer_means_nothing_is_sent(
    survey: CpdNeedsSurvey, educators: list[Person]
) -> None:
    for person in educators:
        answer(survey, person, [3, 3, 3])
    with pytest.raises(ValidationError, match="nobody is left"):
        services.send_cpd_needs_survey(actor=None, survey=survey)
    assert not CpdNeedsSurveyMailing.objects.exists()


def test_a_coordinator_confirms_then_sends_from_the_survey_page(
    client: Client,
    alice: User,
    survey: CpdNeedsSurvey,
    educators: list[Person],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(alice)
    url = reverse("learning:survey-send", args=[survey.pk])
    assert "Send to 2 practice educators" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    page = client.get(survey.get_absolute_url()).content.decode()
    assert "Sent to 2 practice educators on" in page
    assert CpdNeedsSurveyMailing.objects.get().sent_by == alice


def test_a_practice_educator_cannot_send_the_survey(
    client: Client, bob: User, survey: CpdNeedsSurvey, educators: list[Person]
) -> None:
    client.force_login(bob)
    url = reverse("learning:survey-send", args=[survey.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not CpdNeedsSurveyMailing.objects.exists()
    assert mail.outbox == []


def test_a_mailing_whose_worker_dies_part_way_e_mails_each_educator_once_when_run_again(
    survey: CpdNeedsSurvey,
    educators: list[Person],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with tasks_held() as held:
        send(survey, django_capture_on_commit_callbacks)
    with worker_dies_after(1):
        held.run()
    held.run()  # the same task, handed out again
    assert outbox_to(mail.outbox) == ["ada@example.test", "bea@example.test"]

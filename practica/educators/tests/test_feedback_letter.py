"""The feedback letter goes to the applicant by e-mail when the decision is recorded, or the
coordinator is told to send it by hand."""

from __future__ import annotations

from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.educators.recruitment import services
from practica.educators.tests.factories import PeApplicationFactory


def test_the_letter_is_emailed_to_the_applicant_after_commit(
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    application = PeApplicationFactory.create(
        organisation=org_a, applicant__email="Sam.Applicant@Example.test"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.decide_pe_application(
            actor=alice,
            application=application,
            decision="rejected",
            feedback_letter="Thank you; develop your reflective writing.",
        )
    assert mail.outbox == []  # nothing leaves before the decision is stored
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam.applicant@example.test"]
    assert "not accepted" in message.body
    assert "develop your reflective writing" in message.body
    application.refresh_from_db()
    assert application.feedback_sent_to == "sam.applicant@example.test"


def test_without_an_address_no_mail_is_sent_and_the_pages_say_so(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    application = PeApplicationFactory.create(organisation=org_a, applicant__email="")
    client.force_login(alice)
    url = reverse("educators:application-decision", args=[application.pk])
    assert "must be sent to them by hand" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "rejected", "feedback_letter": "Please apply next year."}, follow=True
        )
    assert mail.outbox == []
    page = response.content.decode()
    assert "send them the feedback letter by hand" in page
    assert "must be sent by hand" in page
    application.refresh_from_db()
    assert application.feedback_sent_to == ""


def test_the_decision_page_names_the_address_the_letter_goes_to(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    application = PeApplicationFactory.create(
        organisation=org_a, applicant__email="sam@example.test"
    )
    client.force_login(alice)
    url = reverse("educators:application-decision", args=[application.pk])
    assert "e-mailed to the applicant at sam@example.test" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "rejected", "feedback_letter": "Not this year."}, follow=True
        )
    assert "has been e-mailed to sam@example.test" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_refused_decision_sends_nothing(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("educators:application-decision", args=[application.pk]),
            {"decision": "accepted", "feedback_letter": "Welcome."},
        )
    assert "cannot be accepted without" in response.content.decode()
    assert mail.outbox == []

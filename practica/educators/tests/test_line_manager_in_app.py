"""A line manager answers support requests signed in, through the service the e-mailed link
uses (before, the link was the only way: the applications pages answer 403 to them)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.recruitment import services
from practica.educators.recruitment.models import PeApplication
from practica.educators.tests.factories import PeApplicationFactory
from practica.organisations.tests.factories import member

EMAIL = "lin.manager@example.test"


@pytest.fixture
def line_manager(org_a: Organisation) -> User:
    return member(Role.LINE_MANAGER, org_a, email=EMAIL)


def _asked(alice: User, org: Organisation, email: str = EMAIL) -> PeApplication:
    application = PeApplicationFactory.create(organisation=org, line_manager_email=email)
    services.request_line_manager_support(actor=alice, application=application, send=False)
    application.refresh_from_db()
    return application


def test_a_line_manager_still_cannot_read_the_coordinators_applications_list(
    client: Client, line_manager: User
) -> None:
    client.force_login(line_manager)
    assert client.get(reverse("educators:application-list")).status_code == 403


def test_a_line_manager_lists_the_requests_naming_them_and_no_others(
    client: Client, alice: User, line_manager: User, org_a: Organisation
) -> None:
    mine = _asked(alice, org_a, email="Lin.Manager@Example.test")  # the case does not matter
    theirs = _asked(alice, org_a, email="someone.else@example.test")
    client.force_login(line_manager)
    response = client.get(reverse("educators:support-request-list"))
    assert list(response.context["waiting"]) == [mine]
    assert theirs.applicant.full_name not in response.content.decode()


def test_a_line_manager_answers_in_the_app_and_the_request_is_answered(
    client: Client, alice: User, line_manager: User, org_a: Organisation
) -> None:
    application = _asked(alice, org_a)
    client.force_login(line_manager)
    url = reverse("educators:support-request-answer", args=[application.pk])
    assert application.statement in client.get(url).content.decode()
    response = client.post(url, {"supports": "yes", "statement": "They can take a student."})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.line_manager_supports is True
    assert application.line_manager_statement == "They can take a student."
    assert application.support_given_at is not None
    # the e-mailed link no longer works, and the answer was recorded as theirs
    assert application.support_token_hash is None
    assert application.history.first().history_user == line_manager
    # answered once: the page is gone, the list shows what they said
    assert client.get(url).status_code == 404
    listed = client.get(reverse("educators:support-request-list")).content.decode()
    assert "You supported it" in listed


def test_an_empty_statement_is_refused_with_the_services_message(
    client: Client, alice: User, line_manager: User, org_a: Organisation
) -> None:
    application = _asked(alice, org_a)
    client.force_login(line_manager)
    url = reverse("educators:support-request-answer", args=[application.pk])
    response = client.post(url, {"supports": "no", "statement": "  "})
    assert response.status_code == 200
    assert "Enter your support statement" in response.content.decode()
    application.refresh_from_db()
    assert application.support_given_at is None


@pytest.mark.parametrize("state", ["someone else's", "expired", "decided", "not asked"])
def test_requests_not_waiting_for_this_line_manager_are_not_found(
    client: Client, alice: User, line_manager: User, org_a: Organisation, state: str
) -> None:
    if state == "not asked":
        application = PeApplicationFactory.create(organisation=org_a, line_manager_email=EMAIL)
    else:
        application = _asked(
            alice, org_a, email="other@example.test" if state == "someone else's" else EMAIL
        )
    if state == "expired":
        application.support_expires_at = timezone.now() - datetime.timedelta(minutes=1)
        application.save()
    if state == "decided":
        PeApplication.objects.unscoped("test").filter(pk=application.pk).update(
            decision="rejected", decided_on=datetime.date.today(), feedback_letter="Not now."
        )
    client.force_login(line_manager)
    url = reverse("educators:support-request-answer", args=[application.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"supports": "yes", "statement": "Yes."}).status_code == 404


def test_the_navigation_offers_support_requests_to_a_line_manager(
    client: Client, line_manager: User
) -> None:
    client.force_login(line_manager)
    page = client.get(reverse("home")).content.decode()
    assert reverse("educators:support-request-list") in page
    assert "No application is waiting for your support" in page

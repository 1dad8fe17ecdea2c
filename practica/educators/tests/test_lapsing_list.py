"""The lapsing list: organisation, team and currency filters, pagination, and a message to the
practice educators on it (e-mailed by the task worker, recorded with who sent what to whom)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.core.tests.interrupted_mail import outbox_to, tasks_held, worker_dies_after
from practica.educators.models import PracticeEducator
from practica.educators.register import services as register
from practica.educators.register.models import EducatorMessage
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import TeamFactory, member

TODAY = datetime.date.today()
LAPSING = TODAY - datetime.timedelta(days=700)
LAPSED = TODAY - datetime.timedelta(days=1000)


def _pe(org: Organisation, name: str, last_student: datetime.date, **fields: object) -> None:
    PracticeEducatorFactory.create(
        person__organisation=org,
        person__last_name=name,
        person__email=f"{name.lower()}@example.test",
        last_student_date=last_student,
        **fields,
    )


def names(client: Client, **query: str) -> list[str]:
    response = client.get(reverse("educators:lapsing"), query)
    assert response.status_code == 200
    return [e.person.last_name for e in response.context["listing"].page]


def test_the_lapsing_list_filters_by_currency_team_and_organisation(
    client: Client, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_a)
    _pe(org_a, "Soon", LAPSING, person__team=team)
    _pe(org_a, "Gone", LAPSED)
    _pe(org_b, "Beta", LAPSING)
    _pe(org_a, "Fine", TODAY)
    client.force_login(manager)
    # lapsing first (soonest, then by name), then lapsed; the current one is not listed
    assert names(client) == ["Beta", "Soon", "Gone"]
    assert sorted(names(client, status="lapsing")) == ["Beta", "Soon"]
    assert names(client, status="lapsed") == ["Gone"]
    assert names(client, team=str(team.pk)) == ["Soon"]
    assert sorted(names(client, organisation=org_a.code)) == ["Gone", "Soon"]


def test_the_lapsing_list_is_paginated(client: Client, alice: User, org_a: Organisation) -> None:
    for index in range(30):
        _pe(org_a, f"Lapsing{index:02d}", LAPSING)
    client.force_login(alice)
    assert len(names(client)) == 25
    assert len(names(client, page="2")) == 5
    page = client.get(reverse("educators:lapsing")).content.decode()
    assert "govuk-pagination" in page


def test_a_coordinator_messages_the_practice_educators_on_the_filtered_list(
    client: Client,
    alice: User,
    org_a: Organisation,
    org_b: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _pe(org_a, "Soon", LAPSING)
    _pe(org_a, "Gone", LAPSED)
    _pe(org_b, "Beta", LAPSING)  # another organisation's: never messaged by alice
    client.force_login(alice)
    url = reverse("educators:lapsing-message") + "?status=lapsing"
    page = client.get(url).content.decode()
    assert "Soon" in page
    assert "Gone" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"subject": "Your currency", "body": "Take a student."})
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:lapsing") + "?status=lapsing"
    assert [m.to for m in mail.outbox] == [["soon@example.test"]]
    assert "Dear " in mail.outbox[0].body
    assert "Take a student." in mail.outbox[0].body
    message = EducatorMessage.objects.unscoped("test").get()
    assert (message.sent_by, message.organisation, message.subject) == (
        alice,
        org_a,
        "Your currency",
    )
    assert [e.person.last_name for e in message.recipients.all()] == ["Soon"]
    # the lapsing page shows what was sent, when, by whom and to how many
    page = client.get(reverse("educators:lapsing")).content.decode()
    assert "“Your currency” to 1 practice educator, sent by" in page


def test_a_message_without_a_subject_is_refused(
    client: Client, alice: User, org_a: Organisation
) -> None:
    _pe(org_a, "Soon", LAPSING)
    client.force_login(alice)
    response = client.post(reverse("educators:lapsing-message"), {"subject": "", "body": "Hi"})
    assert response.status_code == 200
    assert "Enter a subject" in response.content.decode()
    assert not EducatorMessage.objects.unscoped("test").exists()


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_MANAGER, Role.ACADEMIC])
def test_only_coordinators_message_practice_educators(
    client: Client, org_a: Organisation, role: Role
) -> None:
    _pe(org_a, "Soon", LAPSING)
    client.force_login(member(role, org_a))
    assert client.get(reverse("educators:lapsing-message")).status_code == 403
    assert (
        "Message these practice educators"
        not in client.get(reverse("educators:lapsing")).content.decode()
    )


def test_another_organisations_coordinator_does_not_see_the_messages_sent(
    client: Client,
    alice: User,
    charlie: User,
    org_a: Organisation,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    _pe(org_a, "Soon", LAPSING)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("educators:lapsing-message"), {"subject": "Secret", "body": "Hi"})
    assert EducatorMessage.objects.unscoped("test").count() == 1
    client.force_login(charlie)
    assert "Secret" not in client.get(reverse("educators:lapsing")).content.decode()


def test_a_message_whose_worker_dies_part_way_e_mails_each_educator_once_when_run_again(
    org_a: Organisation,
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for name in ("Ann", "Ben", "Cat"):
        _pe(org_a, name, LAPSING)
    educators = PracticeEducator.objects.unscoped("test").filter(person__organisation=org_a)
    with tasks_held() as held, django_capture_on_commit_callbacks(execute=True):
        register.message_educators(
            actor=alice, organisation=org_a, educators=educators, subject="Hi", body="Hello."
        )
    with worker_dies_after(1):
        held.run()
    held.run()  # the same task, handed out again
    assert outbox_to(mail.outbox) == [
        "ann@example.test",
        "ben@example.test",
        "cat@example.test",
    ]


def test_the_messages_sent_say_how_many_e_mails_have_gone_while_some_wait(
    client: Client,
    org_a: Organisation,
    alice: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for name in ("Ann", "Ben", "Cat"):
        _pe(org_a, name, LAPSING)
    educators = PracticeEducator.objects.unscoped("test").filter(person__organisation=org_a)
    with tasks_held() as held, django_capture_on_commit_callbacks(execute=True):
        register.message_educators(
            actor=alice, organisation=org_a, educators=educators, subject="Hi", body="Hello."
        )
    client.force_login(alice)
    with worker_dies_after(1):
        held.run()
    page = client.get(reverse("educators:lapsing")).content.decode()
    assert "1 of 3 e-mails gone so far" in page
    held.run()
    page = client.get(reverse("educators:lapsing")).content.decode()
    assert "e-mails gone so far" not in page
    assert "to 3 practice educators" in page

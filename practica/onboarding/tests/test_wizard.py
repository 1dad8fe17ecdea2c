"""The first-run wizard: open to a superuser while no organisation exists; its answers stay in
the session until the check-answers page confirms them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import Invitation, Membership, Role, User
from practica.core.models import AcademicYear, Organisation, Partnership
from practica.organisations.tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory.create(email="admin@example.test", is_superuser=True, is_staff=True)


@pytest.fixture
def wizard(client: Client, admin: User) -> Client:
    client.force_login(admin)
    return client


def url(name: str) -> str:
    return reverse(f"onboarding:{name}")


def statuses(client: Client) -> dict[str, str]:
    return {task.id: task.status for task in client.get(url("task-list")).context["tasks"]}


def answer_everything(client: Client) -> None:
    client.post(url("partnership"), {"name": "Kent and Medway Teaching Partnership"})
    client.post(url("lead"), {"name": "Medway Council", "code": "mc", "kind": "local_authority"})
    client.post(
        url("members"),
        {
            "action": "add",
            "name": "Canterbury Christ Church University",
            "code": "CCCU",
            "kind": "hei",
        },
    )
    client.post(url("members"), {"action": "done"})
    client.post(url("year"), {"year": "2019/20"})
    client.post(
        url("coordinators"),
        {"coordinator_MC": "lead@medway.example", "coordinator_CCCU": ""},
    )


def test_the_home_page_sends_a_superuser_of_an_empty_practica_to_the_wizard(
    wizard: Client,
) -> None:
    response = wizard.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == url("task-list")


def test_the_task_list_starts_with_what_can_be_started(wizard: Client) -> None:
    assert statuses(wizard) == {
        "partnership": "Not yet started",
        "lead": "Not yet started",
        "members": "Cannot start yet",
        "year": "Not yet started",
        "coordinators": "Cannot start yet",
    }
    assert wizard.get(url("check")).status_code == 302  # not ready: back to the task list


def test_answers_complete_the_tasks_and_nothing_is_written_before_confirming(
    wizard: Client,
) -> None:
    answer_everything(wizard)
    assert set(statuses(wizard).values()) == {"Completed"}
    assert not Partnership.objects.exists()
    assert not Organisation.objects.unscoped("test").exists()
    html = wizard.get(url("check")).text
    assert "Kent and Medway Teaching Partnership" in html
    assert "Coordinator lead@medway.example will be invited" in html
    assert "No coordinator invited yet" in html


def test_confirming_sets_up_the_partnership_and_makes_the_user_its_manager(
    wizard: Client, admin: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    answer_everything(wizard)
    with django_capture_on_commit_callbacks(execute=True):
        response = wizard.post(url("check"))
    assert response["Location"] == url("done")
    partnership = Partnership.objects.get()
    assert partnership.lead_organisation == Organisation.objects.unscoped("test").get(code="MC")
    assert Organisation.objects.unscoped("test").get(code="CCCU").kind == "hei"
    assert AcademicYear.objects.filter(start_year=2019).exists()
    assert Membership.objects.unscoped("test").get(user=admin).role == Role.PARTNERSHIP_MANAGER
    assert Invitation.objects.unscoped("test").get().email == "lead@medway.example"
    assert len(mail.outbox) == 1
    assert "http://testserver/accounts/invitations/accept/" in mail.outbox[0].body
    done = wizard.get(url("done"))
    assert "Partnership set up" in done.text
    assert "Created the organisation Medway Council (MC)" in done.text
    assert wizard.get(url("task-list")).status_code == 403  # closed once organisations exist
    assert wizard.get(reverse("home")).status_code == 200


def test_a_member_organisation_cannot_reuse_a_code(wizard: Client) -> None:
    wizard.post(url("lead"), {"name": "Medway Council", "code": "MC", "kind": "local_authority"})
    response = wizard.post(
        url("members"), {"action": "add", "name": "Another", "code": "mc", "kind": "other"}
    )
    assert response.status_code == 200
    assert "You have already added MC." in response.text


def test_a_member_organisation_can_be_removed_with_its_coordinator(wizard: Client) -> None:
    answer_everything(wizard)
    wizard.post(url("members"), {"action": "remove", "code": "CCCU"})
    assert [o.code for o in wizard.get(url("check")).context["draft"].organisations()] == ["MC"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("partnership", {"name": ""}, "Enter the partnership&#x27;s name."),
        ("lead", {"name": "Medway", "code": "M", "kind": "local_authority"}, "Use 2 to 12 capital"),
        ("lead", {"name": "Medway", "code": "MC"}, "Choose the kind of organisation."),
        ("year", {"year": "2019/21"}, "the second year must follow the first"),
    ],
)
def test_a_bad_answer_shows_an_error_summary_and_is_not_kept(
    wizard: Client, name: str, data: dict[str, str], message: str
) -> None:
    response = wizard.post(url(name), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert message in response.text
    assert set(statuses(wizard).values()) <= {"Not yet started", "Cannot start yet"}


def test_a_bad_coordinator_address_is_named_after_its_organisation(wizard: Client) -> None:
    answer_everything(wizard)
    response = wizard.post(url("coordinators"), {"coordinator_MC": "not-an-address"})
    assert "Enter the coordinator&#x27;s e-mail address at Medway Council" in response.text


def test_an_organisation_created_meanwhile_is_reported_on_the_check_page(
    wizard: Client,
) -> None:
    answer_everything(wizard)
    OrganisationFactory.create(code="MC", partnership__name="Someone else's partnership")
    response = wizard.post(url("check"))
    assert response.status_code == 403  # an organisation now exists: the wizard has closed


def test_a_conflict_found_on_confirming_lists_every_problem_and_writes_nothing(
    wizard: Client, admin: User
) -> None:
    answer_everything(wizard)
    session = wizard.session
    session["practica_setup_draft"]["year"] = 1700
    session.save()
    response = wizard.post(url("check"))
    assert "The academic year must start between 1990 and 2100." in response.text
    assert not Partnership.objects.exists()


def test_a_user_who_is_not_a_superuser_is_refused(client: Client, db: None) -> None:
    client.force_login(UserFactory.create())
    assert client.get(url("task-list")).status_code == 403
    assert client.get(reverse("home")).status_code == 200


def test_the_confirmation_needs_a_set_up_just_done(wizard: Client) -> None:
    assert wizard.get(url("done")).status_code == 403

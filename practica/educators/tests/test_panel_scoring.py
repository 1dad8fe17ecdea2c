"""Selection panel members (typically a university's academic) score the applications they
sit on, and see no other application."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.core.models import Organisation, Person
from practica.educators.models import ApplicationScore, PeApplication, SelectionCriterion
from practica.educators.recruitment import selectors, services
from practica.educators.rules import SCORE
from practica.educators.tests.factories import (
    PeApplicationFactory,
    SelectionCriterionFactory,
    person_with_login,
)


@pytest.fixture
def academic(org_b: Organisation) -> Person:
    """An HEI academic with a login, chosen for a panel of another organisation."""
    return person_with_login(Role.ACADEMIC, org_b, first_name="Ada")


@pytest.fixture
def criterion(org_a: Organisation) -> SelectionCriterion:
    return SelectionCriterionFactory.create(
        organisation=org_a, title="Reflective practice", max_score=5
    )


@pytest.fixture
def sat_on(alice: User, org_a: Organisation, academic: Person) -> PeApplication:
    application = PeApplicationFactory.create(organisation=org_a)
    services.set_selection_panel(actor=alice, application=application, members=[academic])
    services.schedule_panel_interview(
        actor=alice, application=application, interview_at=timezone.now()
    )
    return application


def login(client: Client, person: Person) -> None:
    assert person.user is not None
    client.force_login(person.user)


def test_a_panel_member_sees_only_the_applications_they_sit_on(
    client: Client, sat_on: PeApplication, academic: Person, org_a: Organisation
) -> None:
    elsewhere = PeApplicationFactory.create(organisation=org_a)
    assert academic.user is not None
    assert list(selectors.panels_of(academic.user)) == [sat_on]
    login(client, academic)
    page = client.get(reverse("educators:panel-list")).content.decode()
    assert sat_on.applicant.full_name in page
    assert elsewhere.applicant.full_name not in page
    for name in ("educators:panel-application", "educators:panel-scores"):
        assert client.get(reverse(name, args=[sat_on.pk])).status_code == 200
        assert client.get(reverse(name, args=[elsewhere.pk])).status_code == 404
    # sitting on a panel grants nothing on the coordinators' pages
    assert client.get(reverse("educators:application-detail", args=[sat_on.pk])).status_code == 404
    assert client.get(reverse("educators:application-list")).status_code == 403


def test_panel_membership_grants_score_on_that_application_only(
    sat_on: PeApplication, academic: Person, org_a: Organisation
) -> None:
    other = PeApplicationFactory.create(organisation=org_a)
    assert academic.user is not None
    assert permissions.can(academic.user, SCORE, sat_on)
    assert not permissions.can(academic.user, SCORE, other)
    assert not permissions.can(academic.user, permissions.VIEW, sat_on)
    assert not permissions.can(academic.user, permissions.MANAGE, sat_on)


def test_leaving_the_panel_takes_the_application_away(
    alice: User, sat_on: PeApplication, academic: Person, org_b: Organisation, org_a: Organisation
) -> None:
    replacement = person_with_login(Role.ACADEMIC, org_b)
    services.set_selection_panel(actor=alice, application=sat_on, members=[replacement])
    assert academic.user is not None
    assert not selectors.panels_of(academic.user).exists()


def test_a_panel_member_whose_memberships_ended_sees_nothing(
    sat_on: PeApplication, academic: Person
) -> None:
    assert academic.user is not None
    academic.user.memberships.update(is_active=False)
    permissions.forget(academic.user)
    assert not selectors.panels_of(academic.user).exists()


def test_the_panel_page_shows_what_the_panel_needs(
    client: Client, sat_on: PeApplication, academic: Person, criterion: SelectionCriterion
) -> None:
    sat_on.refresh_from_db()
    sat_on.line_manager_supports, sat_on.support_given_at = True, timezone.now()
    sat_on.line_manager_statement = "Has capacity from September."
    sat_on.save()
    login(client, academic)
    page = client.get(reverse("educators:panel-application", args=[sat_on.pk])).content.decode()
    assert sat_on.statement in page
    assert "Has capacity from September." in page
    assert "Reflective practice" in page
    assert "Not scored" in page
    assert reverse("educators:panel-scores", args=[sat_on.pk]) in page


def test_a_panel_member_records_the_scores(
    client: Client, sat_on: PeApplication, academic: Person, criterion: SelectionCriterion
) -> None:
    login(client, academic)
    url = reverse("educators:panel-scores", args=[sat_on.pk])
    response = client.post(
        url, {f"score_{criterion.pk}": "4", f"comment_{criterion.pk}": "Thoughtful examples"}
    )
    assert response["Location"] == reverse("educators:panel-application", args=[sat_on.pk])
    score = ApplicationScore.objects.unscoped("test").get()
    assert (score.score, score.comment) == (4, "Thoughtful examples")
    assert score.history.first().history_user == academic.user


def test_a_score_above_the_maximum_is_refused_and_nothing_is_saved(
    client: Client, sat_on: PeApplication, academic: Person, criterion: SelectionCriterion
) -> None:
    login(client, academic)
    response = client.post(
        reverse("educators:panel-scores", args=[sat_on.pk]),
        {f"score_{criterion.pk}": "9", f"comment_{criterion.pk}": "Keep this comment"},
    )
    page = response.content.decode()
    assert "The highest score for Reflective practice is 5" in page
    assert "Keep this comment" in page
    assert not ApplicationScore.objects.unscoped("test").exists()


def test_scores_wait_for_the_interview_date(
    client: Client,
    alice: User,
    org_a: Organisation,
    academic: Person,
    criterion: SelectionCriterion,
) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    services.set_selection_panel(actor=alice, application=application, members=[academic])
    login(client, academic)
    page = client.get(reverse("educators:panel-application", args=[application.pk]))
    assert "not set the interview date yet" in page.content.decode()
    response = client.post(
        reverse("educators:panel-scores", args=[application.pk]),
        {f"score_{criterion.pk}": "3", f"comment_{criterion.pk}": ""},
    )
    assert "Schedule the panel interview before recording scores" in response.content.decode()
    assert not ApplicationScore.objects.unscoped("test").exists()


def test_after_the_decision_the_scores_cannot_change(
    client: Client,
    alice: User,
    sat_on: PeApplication,
    academic: Person,
    criterion: SelectionCriterion,
) -> None:
    services.decide_pe_application(
        actor=alice, application=sat_on, decision="rejected", feedback_letter="Not now."
    )
    login(client, academic)
    page = client.get(reverse("educators:panel-application", args=[sat_on.pk])).content.decode()
    assert "can no longer change" in page
    assert reverse("educators:panel-scores", args=[sat_on.pk]) not in page
    response = client.post(
        reverse("educators:panel-scores", args=[sat_on.pk]),
        {f"score_{criterion.pk}": "3", f"comment_{criterion.pk}": ""},
    )
    assert "decision has been made" in response.content.decode()
    assert not ApplicationScore.objects.unscoped("test").exists()


def test_the_panel_list_says_when_there_is_no_panel(client: Client, academic: Person) -> None:
    login(client, academic)
    page = client.get(reverse("educators:panel-list")).content.decode()
    assert "You are not on any selection panel" in page


def test_the_navigation_offers_panels_only_to_panel_members(
    client: Client, sat_on: PeApplication, academic: Person, charlie: User
) -> None:
    def sections() -> list[str]:
        return [item.label for item in client.get(reverse("home")).context["nav_sections"]]

    login(client, academic)
    assert "Panels I sit on" in sections()
    client.force_login(charlie)
    assert "Panels I sit on" not in sections()

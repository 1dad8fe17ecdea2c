"""The register's pages: list, profile, forms, lapsing and reviews, as a coordinator uses them."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership
from practica.educators.models import CurrencyRule, PepsStage, PracticeEducator
from practica.educators.tests.factories import (
    ActivityFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
)
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    member,
)

TODAY = timezone.localdate()


def test_the_register_lists_own_entries_with_stage_and_currency(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    PracticeEducatorFactory.create(person__organisation=org_a, person__last_name="Ours")
    PracticeEducatorFactory.create(person__organisation=org_b, person__last_name="Theirs")
    client.force_login(alice)
    page = client.get(reverse("educators:register")).content.decode()
    assert "Ours" in page
    assert "Theirs" not in page
    assert "PEPS Stage 2" in page
    assert "Current" in page


def test_the_register_filters_by_get_parameters(
    client: Client, alice: User, org_a: Organisation
) -> None:
    PracticeEducatorFactory.create(person__organisation=org_a, person__last_name="Second")
    PracticeEducatorFactory.create(
        person__organisation=org_a, person__last_name="First", stage1=True
    )
    client.force_login(alice)
    page = client.get(reverse("educators:register"), {"stage": "stage1"}).content.decode()
    assert "First" in page
    assert "Second" not in page
    assert "1 practice educator<" in page


def test_htmx_filtering_returns_only_the_results_and_announces_the_count(
    client: Client, alice: User, org_a: Organisation
) -> None:
    PracticeEducatorFactory.create_batch(2, person__organisation=org_a)
    client.force_login(alice)
    response = client.get(reverse("educators:register"), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<h1" not in page
    assert 'hx-swap-oob="innerHTML"' in page
    assert "2 practice educators found." in page
    assert "HX-Request" in response["Vary"]


def test_the_team_filter_offers_the_teams_of_the_chosen_organisation_only(
    client: Client, partnership: Partnership, org_a: Organisation
) -> None:
    """A partnership manager sees many organisations: listing every team of every one of
    them made the register's page grow with the partnership (issue 16)."""
    other = OrganisationFactory.create(partnership=partnership, code="OTH")
    TeamFactory.create(organisation=org_a, name="Ours team")
    TeamFactory.create(organisation=other, name="Theirs team")
    client.force_login(member(Role.PARTNERSHIP_MANAGER, org_a))

    unchosen = client.get(reverse("educators:register")).content.decode()
    chosen = client.get(reverse("educators:register"), {"organisation": "OTH"}).content.decode()
    results = client.get(
        reverse("educators:register"), {"organisation": "OTH"}, headers={"HX-Request": "true"}
    ).content.decode()

    assert "Choose an organisation to choose one of its teams." in unchosen
    assert "Ours team" not in unchosen
    assert "Theirs team" not in unchosen
    assert "Theirs team" in chosen
    assert "Ours team" not in chosen
    assert 'id="team-choice" hx-swap-oob="true"' in results
    assert "Theirs team" in results


def test_a_coordinator_of_one_organisation_chooses_among_its_teams_at_once(
    client: Client, alice: User, org_a: Organisation
) -> None:
    TeamFactory.create(organisation=org_a, name="Ours team")
    client.force_login(alice)
    page = client.get(reverse("educators:lapsing")).content.decode()
    assert "Ours team" in page
    assert "Choose an organisation" not in page


def test_the_register_says_what_to_do_when_it_is_empty(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.get(reverse("educators:register")).content.decode()
    assert "Add the first practice educator" in page


def test_the_register_query_count_does_not_grow_with_the_register(
    client: Client,
    alice: User,
    org_a: Organisation,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            educator = PracticeEducatorFactory.create(
                person__organisation=org_a, person__team=TeamFactory.create(organisation=org_a)
            )
            ActivityFactory.create(educator=educator)

    client.force_login(alice)
    add(2)
    client.get(reverse("educators:register"))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("educators:register"))
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("educators:register"))


def test_the_profile_shows_the_entry_activities_training_and_history(
    client: Client, alice: User, org_a: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    ActivityFactory.create(educator=educator, kind="peps_assessor")
    enrolment = PepsEnrolmentFactory.create(cohort__organisation=org_a)
    enrolment.assessor = educator
    enrolment.save()
    client.force_login(alice)
    page = client.get(reverse("educators:detail", args=[educator.pk])).content.decode()
    assert "moj-identity-bar" in page
    assert "PEPS assessor or mentor" in page
    assert "Candidates" in page
    assert enrolment.educator.person.full_name in page
    assert "moj-timeline" in page
    assert "Change the register entry" in page
    assert "Placements supervised" in page


def test_a_practice_educator_opens_their_own_profile_but_cannot_change_it(
    client: Client, bob: User, org_a: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a, person__user=bob)
    client.force_login(bob)
    response = client.get(reverse("educators:my-profile"))
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:detail", args=[educator.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Change the register entry" not in page
    assert client.get(reverse("educators:edit", args=[educator.pk])).status_code == 404


def test_someone_not_on_the_register_is_told_how_to_get_on_it(client: Client, bob: User) -> None:
    client.force_login(bob)
    page = client.get(reverse("educators:my-profile")).content.decode()
    assert "ask them to add you" in page


def test_an_hei_academic_gets_404_for_a_local_authority_pe(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    client.force_login(member(Role.ACADEMIC, org_b))
    assert client.get(reverse("educators:detail", args=[educator.pk])).status_code == 404
    page = client.get(reverse("educators:shared-register")).content.decode()
    assert educator.person.last_name in page
    assert educator.person.email not in page


def test_a_coordinator_adds_someone_new_to_the_register(
    client: Client, alice: User, org_a: Organisation
) -> None:
    team = TeamFactory.create(organisation=org_a)
    client.force_login(alice)
    response = client.post(
        reverse("educators:create"),
        {
            "first_name": "Nia",
            "last_name": "Okoro",
            "email": "nia@example.test",
            "team": team.pk,
            "peps_stage": "stage1",
            "stage1_date_0": "30",
            "stage1_date_1": "6",
            "stage1_date_2": "2019",
            "last_student_date_0": "",
            "last_student_date_1": "",
            "last_student_date_2": "",
        },
    )
    educator = PracticeEducator.objects.unscoped("test").get()
    assert response.status_code == 302
    assert response["Location"] == reverse("educators:detail", args=[educator.pk])
    assert educator.stage1_date == datetime.date(2019, 6, 30)
    assert educator.person.team == team
    assert educator.history.get().history_user == alice


def test_a_form_with_a_bad_date_keeps_what_was_typed(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("educators:create"),
        {
            "first_name": "Nia",
            "last_name": "Okoro",
            "peps_stage": "stage1",
            "stage1_date_0": "31",
            "stage1_date_1": "2",
            "stage1_date_2": "2019",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real date" in page
    assert 'href="#id_stage1_date_0"' in page
    assert 'value="Okoro"' in page
    assert not PracticeEducator.objects.unscoped("test").exists()


def test_a_service_refusal_shows_in_the_error_summary(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("educators:create"),
        {"first_name": "Nia", "last_name": "Okoro", "peps_stage": "stage2"},
    )
    assert "Give the date PEPS Stage 2 was achieved" in response.content.decode()
    assert not PracticeEducator.objects.unscoped("test").exists()


def test_a_coordinator_changes_an_entry(client: Client, alice: User, org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a, stage1=True)
    client.force_login(alice)
    url = reverse("educators:edit", args=[educator.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "peps_stage": "stage2",
            "stage1_date_0": "1",
            "stage1_date_1": "7",
            "stage1_date_2": "2015",
            "stage2_date_0": "1",
            "stage2_date_1": "7",
            "stage2_date_2": "2019",
            "independent": "on",
        },
    )
    assert response.status_code == 302
    educator.refresh_from_db()
    assert educator.peps_stage == PepsStage.STAGE2
    assert educator.independent


def test_recording_a_review_takes_the_entry_off_the_reviews_due_list(
    client: Client, alice: User, org_a: Organisation
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    client.force_login(alice)
    assert (
        educator.person.last_name in client.get(reverse("educators:reviews-due")).content.decode()
    )
    response = client.post(
        reverse("educators:review", args=[educator.pk]),
        {
            "reviewed_on_0": str(TODAY.day),
            "reviewed_on_1": str(TODAY.month),
            "reviewed_on_2": str(TODAY.year),
        },
    )
    assert response.status_code == 302
    client.get(reverse("educators:detail", args=[educator.pk]))  # shows the success message
    page = client.get(reverse("educators:reviews-due")).content.decode()
    assert educator.person.last_name not in page
    assert "Every register entry has been reviewed in time" in page


def test_ending_an_activity(client: Client, alice: User, org_a: Organisation) -> None:
    activity = ActivityFactory.create(educator__person__organisation=org_a)
    client.force_login(alice)
    response = client.post(
        reverse("educators:activity-end", args=[activity.pk]),
        {"ended_on_0": "1", "ended_on_1": "1", "ended_on_2": "2020"},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.ended_on == datetime.date(2020, 1, 1)


def test_the_lapsing_page_lists_lapsing_pes_with_reasons(
    client: Client, alice: User, org_a: Organisation
) -> None:
    PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__last_name="Lapsing",
        last_student_date=TODAY - datetime.timedelta(days=700),
    )
    client.force_login(alice)
    page = client.get(reverse("educators:lapsing")).content.decode()
    assert "Lapsing" in page
    assert "Needs a student by" in page


@pytest.fixture
def lead_coordinator(partnership: Partnership, org_a: Organisation, alice: User) -> User:
    partnership.lead_organisation = org_a
    partnership.save()
    return alice


def test_the_lead_organisations_coordinator_sets_the_currency_rules(
    client: Client, lead_coordinator: User, partnership: Partnership
) -> None:
    client.force_login(lead_coordinator)
    url = reverse("educators:currency-rule")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "months_since_student": "18",
            "months_since_training": "24",
            "warning_months": "2",
            "review_months": "12",
        },
    )
    assert response.status_code == 302
    assert (
        CurrencyRule.objects.unscoped("test").get(partnership=partnership).months_since_student
        == 18
    )


def test_other_coordinators_cannot_set_the_currency_rules(
    client: Client, lead_coordinator: User, charlie: User
) -> None:
    client.force_login(charlie)
    assert client.get(reverse("educators:currency-rule")).status_code == 403
    assert not CurrencyRule.objects.unscoped("test").exists()


def test_the_currency_rule_form_refuses_a_warning_as_long_as_a_period(
    client: Client, lead_coordinator: User
) -> None:
    client.force_login(lead_coordinator)
    response = client.post(
        reverse("educators:currency-rule"),
        {
            "months_since_student": "6",
            "months_since_training": "24",
            "warning_months": "6",
            "review_months": "12",
        },
    )
    assert response.status_code == 200
    assert "shorter than both periods" in response.content.decode()
    assert not CurrencyRule.objects.unscoped("test").exists()


def test_a_person_of_another_organisation_than_the_one_acted_in_is_not_offered(
    client: Client, org_a: Organisation
) -> None:
    """A coordinator of two organisations adds PEs to the one chosen in the switcher only."""
    from practica.accounts.middleware import SESSION_KEY

    second = OrganisationFactory.create(partnership=org_a.partnership)
    coordinator = member(Role.COORDINATOR, org_a)
    acting = coordinator.memberships.create(organisation=second, role=Role.COORDINATOR)
    client.force_login(coordinator)
    session = client.session
    session[SESSION_KEY] = acting.pk
    session.save()
    person = PersonFactory.create(organisation=org_a)
    response = client.post(reverse("educators:create"), {"person": person.pk, "peps_stage": "none"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PracticeEducator.objects.unscoped("test").exists()


def test_a_practice_educator_finds_their_profile_in_the_navigation(
    client: Client, bob: User, alice: User, org_a: Organisation
) -> None:
    client.force_login(bob)
    assert "My practice educator profile" not in client.get(reverse("home")).content.decode()
    PracticeEducatorFactory.create(person__organisation=org_a, person__user=bob)
    assert "My practice educator profile" in client.get(reverse("home")).content.decode()
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "My practice educator profile" not in page
    assert "Practice educators" in page

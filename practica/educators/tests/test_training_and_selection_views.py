"""The PEPS training and selection pages, driven as a coordinator would."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.models import Outcome, PeApplication, PepsCohort, PepsStage
from practica.educators.recruitment import services
from practica.educators.tests.factories import (
    AcademicYearFactory,
    PeApplicationFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
    SelectionCriterionFactory,
)
from practica.organisations.tests.factories import PersonFactory, member


def test_a_coordinator_adds_a_cohort_and_enrols_a_candidate(
    client: Client, alice: User, org_a: Organisation
) -> None:
    year = AcademicYearFactory.create(start_year=2019)
    trainee = PracticeEducatorFactory.create(person__organisation=org_a, trainee=True)
    assessor = PracticeEducatorFactory.create(person__organisation=org_a)
    client.force_login(alice)
    response = client.post(
        reverse("educators:cohort-create"), {"academic_year": year.pk, "stage": "1"}
    )
    cohort = PepsCohort.objects.unscoped("test").get()
    assert response["Location"] == reverse("educators:cohort-detail", args=[cohort.pk])
    response = client.post(
        reverse("educators:enrol", args=[cohort.pk]),
        {"educator": trainee.pk, "assessor": assessor.pk},
    )
    assert response.status_code == 302
    enrolment = cohort.enrolments.get()
    assert (enrolment.educator, enrolment.assessor) == (trainee, assessor)
    page = client.get(reverse("educators:cohort-detail", args=[cohort.pk])).content.decode()
    assert trainee.person.full_name in page
    assert "Record outcome" in page


def test_the_cohort_list_counts_candidates_and_passes(
    client: Client, alice: User, org_a: Organisation
) -> None:
    enrolment = PepsEnrolmentFactory.create(cohort__organisation=org_a)
    PepsEnrolmentFactory.create(cohort=enrolment.cohort)
    enrolment.outcome, enrolment.outcome_date = Outcome.PASSED, datetime.date(2020, 6, 1)
    enrolment.save()
    client.force_login(alice)
    page = client.get(reverse("educators:cohort-list")).content.decode()
    assert "2019/20" in page
    assert '<td class="govuk-table__cell">2</td>' in page
    assert '<td class="govuk-table__cell">1</td>' in page


def test_recording_a_pass_on_the_outcome_page_updates_the_register(
    client: Client, alice: User, org_a: Organisation
) -> None:
    enrolment = PepsEnrolmentFactory.create(cohort__organisation=org_a, cohort__stage=1)
    client.force_login(alice)
    url = reverse("educators:outcome", args=[enrolment.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "outcome": "passed",
            "outcome_date_0": "30",
            "outcome_date_1": "6",
            "outcome_date_2": "2020",
        },
    )
    assert response.status_code == 302
    enrolment.educator.refresh_from_db()
    assert enrolment.educator.peps_stage == PepsStage.STAGE1
    assert enrolment.educator.stage1_date == datetime.date(2020, 6, 30)


def test_an_outcome_without_a_date_is_refused_on_the_page(
    client: Client, alice: User, org_a: Organisation
) -> None:
    enrolment = PepsEnrolmentFactory.create(cohort__organisation=org_a)
    client.force_login(alice)
    response = client.post(reverse("educators:outcome", args=[enrolment.pk]), {"outcome": "passed"})
    assert response.status_code == 200
    assert "Give the date of the outcome" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.outcome == Outcome.ENROLLED


def test_an_application_goes_through_its_task_list_to_acceptance(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    applicant = PersonFactory.create(organisation=org_a)
    panel_member = PersonFactory.create(organisation=org_b)
    criterion = SelectionCriterionFactory.create(organisation=org_a, max_score=5)
    client.force_login(alice)
    response = client.post(
        reverse("educators:application-create"),
        {
            "applicant": applicant.pk,
            "stage": "1",
            "statement": "I supervise shadowing students.",
            "line_manager_name": "Lin Manager",
            "line_manager_email": "lin@example.test",
        },
    )
    application = PeApplication.objects.unscoped("test").get()
    detail = reverse("educators:application-detail", args=[application.pk])
    assert response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "govuk-task-list" in page
    assert "Not yet started" in page

    # the line manager responds through their own link
    token = services.request_line_manager_support(actor=alice, application=application, send=False)
    client.post(
        reverse("educators:line-manager-support", args=[token]),
        {"supports": "yes", "statement": "Supported."},
    )
    client.force_login(alice)

    # the form offers university staff who are on Practica (docs/0010-pe-sharing.md)
    panel_member.user = member(Role.ACADEMIC, org_b)
    panel_member.save()
    response = client.post(
        reverse("educators:application-panel", args=[application.pk]),
        {"members": [panel_member.pk, applicant.pk]},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("educators:application-interview", args=[application.pk]),
        {"date_0": "14", "date_1": "1", "date_2": "2020", "time": "14:30"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert timezone.localtime(application.interview_at).strftime("%H:%M") == "14:30"
    response = client.post(
        reverse("educators:application-scores", args=[application.pk]),
        {f"score_{criterion.pk}": "6", f"comment_{criterion.pk}": ""},
    )
    assert "The highest score for" in response.content.decode()
    response = client.post(
        reverse("educators:application-scores", args=[application.pk]),
        {f"score_{criterion.pk}": "4", f"comment_{criterion.pk}": "Clear reflection"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("educators:application-decision", args=[application.pk]),
        {"decision": "accepted", "feedback_letter": "Congratulations."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.decision == "accepted"
    assert application.enrolment is not None
    page = client.get(detail).content.decode()
    assert "govuk-panel--confirmation" in page


def test_the_panel_form_refuses_a_panel_without_a_university_member(
    client: Client, alice: User, org_a: Organisation
) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    client.force_login(alice)
    response = client.post(
        reverse("educators:application-panel", args=[application.pk]),
        {"members": [application.applicant.pk]},
    )
    assert response.status_code == 200
    assert "at least one member from a university" in response.content.decode()
    assert not application.panel_members.exists()


def test_the_scores_page_says_to_publish_criteria_first(
    client: Client, alice: User, org_a: Organisation
) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    client.force_login(alice)
    page = client.get(reverse("educators:application-scores", args=[application.pk]))
    assert "Publish the criteria" in page.content.decode()


def test_requesting_support_by_get_is_not_allowed(
    client: Client, alice: User, org_a: Organisation
) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    client.force_login(alice)
    response = client.get(reverse("educators:application-request-support", args=[application.pk]))
    assert response.status_code == 405


def test_a_coordinator_publishes_and_changes_a_criterion(
    client: Client, alice: User, org_a: Organisation
) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("educators:criterion-create"),
        {"title": "Reflective practice", "description": "", "max_score": "5", "position": "1"},
    )
    assert response.status_code == 302
    criterion = org_a.pe_selection_criteria.get()
    response = client.post(
        reverse("educators:criterion-edit", args=[criterion.pk]),
        {"title": "Reflection", "description": "", "max_score": "10", "position": "1"},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.title, criterion.max_score, criterion.is_active) == ("Reflection", 10, False)


def test_a_reader_sees_the_application_s_steps_without_links_to_change_them(
    client: Client, alice: User, manager: User, org_a: Organisation
) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    detail = reverse("educators:application-detail", args=[application.pk])
    edit = reverse("educators:application-edit", args=[application.pk])
    client.force_login(alice)
    assert f'href="{edit}"' in client.get(detail).content.decode()
    client.force_login(manager)
    page = client.get(detail).content.decode()
    assert "govuk-task-list" in page
    assert "govuk-task-list__link" not in page
    assert "govuk-task-list__item--with-link" not in page

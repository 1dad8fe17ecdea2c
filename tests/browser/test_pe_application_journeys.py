"""Applying to be a practice educator and scoring on a selection panel, in the browser: a
practitioner teacher sends their own application and the coordinator finds it; a university
academic on the panel records the scores. Axe runs on every page shown."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.demo.data import DemoLogin
from practica.educators.models import ApplicationScore, PeApplication, SelectionCriterion

pytestmark = pytest.mark.browser

helpers = pytest.importorskip("tests.browser.helpers")
expect_error_summary, follow, sign_in = (
    helpers.expect_error_summary,
    helpers.follow,
    helpers.sign_in,
)
submit, visit = helpers.submit, helpers.visit

TEACHER = "teacher@demo.practica.test"
ACADEMIC = "academic@demo.practica.test"


def sign_out(page: Page) -> None:
    follow(page, page.get_by_role("button", name="Sign out"))


def test_a_practitioner_applies_and_the_coordinator_sees_it(
    page: Page, demo: list[DemoLogin]
) -> None:
    PeApplication.objects.unscoped("test").filter(
        applicant__user__email=TEACHER
    ).delete()  # before they applied
    sign_in(page, TEACHER)
    follow(page, page.get_by_role("link", name="My applications", exact=True))
    expect(page.locator("h1")).to_have_text("My applications to be a practice educator")
    follow(page, page.get_by_role("link", name="Apply to be a practice educator"))
    expect(page.locator(".govuk-caption-l")).to_contain_text("PEPS Stage 1")

    # A mistyped address: the error summary names it and what was written stays.
    statement = "I host shadowing students and teach on the readiness for practice module."
    page.get_by_label("Your written statement").fill(statement)
    page.get_by_label("Your line manager's name").fill("Lin Manager")
    page.get_by_label("Your line manager's e-mail address").fill("lin.manager@")
    submit(page, "Send my application")
    expect_error_summary(page, "Enter an e-mail address like name@example.org")
    expect(page.get_by_label("Your written statement")).to_have_value(statement)
    assert (
        not PeApplication.objects.unscoped("test").filter(applicant__user__email=TEACHER).exists()
    )

    page.get_by_label("Your line manager's e-mail address").fill("linemanager@demo.practica.test")
    submit(page, "Send my application")
    expect(page.locator("h1")).to_have_text("Your application for PEPS Stage 1")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Application sent")
    expect(page.locator(".govuk-task-list")).to_contain_text("Waiting for the line manager")
    application = PeApplication.objects.unscoped("test").get(applicant__user__email=TEACHER)

    sign_out(page)
    sign_in(page, "coordinator.kcc@demo.practica.test")
    visit(page, "/educators/applications/?state=open")
    follow(page, page.get_by_role("link", name=application.applicant.full_name))
    expect(page.locator("h1")).to_have_text(f"{application.applicant.full_name}'s application")
    expect(page.locator(".govuk-summary-list")).to_contain_text(statement)


def test_a_university_academic_on_the_panel_records_the_scores(
    page: Page, demo: list[DemoLogin]
) -> None:
    application = PeApplication.objects.unscoped("test").get(applicant__user__email=TEACHER)
    criteria = list(
        SelectionCriterion.objects.unscoped("test").filter(
            organisation=application.organisation, is_active=True
        )
    )
    assert criteria
    sign_in(page, ACADEMIC)
    helpers.open_section(page, "Practice educators", "Panels I sit on")
    expect(page.locator("h1")).to_have_text("Selection panels I sit on")
    follow(page, page.get_by_role("link", name=application.applicant.full_name))
    expect(page.locator("h1")).to_have_text(f"{application.applicant.full_name}'s application")
    follow(page, page.get_by_role("link", name="Record the panel's scores"))

    # One score too high: refused, nothing saved, the comments typed are kept.
    first = criteria[0]
    for criterion in criteria:
        page.get_by_label(f"{criterion.title}: score out of {criterion.max_score}").fill("3")
    page.get_by_label(f"{first.title}: score out of {first.max_score}").fill(
        str(first.max_score + 1)
    )
    page.get_by_label(f"{first.title}: panel's comment").fill("Strong reflective examples")
    submit(page, "Save scores")
    expect_error_summary(page, f"The highest score for {first.title} is {first.max_score}")
    expect(page.get_by_label(f"{first.title}: panel's comment")).to_have_value(
        "Strong reflective examples"
    )
    assert not ApplicationScore.objects.unscoped("test").filter(application=application).exists()

    page.get_by_label(f"{first.title}: score out of {first.max_score}").fill("4")
    submit(page, "Save scores")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Scores for")
    expect(page.locator("table.govuk-table")).to_contain_text("Strong reflective examples")
    scores = ApplicationScore.objects.unscoped("test").filter(application=application)
    assert scores.count() == len(criteria)
    assert scores.get(criterion=first).score == 4

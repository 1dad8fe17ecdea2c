"""The practice educator register in the browser: a coordinator filters the register, opens a
profile and records a PEPS outcome; HEI staff read the shared Stage 2 register; a PE opens their
own profile. Axe runs on every page shown."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.core import academic_years
from practica.demo.data import DemoLogin
from practica.educators.models import PepsEnrolment, PracticeEducator

pytestmark = pytest.mark.browser

# The browser helpers (axe on every page) live beside this file; without them there is nothing
# to run these journeys with, so the module is skipped rather than failing to import.
helpers = pytest.importorskip("tests.browser.helpers")
check_page, expect_error_summary = helpers.check_page, helpers.expect_error_summary
follow, sign_in, submit, visit = helpers.follow, helpers.sign_in, helpers.submit, helpers.visit
caption_count = helpers.caption_count


def test_a_coordinator_filters_the_register_opens_a_profile_and_records_a_peps_pass(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.mc@demo.practica.test")
    helpers.open_section(page, "Practice educators", "Practice educators")
    expect(page.locator("h1")).to_have_text("Practice educator register")
    assert (
        caption_count(page)
        == PracticeEducator.objects.unscoped("test").filter(person__organisation__code="MC").count()
    )

    # Filtering swaps the results in place (htmx), announces the count and keeps the URL.
    page.get_by_label("PEPS stage").select_option(label="PEPS Stage 1")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"stage=stage1"))
    stage1 = (
        PracticeEducator.objects.unscoped("test")
        .filter(person__organisation__code="MC", peps_stage="stage1")
        .count()
    )
    expect(page.locator("#register-status")).to_have_text(f"{stage1} practice educators found.")
    expect(page.locator("table.govuk-table caption")).to_have_text(f"{stage1} practice educators")
    check_page(page)
    stages = page.locator("table.govuk-table tbody td:nth-child(3)").all_inner_texts()
    assert stages
    assert set(stages) == {"PEPS Stage 1"}

    # The profile: identity bar with the stage and currency tags, then its sections.
    follow(page, page.locator("table.govuk-table tbody a").first)
    expect(page.locator(".moj-identity-bar")).to_contain_text("PEPS Stage 1")
    for heading in ["Register entry", "Activities", "PEPS training", "History"]:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()

    # This year's Stage 1 cohort: record a pass for its first candidate.
    this_year = academic_years.academic_year_of(timezone.localdate())
    follow(page, page.get_by_role("link", name="PEPS training", exact=True))
    visit(page, f"/educators/peps/?year={this_year}&stage=1")
    follow(page, page.locator("table.govuk-table tbody a").first)
    enrolment = (
        PepsEnrolment.objects.unscoped("test")
        .filter(
            cohort__organisation__code="MC",
            cohort__academic_year__start_year=this_year,
            cohort__stage=1,
            outcome="enrolled",
        )
        .select_related("educator__person")
        .order_by("educator__person__last_name", "educator__person__first_name")
        .first()
    )
    assert enrolment is not None
    name = enrolment.educator.person.full_name
    follow(page, page.get_by_role("link", name=f"Record outcome for {name}"))
    expect(page.locator("h1")).to_have_text(f"Record the outcome for {name}")

    # Passed, but the date left empty: the error summary says what to do and nothing changes.
    page.get_by_label("Passed", exact=True).check()
    for part in ("Day", "Month", "Year"):
        page.get_by_label(part, exact=True).fill("")
    submit(page, "Save outcome")
    expect_error_summary(page, "Give the date of the outcome.")
    enrolment.refresh_from_db()
    assert enrolment.outcome == "enrolled"

    today = timezone.localdate()
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    submit(page, "Save outcome")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Outcome recorded for {name}."
    )
    follow(page, page.get_by_role("link", name=name, exact=True))
    expect(page.locator(".moj-identity-bar")).to_contain_text("PEPS Stage 1")
    expect(page.locator("#history ~ .moj-timeline").first).to_contain_text("Changed")
    educator = enrolment.educator
    educator.refresh_from_db()
    assert (educator.peps_stage, educator.stage1_date) == ("stage1", today)


def test_a_coordinator_works_through_lapsing_reviews_and_an_application(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.kcc@demo.practica.test")
    visit(page, "/educators/lapsing/")
    expect(page.locator("table.govuk-table caption")).to_contain_text("lapsing (soonest first)")
    expect(page.locator("table.govuk-table").first).to_contain_text("Needs ")
    follow(page, page.get_by_role("link", name="Reviews due", exact=True))
    follow(page, page.locator("table.govuk-table tbody a", has_text="Review").first)
    submit(page, "Record the review")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Review of")

    follow(page, page.get_by_role("link", name="Applications", exact=True))
    follow(page, page.locator("table.govuk-table tbody a").first)
    expect(page.locator(".govuk-task-list")).to_be_visible()
    visit(page, "/educators/criteria/")
    visit(page, "/educators/new/")
    submit(page, "Save")
    expect_error_summary(page, "Choose a person above, or give the new person's name")


def test_hei_staff_read_the_shared_stage_2_register_but_not_profiles(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "academic@demo.practica.test")
    visit(page, "/educators/stage-2-register/")
    shared = (
        PracticeEducator.objects.unscoped("test")
        .filter(peps_stage="stage2", person__organisation__kind="local_authority")
        .count()
    )
    assert caption_count(page) == shared
    expect(page.locator("table.govuk-table")).not_to_contain_text("@")
    medway = (
        PracticeEducator.objects.unscoped("test").filter(person__organisation__code="MC").first()
    )
    assert medway is not None
    visit(page, f"/educators/{medway.pk}/", status=404)


def test_a_practice_educator_opens_their_own_profile(page: Page, demo: list[DemoLogin]) -> None:
    sign_in(page, "pe@demo.practica.test")
    visit(page, "/educators/me/")
    expect(page.locator("h1")).to_have_text("Priya Educator")
    expect(page.locator(".moj-identity-bar")).to_contain_text("PEPS Stage 2")
    expect(page.get_by_role("link", name=re.compile("Change the register entry"))).to_have_count(0)


def test_every_form_of_the_register_passes_the_page_checks(
    page: Page, demo: list[DemoLogin]
) -> None:
    """The forms not walked through above: each shown once, checked by axe and the helpers."""
    from practica.educators.models import PeApplication, PracticeEducatorActivity
    from practica.educators.recruitment import services

    educator = (
        PracticeEducator.objects.unscoped("test")
        .filter(person__organisation__code="MC", peps_stage="stage2")
        .first()
    )
    activity = (
        PracticeEducatorActivity.objects.unscoped("test")
        .filter(educator__person__organisation__code="MC", ended_on__isnull=True)
        .first()
    )
    application = (
        PeApplication.objects.unscoped("test").filter(organisation__code="MC", decision="").first()
    )
    enrolment = (
        PepsEnrolment.objects.unscoped("test").filter(cohort__organisation__code="MC").first()
    )
    assert educator is not None
    assert activity is not None
    assert application is not None
    assert enrolment is not None
    criterion = application.organisation.pe_selection_criteria.first()
    assert criterion is not None
    sign_in(page, "coordinator.mc@demo.practica.test")
    for path in [
        f"/educators/{educator.pk}/edit/",
        f"/educators/{educator.pk}/review/",
        f"/educators/{educator.pk}/activities/new/",
        f"/educators/activities/{activity.pk}/end/",
        "/educators/currency-rules/",
        "/educators/peps/new/",
        f"/educators/peps/{enrolment.cohort_id}/enrol/",
        "/educators/applications/new/",
        f"/educators/applications/{application.pk}/written/",
        f"/educators/applications/{application.pk}/panel/",
        f"/educators/applications/{application.pk}/interview/",
        f"/educators/applications/{application.pk}/scores/",
        f"/educators/applications/{application.pk}/decision/",
        "/educators/criteria/new/",
        f"/educators/criteria/{criterion.pk}/edit/",
    ]:
        visit(page, path)
    follow(page, page.get_by_role("button", name="Sign out"))

    waiting = (
        PeApplication.objects.unscoped("test")
        .filter(organisation__code="MC", decision="", support_given_at__isnull=True)
        .first()
    )
    assert waiting is not None
    token = services.request_line_manager_support(actor=None, application=waiting, send=False)
    visit(page, f"/educators/support/{token}/")
    expect(page.locator("h1")).to_contain_text(waiting.applicant.full_name)
    submit(page, "Send my statement")
    expect_error_summary(
        page,
        "Select yes if you support the application, or no if not",
        "Enter your support statement",
    )
    page.get_by_label("Yes, I support it").check()
    page.get_by_label("Your support statement").fill("They have the capacity and my support.")
    submit(page, "Send my statement")
    expect(page.locator("h1")).to_have_text("Statement sent")
    visit(page, f"/educators/support/{token}/", status=404)
    expect(page.locator("h1")).to_have_text("This link does not work")

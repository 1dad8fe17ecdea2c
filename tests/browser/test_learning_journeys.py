"""CPD events in the browser: a practice educator registers for a joint forum, the organiser
records attendance inline, and the forum appears in the educator's CPD record."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.demo.data import DemoLogin
from practica.learning.events.models import Event, Registration

pytestmark = pytest.mark.browser

# The browser helpers (axe on every page) live beside this file; without them there is nothing
# to run these journeys with, so the module is skipped rather than failing to import.
helpers = pytest.importorskip("tests.browser.helpers")
check_page, expect_error_summary = helpers.check_page, helpers.expect_error_summary
follow, sign_in, submit, visit = helpers.follow, helpers.sign_in, helpers.submit, helpers.visit

FORUM = "Quarterly joint practice educator forum – next quarter"


def test_a_practice_educator_registers_and_the_organiser_records_attendance(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "pe@demo.practica.test")
    helpers.open_section(page, "Learning", "Events")
    expect(page.locator("h1")).to_have_text("Events")
    follow(page, page.get_by_role("link", name=FORUM))
    expect(page.locator("h1")).to_have_text(FORUM)
    expect(page.get_by_role("link", name="Add to your calendar (.ics file)")).to_be_visible()

    submit(page, "Register")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You are registered for {FORUM}."
    )
    expect(page.get_by_role("button", name="Cancel my place")).to_be_visible()
    follow(page, page.get_by_role("button", name="Sign out"))

    # The day of the forum arrives.
    event = Event.objects.unscoped("test").get(title=FORUM)
    starts_at = timezone.now() - datetime.timedelta(minutes=30)
    Event.objects.unscoped("test").filter(pk=event.pk).update(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=3)
    )
    registration = Registration.objects.unscoped("test").get(
        event=event, person__user__email="pe@demo.practica.test"
    )

    sign_in(page, "coordinator.mc@demo.practica.test")
    visit(page, f"/learning/events/{event.pk}/")
    follow(page, page.get_by_role("link", name="Registrations and attendance"))
    status = page.locator(f"#attendance-{registration.pk}")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("Not recorded")

    button = page.get_by_role("button", name=re.compile(r"^Attended\W+Priya Educator$"))
    button.click()  # htmx posts and swaps the status in place; the page stays
    expect(status).to_contain_text("Attended")
    expect(status).to_contain_text("Priya Educator: attended")
    check_page(page)
    registration.refresh_from_db()
    assert registration.attended == "yes"
    follow(page, page.get_by_role("button", name="Sign out"))

    sign_in(page, "pe@demo.practica.test")
    visit(page, "/learning/my-cpd/")
    expect(page.locator(".practica-cpd-record")).to_contain_text(FORUM)
    expect(page.locator(".practica-cpd-record")).to_contain_text(
        "Quarterly joint practice educator forum – November 2019"
    )


def test_a_coordinator_adds_an_event_after_correcting_the_form(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.kcc@demo.practica.test")
    visit(page, "/learning/events/new/")
    page.get_by_label("Quarterly joint practice educator forum").check()
    page.get_by_label("Title").fill("May joint forum")
    page.get_by_label("Day", exact=True).fill("30")
    page.get_by_label("Month", exact=True).fill("2")
    page.get_by_label("Year", exact=True).fill("2031")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("13:00")
    page.get_by_label("Place").fill("Maidstone, Sessions House")
    submit(page)
    expect_error_summary(page, "The date must be a real date")
    expect(page.get_by_label("Title")).to_have_value("May joint forum")

    page.get_by_label("Day", exact=True).fill("29")
    page.get_by_label("Month", exact=True).fill("5")
    submit(page)
    expect_error_summary(page, "add a university as co-facilitator")
    page.get_by_label("University of Kent").check()
    submit(page)
    expect(page.locator("h1")).to_have_text("May joint forum")
    expect(page.locator(".govuk-summary-list")).to_contain_text(
        "Kent County Council, with University of Kent"
    )


def test_the_cpd_needs_survey_results_have_a_chart_and_a_table(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "manager@demo.practica.test")
    visit(page, "/learning/surveys/")
    follow(page, page.get_by_role("link", name="Practice educator CPD needs"))
    expect(page.locator("canvas#cpd-needs-chart")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Reflective supervision")
    expect(page.locator("body")).to_contain_text("Medway Council")

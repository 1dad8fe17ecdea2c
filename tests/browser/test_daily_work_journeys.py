"""Issue 11's daily jobs in the browser (axe on every page shown): a coordinator records
attendance at a forum and the practice educator's last update training — the date their
currency runs from — moves to it, with the forum as its source; a coordinator corrects a
recorded PEPS outcome with a reason, and the history shows the reason."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.core import academic_years
from practica.demo.data import DemoLogin
from practica.educators.models import PepsEnrolment, PracticeEducator
from practica.educators.training import services as training_services
from practica.learning.events import services as event_services
from practica.learning.events.models import Event, EventKind

pytestmark = pytest.mark.browser

helpers = pytest.importorskip("tests.browser.helpers")
check_page, expect_error_summary = helpers.check_page, helpers.expect_error_summary
follow, sign_in, submit, visit = helpers.follow, helpers.sign_in, helpers.submit, helpers.visit

PE = "pe@demo.practica.test"
MEDWAY = "coordinator.mc@demo.practica.test"


def test_recording_attendance_at_a_forum_refreshes_the_educators_update_training(
    page: Page, demo: list[DemoLogin]
) -> None:
    educator = PracticeEducator.objects.unscoped("test").get(person__user__email=PE)
    long_ago = timezone.localdate() - datetime.timedelta(days=800)
    PracticeEducator.objects.unscoped("test").filter(pk=educator.pk).update(
        last_training_date=long_ago, last_training_source="", last_training_source_url=""
    )
    forum = (
        Event.objects.unscoped("test")
        .filter(
            organisation__code="MC", kind=EventKind.JOINT_PE_FORUM, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    assert forum is not None
    registration = event_services.register_for_event(
        actor=None, event=forum, person=educator.person
    )
    # the day of the forum: it began half an hour ago
    starts_at = timezone.now() - datetime.timedelta(minutes=30)
    Event.objects.unscoped("test").filter(pk=forum.pk).update(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=3)
    )

    sign_in(page, MEDWAY)
    visit(page, f"/educators/{educator.pk}/")
    entry = page.locator(".govuk-summary-list__row", has_text="Last update training")
    expect(entry).to_contain_text(f"{long_ago:%-d %B %Y}")
    expect(entry).to_contain_text("Entered on the register")

    visit(page, f"/learning/events/{forum.pk}/attendance/")
    status = page.locator(f"#attendance-{registration.pk}")
    expect(status).to_contain_text("Not recorded")
    page.get_by_role("button", name=re.compile(r"^Attended\W+Priya Educator$")).click()
    expect(status).to_contain_text("Attended")
    check_page(page)

    visit(page, f"/educators/{educator.pk}/")
    entry = page.locator(".govuk-summary-list__row", has_text="Last update training")
    today = timezone.localdate(starts_at)
    expect(entry).to_contain_text(f"{today:%-d %B %Y}")
    expect(entry.get_by_role("link", name=re.compile(re.escape(forum.title)))).to_have_attribute(
        "href", f"/learning/events/{forum.pk}/"
    )
    educator.refresh_from_db()
    assert educator.last_training_date == today

    # the educator sees the same on their own profile
    follow(page, page.get_by_role("button", name="Sign out"))
    sign_in(page, PE)
    visit(page, "/educators/me/")
    expect(
        page.locator(".govuk-summary-list__row", has_text="Last update training")
    ).to_contain_text(f"{today:%-d %B %Y}")


def test_a_coordinator_corrects_a_recorded_peps_outcome_and_the_history_keeps_the_reason(
    page: Page, demo: list[DemoLogin]
) -> None:
    this_year = academic_years.academic_year_of(timezone.localdate())
    enrolment = (
        PepsEnrolment.objects.unscoped("test")
        .filter(
            cohort__organisation__code="MC",
            cohort__academic_year__start_year=this_year,
            cohort__stage=1,
            outcome="enrolled",
        )
        .select_related("educator__person", "cohort__academic_year")
        .order_by("educator__person__last_name", "educator__person__first_name")
        .first()
    )
    assert enrolment is not None
    name = enrolment.educator.person.full_name
    recorded_on = max(
        enrolment.cohort.academic_year.starts_on, timezone.localdate() - datetime.timedelta(days=1)
    )
    training_services.record_peps_outcome(
        actor=None, enrolment=enrolment, outcome="not_passed", outcome_date=recorded_on
    )

    sign_in(page, MEDWAY)
    visit(page, f"/educators/peps/{enrolment.cohort_id}/")
    follow(page, page.get_by_role("link", name=re.compile(rf"outcome for {re.escape(name)}")))
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator(".govuk-breadcrumbs, .govuk-back-link").first).to_be_visible()

    # a correction without a reason is refused, and nothing changes
    page.get_by_label("Passed", exact=True).check()
    submit(page, "Save outcome")
    expect_error_summary(page, "Say why you are correcting the recorded outcome.")
    enrolment.refresh_from_db()
    assert enrolment.outcome == "not_passed"

    page.get_by_label("Passed", exact=True).check()
    reason = "The assessment panel's decision was entered wrongly"
    page.get_by_label("Why are you correcting the recorded outcome?").fill(reason)
    submit(page, "Save outcome")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(name)
    enrolment.refresh_from_db()
    assert enrolment.outcome == "passed"

    visit(page, f"/educators/{enrolment.educator_id}/")
    expect(page.get_by_text(f"Reason: {reason}").first).to_be_visible()
    visit(page, f"/educators/peps/enrolments/{enrolment.pk}/outcome/")
    expect(page.get_by_text(f"Reason: {reason}").first).to_be_visible()

"""A practice educator logs a week of the time audit from the home page, and a coordinator
reads the time audit report, with its chart and table (axe on every page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.core.models import AcademicYear, Organisation
from practica.demo.data import DemoLogin
from practica.educators.register.models import PracticeEducator
from practica.placements.models import PlacementType
from practica.timeaudit import services
from practica.timeaudit.models import TimeLog

from .helpers import follow, open_section, sign_in, submit

pytestmark = pytest.mark.browser

PE = "pe@demo.practica.test"
KENT = "coordinator.kcc@demo.practica.test"


def _enrol_the_demo_educator() -> None:
    """Medway audits its 2019/20 first placements; the PE login takes part with the first
    placement they supervise (the student login's, from 7 October 2019)."""
    medway = Organisation.objects.unscoped("test").get(code="MC")
    educator = PracticeEducator.objects.unscoped("test").get(person__email=PE)
    audit = services.create_audit(
        actor=None,
        organisation=medway,
        name="First placements time audit",
        academic_year=AcademicYear.objects.get(start_year=2019),
        placement_type=PlacementType.FIRST_70,
    )
    enrolment = services.enrol_educator(actor=None, audit=audit, practice_educator=educator)
    assert enrolment.placement is not None


def test_a_practice_educator_logs_a_week_from_the_home_page(
    page: Page, demo: list[DemoLogin]
) -> None:
    _enrol_the_demo_educator()
    sign_in(page, PE)
    follow(page, page.get_by_role("link", name="Weeks to log for First placements time audit"))
    expect(page.locator("h1")).to_have_text(
        "How many hours did you spend on practice educator work?"
    )
    page.get_by_label("Hours in the working day").fill("7.5")
    page.get_by_label("Hours out of hours").fill("1")
    submit(page, "Save the week")
    expect(page.locator("h1")).to_have_text("Your weeks")
    expect(page.locator(".govuk-notification-banner, .govuk-body").first).to_be_visible()
    log = TimeLog.objects.unscoped("test").get(enrolment__practice_educator__person__email=PE)
    assert (str(log.daytime_hours), str(log.ooh_hours)) == ("7.50", "1.00")


def test_a_bad_week_is_explained_on_the_page(page: Page, demo: list[DemoLogin]) -> None:
    _enrol_the_demo_educator()
    sign_in(page, PE)
    follow(page, page.get_by_role("link", name="Weeks to log for First placements time audit"))
    page.get_by_label("Hours in the working day").fill("70")
    page.get_by_label("Hours out of hours").fill("20")
    submit(page, "Save the week")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("a week holds at most 80 hours")


def test_a_coordinator_reads_the_time_audit_report(page: Page, demo: list[DemoLogin]) -> None:
    sign_in(page, KENT)
    open_section(page, "Placements", "Time audits")
    follow(page, page.get_by_role("link", name="Practice educator time audit 2019"))
    expect(page.locator("h1")).to_have_text("Practice educator time audit 2019")
    follow(page, page.get_by_role("link", name="See the totals, averages and highest weeks"))
    expect(page.locator("h1")).to_have_text("Practice educator time audit")
    table = page.locator("table.govuk-table")
    expect(table).to_contain_text("1922")
    expect(table).to_contain_text("236")
    expect(page.locator("canvas#report-chart")).to_be_visible()

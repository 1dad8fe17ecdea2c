"""During a placement, in Chromium through axe: a university coordinator records a student's
check, follows a placement in progress, records an observation and raises a cause for concern,
then runs it to a meeting (docs/0029)."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from practica.demo.data import DemoLogin
from practica.placements.models import Placement, PlacementStatus

from .helpers import follow, sign_in, submit, visit

pytestmark = pytest.mark.browser


def test_a_university_coordinator_follows_a_placement_under_way(
    page: Page, demo: list[DemoLogin]
) -> None:
    placement = (
        Placement.objects.unscoped("test")
        .filter(student__hei__code="UOK", status=PlacementStatus.IN_PROGRESS)
        .order_by("pk")
        .first()
    )
    assert placement is not None
    sign_in(page, "coordinator.uok@demo.practica.test")

    visit(page, f"/placements/students/{placement.student_id}/")
    follow(page, page.get_by_role("link", name="Pre-placement checks and practice days"))
    expect(page.locator("h1")).to_contain_text("Checks and practice days")
    follow(page, page.get_by_role("link", name="Record a check", exact=True))
    page.get_by_label("Check").select_option("dbs")
    page.get_by_label("Day").first.fill("1")
    page.get_by_label("Month").first.fill("9")
    page.get_by_label("Year").first.fill("2019")
    submit(page)
    expect(page.locator(".govuk-table").first).to_contain_text("1 September 2019")

    visit(page, placement.get_absolute_url())
    follow(page, page.get_by_role("link", name="Attendance, meetings, observations and concerns"))
    expect(page.locator("h1")).to_contain_text("During the placement")
    follow(page, page.get_by_role("link", name="Record a direct observation"))
    observed = placement.starts_on
    assert observed is not None
    page.get_by_label("Day").fill(str(observed.day))
    page.get_by_label("Month").fill(str(observed.month))
    page.get_by_label("Year").fill(str(observed.year))
    submit(page)
    expect(page.get_by_text("Direct observation recorded.")).to_be_visible()

    follow(page, page.get_by_role("link", name="Raise a cause for concern"))
    submit(page)  # empty: the error summary, through axe
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    page.get_by_label("What is the concern?").fill("Missed two supervision sessions.")
    submit(page)
    expect(page.locator(".moj-identity-bar")).to_contain_text("Raised")
    visit(page, placement.get_absolute_url())
    expect(page.locator(".moj-identity-bar")).to_contain_text("Cause for concern open")


def test_the_student_logs_a_week_and_their_practice_educator_signs_it_off(
    page: Page, demo: list[DemoLogin]
) -> None:
    placement = Placement.objects.unscoped("test").get(
        student__person__email="student@demo.practica.test",
        status=PlacementStatus.IN_PROGRESS,
    )
    assert placement.starts_on is not None
    monday = placement.starts_on - datetime.timedelta(days=placement.starts_on.weekday())
    sign_in(page, "student@demo.practica.test")
    # the home page's card: the days still to sign off, and what is due next
    follow(page, page.get_by_role("link", name=re.compile(r"^Days of your placement still to be")))
    expect(page.locator("h1")).to_contain_text("During the placement")
    follow(page, page.get_by_role("link", name="Log a week's attendance"))
    page.get_by_label("Day", exact=True).fill(str(monday.day))
    page.get_by_label("Month").fill(str(monday.month))
    page.get_by_label("Year").fill(str(monday.year))
    page.get_by_label("Days attended").fill("4")
    submit(page)
    expect(page.get_by_text("Waiting for the practice educator")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "pe@demo.practica.test")
    visit(page, f"/placements/during/{placement.pk}/")
    follow(page, page.get_by_role("button", name="Sign off the week of"))
    expect(page.locator("main")).to_contain_text(re.compile(r"4(\.0)? of 70 days signed off"))

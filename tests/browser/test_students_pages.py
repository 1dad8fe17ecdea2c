"""A university's coordinator finds a student in the list and opens their page (axe on each)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.demo.data import DemoLogin
from practica.placements.models import Student

from .helpers import caption_count, column, follow, open_section, sign_in, submit, visit

pytestmark = pytest.mark.browser


def test_a_coordinator_filters_the_students_and_opens_one(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.uok@demo.practica.test")
    open_section(page, "Placements", "Students")
    expect(page.locator("h1")).to_have_text("Students")
    assert caption_count(page) == Student.objects.unscoped("test").filter(hei__code="UOK").count()
    assert set(column(page, "University")) == {"University of Kent"}

    page.get_by_label("Route").select_option("ma")
    submit(page, "Apply filters")
    assert set(column(page, "Route")) == {"MA Social Work"}
    follow(page, page.locator("tbody a").first)
    expect(page.locator(".moj-identity-bar")).to_contain_text("Student at University of Kent")
    expect(page.get_by_role("heading", name="History")).to_be_visible()


def test_a_local_authority_coordinator_has_no_students_section(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.mc@demo.practica.test")
    expect(page.get_by_role("link", name="Students", exact=True)).to_have_count(0)
    visit(page, "/placements/students/")
    # a local authority sees only the students placed with it (docs/0022), no others
    placed_here = (
        Student.objects.unscoped("test").filter(placements__organisation__code="MC").distinct()
    )
    assert caption_count(page) == placed_here.count()

"""A university's coordinator finds a student in the list and opens their page (axe on each)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.demo.data import DemoLogin

from .helpers import caption_count, column, follow, sign_in, submit, visit

pytestmark = pytest.mark.browser


def test_a_coordinator_filters_the_students_and_opens_one(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.uok@demo.practica.test")
    follow(page, page.get_by_role("link", name="Students"))
    expect(page.locator("h1")).to_have_text("Students")
    assert caption_count(page) == 25  # the demo's 24 and the student login
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
    expect(page.get_by_role("link", name="Students")).to_have_count(0)
    visit(page, "/placements/students/")
    expect(page.locator("main")).to_contain_text("Universities add their students")

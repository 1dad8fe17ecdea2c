"""Each demo role's home page lists its tasks (counts equal to the lists behind them), a list
downloads with its filters, and a line manager answers a support request in Practica (issue 11).
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from practica.demo.data import DemoLogin

from .helpers import caption_count, follow, sign_in, submit, visit

pytestmark = pytest.mark.browser

# demo login: the tasks their home page lists
HOME_TASKS = {
    "manager@demo.practica.test": [
        "Practice educators lapsing",
        "Practice educators who have lapsed",
        "Register entries due for review",
        "Applications waiting for a decision",
        "Events with attendance to record",
    ],
    "coordinator.kcc@demo.practica.test": [
        "Practice educators lapsing",
        "Practice educators who have lapsed",
        "Register entries due for review",
        "Applications waiting for a decision",
        "PEPS cohorts with candidates without an outcome",
        "Upcoming events with places free",
        "Events with attendance to record",
        "Imports that failed",
    ],
    "pe@demo.practica.test": [
        "Your currency",
        "Your next review",
        "Events you are registered for",
        "Your CPD record",
    ],
    "linemanager@demo.practica.test": ["Applications waiting for your support"],
    "academic@demo.practica.test": ["Selection panels waiting for your scores"],
}


def task(page: Page, title: str) -> tuple[str, str]:
    """A task's link and its status tag's text."""
    item = page.locator(".govuk-task-list__item", has=page.get_by_role("link", name=title))
    expect(item).to_have_count(1)
    return title, item.locator(".govuk-tag").inner_text()


@pytest.mark.parametrize("email", list(HOME_TASKS))
def test_each_demo_roles_home_page_lists_its_tasks(
    page: Page, demo: list[DemoLogin], email: str
) -> None:
    sign_in(page, email)
    expect(page.locator(".govuk-task-list").first).to_be_visible()
    for title in HOME_TASKS[email]:
        task(page, title)
    if email.startswith("manager"):
        expect(page.get_by_role("heading", name="Headline figures")).to_be_visible()
        expect(page.locator(".govuk-summary-list")).to_contain_text("Applications received")


def test_a_coordinators_task_count_is_the_number_of_rows_behind_it(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.kcc@demo.practica.test")
    _title, tag = task(page, "Practice educators lapsing")
    count = int(tag.replace(",", "")) if tag != "None" else 0
    follow(page, page.get_by_role("link", name="Practice educators lapsing"))
    assert re.search(r"status=lapsing", page.url)
    if count:
        assert caption_count(page) == count
    expect(page.get_by_label("Currency")).to_have_value("lapsing")


def test_a_coordinator_downloads_the_filtered_lapsing_list(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "coordinator.kcc@demo.practica.test")
    visit(page, "/educators/lapsing/?status=lapsed")
    shown = caption_count(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download as CSV")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    path = download.path()
    with open(path, encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert rows[0][:2] == ["Last name", "First name"]
    assert len(rows) == shown + 1
    assert {row[rows[0].index("Currency")] for row in rows[1:]} == {"Lapsed"}


def test_a_line_manager_answers_a_support_request_in_practica(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, "linemanager@demo.practica.test")
    _title, tag = task(page, "Applications waiting for your support")
    assert tag == "1"
    follow(page, page.get_by_role("link", name="Applications waiting for your support"))
    expect(page.locator("h1")).to_have_text("Support requests")
    follow(page, page.locator(".govuk-task-list__link").first)
    page.get_by_label("Yes, I support it").check()
    page.get_by_label("Your support statement").fill(
        "Tom's caseload allows a student next year and the team will cover his visits."
    )
    submit(page, "Send my statement")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("was sent")
    expect(page.locator(".govuk-summary-list")).to_contain_text("You supported it")
    visit(page, "/")
    _title, tag = task(page, "Applications waiting for your support")
    assert tag == "None"

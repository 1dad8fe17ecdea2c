"""A student answers the placement evaluation from their link with the keyboard alone, and the
partnership manager reads the collation with its charts and tables (axe on every page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.core.models import Person
from practica.demo.data import DemoLogin
from practica.questionnaires import services
from practica.questionnaires.models import Questionnaire, Response

from .helpers import check_page, follow, open_section, sign_in, visit

pytestmark = pytest.mark.browser

STUDENT = "student@demo.practica.test"
MANAGER = "manager@demo.practica.test"


def _link_for_student() -> str:
    questionnaire = Questionnaire.objects.unscoped("test").get(slug="placement-evaluation-student")
    version = services.latest_published(questionnaire)
    assert version is not None
    person = Person.objects.unscoped("test").get(email=STUDENT)
    distribution = services.distribute(
        actor=None,
        version=version,
        title="Final placement 2020/21",
        recipients=[person],
        send=False,
    )
    return "/questionnaires/answer/" + services.issue_token(distribution.invitations.get()) + "/"


def test_a_student_completes_the_evaluation_with_the_keyboard_only(
    page: Page, demo: list[DemoLogin]
) -> None:
    link = _link_for_student()
    visit(page, link)
    expect(page.locator("h1")).to_have_text("Practice Placement Evaluation Tool: student")
    answered: set[str] = set()
    for _step in range(400):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return {tag: e.tagName, type: e.type || '', name: e.name || '', text: e.textContent || ''}; }"
        )
        if focused["tag"] == "BUTTON" and "Send my answers" in focused["text"]:
            with page.expect_navigation(wait_until="load"):
                page.keyboard.press("Enter")
            break
        if focused["type"] == "radio" and focused["name"] not in answered:
            page.keyboard.press("Space")
            answered.add(focused["name"])
        elif focused["type"] == "text" and focused["name"] not in answered:
            page.keyboard.type("4")
            answered.add(focused["name"])
    else:
        pytest.fail("never reached the Send my answers button")
    check_page(page)
    expect(page.locator("h1")).to_have_text("Answers sent")
    assert Response.objects.filter(person__email=STUDENT).count() == 1


def test_missing_answers_are_summarised_and_linked_to_each_question(
    page: Page, demo: list[DemoLogin]
) -> None:
    visit(page, _link_for_student())
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Send my answers").click()
    check_page(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select an answer to “A pre-placement meeting took place”")
    assert page.title().startswith("Error: ")


def test_the_partnership_manager_reads_the_collation(page: Page, demo: list[DemoLogin]) -> None:
    sign_in(page, MANAGER)
    open_section(page, "Learning", "Questionnaires")
    follow(page, page.get_by_role("link", name="Practice Placement Evaluation Tool: student"))
    follow(page, page.get_by_role("link", name="See the answers"))
    expect(page.locator("h1")).to_have_text(
        "Answers to Practice Placement Evaluation Tool: student"
    )
    expect(page.locator("canvas[data-questionnaire-chart]").first).to_be_visible()
    expect(page.locator("table").first).to_be_visible()

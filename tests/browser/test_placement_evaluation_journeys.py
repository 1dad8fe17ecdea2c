"""Placement evaluations in the browser (docs/0031): a student answers the evaluation of their
own placement from its personal link with the keyboard alone, and a local authority's
coordinator compares students' and educators' answers for last year's placements (axe on every
page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.demo.data import DemoLogin
from practica.placements import evaluation
from practica.placements.models import Placement
from practica.questionnaires import services
from practica.questionnaires.models import Invitation, Response

from .helpers import check_page, follow, open_section, sign_in, visit

pytestmark = pytest.mark.browser

STUDENT = "student@demo.practica.test"
COORDINATOR = "coordinator.mc@demo.practica.test"


def _link_about_the_students_placement() -> tuple[str, Placement]:
    placement = (
        Placement.objects.unscoped("test")
        .select_related("student__person", "organisation", "academic_year")
        .get(student__person__email=STUDENT)
    )
    evaluation.send_evaluations(actor=None, placements=[placement], send=False)
    invitation = Invitation.objects.get(person=placement.student.person, subject_id=placement.pk)
    return "/questionnaires/answer/" + services.issue_token(invitation) + "/", placement


def test_a_student_evaluates_their_placement_from_its_link_with_the_keyboard_only(
    page: Page, demo: list[DemoLogin]
) -> None:
    link, placement = _link_about_the_students_placement()
    visit(page, link)
    expect(page.locator("h1")).to_have_text("Practice Placement Evaluation Tool: student")
    expect(page.get_by_text("About your first placement")).to_be_visible()
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
    response = Response.objects.get(person__email=STUDENT, subject_id=placement.pk)
    assert response.subject_type is not None
    assert response.subject_type.model == "placement"


def test_a_coordinator_compares_students_and_educators_for_last_years_placements(
    page: Page, demo: list[DemoLogin]
) -> None:
    sign_in(page, COORDINATOR)
    open_section(page, "Placements", "Placement evaluations")
    expect(page.locator("h1")).to_have_text("Placement evaluations")
    page.get_by_label("Academic year of the placement").select_option("2018/19")
    follow(page, page.get_by_role("button", name="Apply filters"))
    expect(page.get_by_role("heading", name="Students and educators compared")).to_be_visible()
    expect(page.get_by_text("where the student and at least one educator")).to_be_visible()
    table = page.get_by_role("table").first
    expect(table).to_contain_text("Students answering")
    expect(page.locator("canvas[data-questionnaire-chart]").first).to_be_visible()
    expect(page.get_by_role("heading", name="Who has answered")).to_be_visible()
    # one placement's page: who was asked and whether they answered, never what
    answered = page.get_by_role("table").last
    follow(page, answered.get_by_role("link").first)
    expect(page.locator("h1")).to_contain_text("Evaluation of ")
    expect(page.get_by_role("heading", name="Who was asked")).to_be_visible()
    expect(page.get_by_text("Your answers")).to_have_count(0)

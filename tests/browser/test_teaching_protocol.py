"""Acceptance (issue 14): the whole request protocol in Chromium, axe on every page — the
university's academic asks for a practitioner, the local authority's practitioner-teacher lead
offers one from the directory, the academic accepts, the practitioner confirms, the session is
delivered, a student gives feedback through the session's link, the module leader records a
peer observation, and the practitioner's hours appear in the contribution report."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from practica.core.academic_years import academic_year_of, format_academic_year
from practica.demo.data import DemoLogin
from practica.questionnaires.models import Response
from practica.teaching.models import PeerObservation, TeachingRequest

from .helpers import column, follow, sign_in, submit, visit

pytestmark = pytest.mark.browser

ACADEMIC = "academic@demo.practica.test"
LEAD = "coordinator.kcc@demo.practica.test"
TEACHER = "teacher@demo.practica.test"
TOPIC = "Working with interpreters"


def sign_out(page: Page) -> None:
    follow(page, page.get_by_role("button", name="Sign out"))


def test_a_request_becomes_a_delivered_session_with_feedback_and_hours(
    page: Page, demo: list[DemoLogin]
) -> None:
    today = timezone.localdate()
    # the academic asks Kent for a practitioner, for a session today
    sign_in(page, ACADEMIC)
    visit(page, "/teaching/requests/")
    follow(page, page.get_by_role("link", name="Ask for practitioners"))
    page.get_by_label("Teaching session", exact=True).check()
    page.get_by_label("Module").fill("Skills for practice")
    page.get_by_label("Topic").fill(TOPIC)
    page.get_by_label("Day", exact=True).fill(str(today.day))
    page.get_by_label("Month", exact=True).fill(str(today.month))
    page.get_by_label("Year", exact=True).fill(str(today.year))
    page.get_by_label("Start time").fill("00:00")
    page.get_by_label("End time").fill("02:00")
    page.get_by_label("Place").fill("Medway campus, room 2.14")
    page.get_by_label("Kent County Council").check()
    submit(page)
    expect(page.locator("h1")).to_contain_text(TOPIC)
    expect(page.locator(".moj-identity-bar")).to_contain_text("Waiting for practitioners")
    request_path = "/teaching/" + page.url.split("/teaching/", 1)[1]
    sign_out(page)

    # Kent's practitioner-teacher lead offers the demo practitioner teacher
    sign_in(page, LEAD)
    visit(page, request_path)
    follow(page, page.get_by_role("link", name="Offer practitioners"))
    page.get_by_label("Tom Teacher").check()
    submit(page)
    expect(page.get_by_role("table")).to_contain_text("Offered")
    sign_out(page)

    # the academic accepts the offer
    sign_in(page, ACADEMIC)
    visit(page, request_path)
    follow(page, page.get_by_role("link", name="Accept Tom Teacher"))
    submit(page)
    expect(page.get_by_role("table")).to_contain_text("Accepted, waiting for the practitioner")
    sign_out(page)

    # the practitioner confirms
    sign_in(page, TEACHER)
    visit(page, request_path)
    follow(page, page.get_by_role("link", name="Confirm Tom Teacher"))
    submit(page)
    expect(page.locator(".moj-identity-bar")).to_contain_text("Filled")
    sign_out(page)

    # the academic records the session as delivered and shows the students the feedback link
    sign_in(page, ACADEMIC)
    visit(page, request_path)
    follow(page, page.get_by_role("link", name="Scheduled"))
    session_path = page.url.split("/teaching/", 1)[1]
    follow(page, page.get_by_role("link", name="Record as delivered"))
    submit(page)
    expect(page.locator(".moj-identity-bar")).to_contain_text("Delivered")
    expect(page.get_by_role("img", name="QR code of the feedback link")).to_be_visible()
    feedback_link = page.locator("a[href*='/teaching/feedback/']").first.get_attribute("href")
    assert feedback_link is not None

    # the module leader's peer observation
    follow(page, page.get_by_role("link", name="Record a peer observation"))
    page.get_by_label("Practitioner observed").select_option(label="Tom Teacher")
    page.get_by_label("Strengths").fill("Clear, practical case examples.")
    page.get_by_label("Areas to develop").fill("Leave time for questions.")
    submit(page)
    expect(page.get_by_role("heading", name="Peer observations")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Clear, practical case examples.")
    sign_out(page)

    # a student answers through the link, without signing in
    visit(page, feedback_link)
    for name in page.locator("input[type=radio]").evaluate_all(
        "inputs => [...new Set(inputs.map(input => input.name))]"
    ):
        page.locator(f"input[type=radio][name='{name}']").first.check()
    submit(page, "Send my feedback")
    expect(page.locator("h1")).to_have_text("Feedback sent")
    session_id = int(session_path.split("/")[1])
    feedback = Response.objects.filter(
        subject_id=session_id, version__questionnaire__slug="session-feedback"
    )
    assert feedback.count() == 1

    # the practitioner reads their observation; the hours appear in the report
    sign_in(page, TEACHER)
    visit(page, "/teaching/" + session_path)
    expect(page.locator("main")).to_contain_text("Leave time for questions.")
    sign_out(page)
    request = TeachingRequest.objects.unscoped("test").get(topic=TOPIC)
    assert PeerObservation.objects.unscoped("test").filter(session=request.session).count() == 1
    sign_in(page, "manager@demo.practica.test")
    year = format_academic_year(academic_year_of(today))
    visit(page, f"/reports/teaching-activity/?organisation=UOK&year={year}")
    # nothing of this year was delivered before: the session's two hours are the only ones
    delivered = [value for value in column(page, "Hours delivered") if value not in ("0", "")]
    assert delivered == ["2"], delivered

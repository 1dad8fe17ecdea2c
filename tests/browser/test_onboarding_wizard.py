"""A new installation: the administrator signs in to an empty Practica and sets the partnership
up with the wizard (task list, one question per page, check answers, confirmation), with axe on
every page."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from practica.accounts.models import Invitation, Membership, Role, User
from practica.core.models import Organisation, Partnership

from .helpers import expect_error_summary, follow, sign_in, submit

pytestmark = pytest.mark.browser

PASSWORD = "a long admin passphrase 2026"


@pytest.fixture
def admin(page: Page) -> User:
    """The administrator made with `practica createsuperuser`, in a Practica with no data."""
    assert not Organisation.objects.unscoped("test").exists()
    return User.objects.create_superuser("admin@practica.example", PASSWORD)


def status_of(page: Page, task: str) -> str:
    item = page.locator(".govuk-task-list__item").filter(has_text=task)
    return item.locator(".govuk-task-list__status").inner_text().strip()


def open_task(page: Page, task: str) -> None:
    follow(page, page.get_by_role("link", name=task))


def add_organisation(page: Page, name: str, code: str, kind: str) -> None:
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Code").fill(code)
    page.get_by_label(kind).check()


def test_the_first_administrator_sets_up_the_partnership_with_the_wizard(
    page: Page, admin: User
) -> None:
    sign_in(page, admin.email, PASSWORD)  # the home page sends them to the wizard
    expect(page.locator("h1")).to_have_text("Set up Practica for your partnership")
    assert status_of(page, "Add the member organisations") == "Cannot start yet"
    assert status_of(page, "Name the partnership") == "Not yet started"

    open_task(page, "Name the partnership")
    submit(page, "Save and continue")
    expect_error_summary(page, "Enter the partnership's name.")
    page.get_by_label("What is the partnership called?").fill(
        "Kent and Medway Teaching Partnership"
    )
    submit(page, "Save and continue")
    assert status_of(page, "Name the partnership") == "Completed"

    open_task(page, "Add the lead organisation")
    add_organisation(page, "Medway Council", "mc", "Local authority")
    submit(page, "Save and continue")
    assert status_of(page, "Add the member organisations") == "Not yet started"

    open_task(page, "Add the member organisations")
    add_organisation(page, "Canterbury Christ Church University", "CCCU", "University (HEI)")
    submit(page, "Add this organisation")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("CCCU")
    add_organisation(page, "Kent County Council", "KCC", "Local authority")
    submit(page, "Add this organisation")
    add_organisation(page, "Duplicate", "KCC", "Other")
    submit(page, "Add this organisation")
    expect_error_summary(page, "You have already added KCC.")
    submit(page, "I have added every organisation")
    assert status_of(page, "Add the member organisations") == "Completed"

    open_task(page, "Choose the academic year")
    page.get_by_label("Which academic year").fill("2019/20")
    submit(page, "Save and continue")

    open_task(page, "Invite each organisation's coordinator")
    page.get_by_label("Coordinator at Medway Council").fill("lead@medway.example")
    page.get_by_label("Coordinator at Canterbury Christ Church University").fill(
        "placements@cccu.example"
    )
    submit(page, "Save and continue")
    assert not Partnership.objects.exists()  # nothing is written before the answers are checked

    follow(page, page.get_by_role("link", name="Check your answers"))
    expect(page.locator("h1")).to_have_text("Check your answers before setting up the partnership")
    expect(page.locator("main")).to_contain_text("Coordinator lead@medway.example will be invited")
    expect(page.locator("main")).to_contain_text("No coordinator invited yet")
    submit(page, "Set up the partnership")

    expect(page.locator(".govuk-panel__title")).to_have_text("Partnership set up")
    partnership = Partnership.objects.get()
    assert partnership.lead_organisation == Organisation.objects.unscoped("test").get(code="MC")
    assert sorted(Organisation.objects.unscoped("test").values_list("code", flat=True)) == ["CCCU", "KCC", "MC"]
    assert Membership.objects.unscoped("test").get(user=admin).role == Role.PARTNERSHIP_MANAGER
    assert sorted(Invitation.objects.unscoped("test").values_list("email", flat=True)) == [
        "lead@medway.example",
        "placements@cccu.example",
    ]
    assert len(mail.outbox) == 2

    follow(page, page.get_by_role("link", name="Go to the home page"))
    expect(page.locator("h1")).to_have_text("Partnership manager – Medway Council")

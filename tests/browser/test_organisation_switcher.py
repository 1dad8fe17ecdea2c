"""The MOJ organisation switcher for someone who works in two organisations."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.accounts.models import Role, User
from practica.accounts.services import grant_membership
from practica.core.models import Organisation

from .helpers import (
    FACTORY_PASSWORD,
    column,
    expect_signed_in_home,
    follow,
    open_section,
    sign_in,
    submit,
)

pytestmark = pytest.mark.browser


def test_switch_organisation(
    page: Page, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    """Alice coordinates Alpha Council and Beta University; switching changes home and lists."""
    grant_membership(actor=None, user=alice, organisation=org_b, role=Role.COORDINATOR)
    header = page.locator("header")

    sign_in(page, alice.email, FACTORY_PASSWORD)
    expect_signed_in_home(page, "Coordinator – Alpha Council")
    switcher = header.get_by_label("Change organisation")
    expect(switcher).to_be_visible()
    expect(switcher.locator("option")).to_have_text(
        ["Alpha Council – Coordinator", "Beta University – Coordinator"]
    )
    expect(header.locator(".moj-organisation-nav__title")).to_contain_text("Alpha Council")

    switcher.select_option(label="Beta University – Coordinator")
    submit(page, "Change")
    expect_signed_in_home(page, "Coordinator – Beta University")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You are now working as coordinator in Beta University."
    )
    expect(header.locator(".moj-organisation-nav__title")).to_contain_text("Beta University")
    expect(header.get_by_label("Change organisation")).to_have_value(
        str(alice.memberships.get(organisation=org_b).pk)
    )

    # The choice sticks for the rest of the session, and new records go to Beta University.
    follow(page, page.get_by_role("link", name="Add a team"))
    expect(page.locator("h1")).to_have_text("Add a team to Beta University")
    open_section(page, "People", "Organisations")
    assert column(page, "Organisation") == ["Alpha Council", "Beta University"]


def test_no_switcher_with_one_organisation(page: Page, charlie: User) -> None:
    """Someone in a single organisation is not offered a switcher."""
    sign_in(page, charlie.email, FACTORY_PASSWORD)
    expect_signed_in_home(page, "Coordinator – Beta University")
    expect(page.locator("header").get_by_label("Change organisation")).to_have_count(0)

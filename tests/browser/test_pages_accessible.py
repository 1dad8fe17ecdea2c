"""A coordinator's day, page by page; every page (and every error state) goes through axe."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from practica.accounts.models import Invitation, User
from practica.core.models import Organisation, Person, Team
from practica.demo.data import TEAMS, DemoLogin

from .helpers import (
    FACTORY_PASSWORD,
    caption_count,
    check_page,
    column,
    expect_error_summary,
    expect_signed_in_home,
    follow,
    sign_in,
    submit,
    visit,
)

pytestmark = pytest.mark.browser

MEDWAY = "Medway Council"
COORDINATOR = "coordinator.mc@demo.practica.test"


def test_every_area_in_the_navigation(page: Page, demo: list[DemoLogin]) -> None:
    """Every area in the service navigation of a coordinator, then the areas only the
    partnership manager has, opens as the current page and passes the checks: each item of
    the menu, and each section of a group's sub navigation (areas added later are covered as
    they appear). At 1280 px the menu fits on one row."""
    page.set_viewport_size({"width": 1280, "height": 900})
    visited = {"Home"}  # where signing in lands
    for email in [COORDINATOR, "manager@demo.practica.test"]:
        page.context.clear_cookies()
        sign_in(page, email)
        menu = page.get_by_role("navigation", name="Menu")
        labels = [label.strip() for label in menu.get_by_role("link").all_inner_texts()]
        assert {"Home", "People", "Reports"} <= set(labels), f"{email} sees {labels}"
        tops = {
            round(box["y"])
            for box in (link.bounding_box() for link in menu.get_by_role("link").all())
            if box
        }
        assert len(tops) == 1, f"the menu of {email} wraps onto {len(tops)} rows: {labels}"
        for label in labels:
            link = menu.get_by_role("link", name=label, exact=True)
            follow(page, link)
            expect(link).to_have_attribute("aria-current", "page")
            sections = page.get_by_role("navigation", name="Sections")
            names = [n.strip() for n in sections.get_by_role("link").all_inner_texts()]
            for name in names:
                if f"{label}/{name}" in visited:
                    continue
                visited.add(f"{label}/{name}")
                section = sections.get_by_role("link", name=name, exact=True)
                follow(page, section)
                expect(section).to_have_attribute("aria-current", "page")


def nav(page: Page, label: str) -> None:
    """Go to an area through the service navigation — the menu item, or its group's item and
    then the section in the group's sub navigation — and see it marked as the current page."""
    menu = page.get_by_role("navigation", name="Menu")
    sections = page.get_by_role("navigation", name="Sections")
    if label in GROUP_OF:
        if sections.get_by_role("link", name=label, exact=True).count() == 0:
            follow(page, menu.get_by_role("link", name=GROUP_OF[label], exact=True))
        link = sections.get_by_role("link", name=label, exact=True)
    else:
        link = menu.get_by_role("link", name=label, exact=True)
    if link.get_attribute("aria-current") != "page":
        follow(page, link)
    expect(link).to_have_attribute("aria-current", "page")
    expect(page.locator("h1")).to_have_text(label)


# the group of the menu that holds each section these tests visit
GROUP_OF = {
    "Organisations": "People",
    "Teams": "People",
    "People": "People",
    "Invitations": "Set-up",
    "Imports": "Set-up",
    "Audit": "Set-up",
}


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_coordinator_pages(page: Page, demo: list[DemoLogin]) -> None:
    """Home, organisations, teams (filtered and sorted), a team, people, a person, invitations."""
    sign_in(page, COORDINATOR)
    expect_signed_in_home(page, f"Coordinator – {MEDWAY}")
    expect(page.get_by_role("link", name="View teams")).to_be_visible()

    nav(page, "Organisations")
    assert column(page, "Organisation") == [MEDWAY]
    follow(page, page.get_by_role("link", name=MEDWAY, exact=True))
    expect(page.locator("h1")).to_have_text(MEDWAY)
    expect(page.get_by_role("link", name="Child protection team")).to_be_visible()

    nav(page, "Teams")
    page.get_by_label("Search by team name").fill("team")
    page.get_by_label("Service area").select_option(label="Children's services")
    submit(page, "Apply filters")
    assert query(page)["service_area"] == ["childrens"]
    expect(page.get_by_label("Search by team name")).to_have_value("team")
    assert set(column(page, "Service area")) == {"Children's services"}
    expected = {name for name, area, _ in TEAMS["MC"] if area == "childrens" and "team" in name}
    assert set(column(page, "Team")) == expected
    assert caption_count(page) == len(expected)

    people_header = page.locator("th", has=page.get_by_role("link", name="People", exact=True))
    follow(page, people_header.get_by_role("link"))
    expect(people_header).to_have_attribute("aria-sort", "ascending")
    assert query(page)["search"] == ["team"], "sorting dropped the filters"
    counts = [int(cell) for cell in column(page, "People")]
    assert counts == sorted(counts)
    follow(page, people_header.get_by_role("link"))
    expect(people_header).to_have_attribute("aria-sort", "descending")
    counts = [int(cell) for cell in column(page, "People")]
    assert counts == sorted(counts, reverse=True)

    first_team = column(page, "Team")[0]
    follow(page, page.get_by_role("link", name=first_team, exact=True))
    expect(page.locator("h1")).to_have_text(first_team)
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    expect(page.get_by_role("heading", name="History")).to_be_visible()

    nav(page, "People")
    assert set(column(page, "Organisation")) == {MEDWAY}
    follow(page, page.get_by_role("link", name="Next page"))
    assert query(page)["page"] == ["2"]
    expect(page.get_by_role("link", name="Page 2", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert set(column(page, "Organisation")) == {MEDWAY}
    first_person = column(page, "Name")[0]
    follow(page, page.get_by_role("link", name=first_person, exact=True))
    last, first = first_person.split(", ", 1)
    expect(page.locator("h1")).to_have_text(f"{first} {last}")

    nav(page, "Invitations")
    follow(page, page.get_by_role("link", name="Invite someone"))
    expect(page.locator("h1")).to_have_text(f"Invite someone to {MEDWAY}")
    submit(page)
    expect_error_summary(page)
    page.get_by_label("E-mail address").fill("new.educator@example.test")
    page.get_by_label("Practice educator").check()
    submit(page)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Invitation sent to new.educator@example.test"
    )
    expect(page.locator("h1")).to_have_text("Invitations")
    assert column(page, "E-mail") == ["new.educator@example.test"]
    assert Invitation.objects.unscoped("test").filter(email="new.educator@example.test").exists()


def test_coordinator_forms(page: Page, demo: list[DemoLogin]) -> None:
    """A coordinator's forms; adding a team: empty (error summary), then valid (success)."""
    medway = Organisation.objects.unscoped("test").get(code="MC")
    team = Team.objects.unscoped("test").filter(organisation=medway).order_by("name").first()
    person = (
        Person.objects.unscoped("test")
        .filter(organisation=medway, team__isnull=False)
        .order_by("pk")
        .first()
    )
    assert team is not None
    assert person is not None
    sign_in(page, COORDINATOR)
    for path, heading in [
        (f"/organisations/{medway.pk}/edit/", f"Change {MEDWAY}"),
        (f"/teams/{team.pk}/edit/", f"Change {team.name}"),
        (f"/people/{person.pk}/edit/", f"Change {person.full_name}"),
        ("/people/new/", f"Add a person to {MEDWAY}"),
        ("/locations/new/", f"Add a location to {MEDWAY}"),
    ]:
        visit(page, path)
        expect(page.locator("h1")).to_have_text(heading)
    expect(page.get_by_label("Name", exact=True)).to_have_value("")

    visit(page, "/")
    follow(page, page.get_by_role("link", name="Add a team"))
    expect(page.locator("h1")).to_have_text(f"Add a team to {MEDWAY}")

    submit(page)
    expect_error_summary(page)
    summary_links = page.locator(".govuk-error-summary a")
    expect(summary_links.first).to_have_attribute("href", "#id_name")
    expect(page.locator(".govuk-form-group--error")).to_have_count(2)
    assert Team.objects.unscoped("test").filter(organisation__code="MC").count() == len(TEAMS["MC"])

    page.get_by_label("Name").fill("Youth justice team")
    page.get_by_label("Service area").select_option(label="Children's services")
    page.get_by_label("Location").select_option(label="Chatham")
    submit(page)
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Team Youth justice team added.")
    expect(page.locator("h1")).to_have_text("Youth justice team")
    added = Team.objects.unscoped("test").get(name="Youth justice team")
    assert added.organisation.code == "MC"
    assert re.search(rf"/teams/{added.pk}/$", page.url), page.url


def test_keyboard_only(page: Page, alice: User) -> None:
    """The skip link is the first stop and works; signing in needs no mouse."""
    visit(page, "/accounts/password-reset/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    visit(page, "/accounts/sign-in/")
    page.get_by_label("E-mail address").focus()
    page.keyboard.type(alice.email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(FACTORY_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_focused()
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    check_page(page)
    expect_signed_in_home(page, "Coordinator – Alpha Council")


def test_signed_out_pages(page: Page) -> None:
    """Sign-in, password reset (with its error state) and the 404 page, signed out."""
    visit(page, "/")
    assert urlparse(page.url).path == "/accounts/sign-in/", "home is not behind sign-in"
    expect(page.locator("h1")).to_have_text("Sign in to Practica")

    follow(page, page.get_by_role("link", name="Forgotten your password?"))
    expect(page.locator("h1")).to_have_text("Reset your password")
    submit(page, "Send the link")
    expect_error_summary(page)
    page.get_by_label("E-mail address").fill("someone@example.test")
    submit(page, "Send the link")
    assert urlparse(page.url).path == "/accounts/password-reset/sent/"

    visit(page, "/no-such-page/", status=404)
    expect(page.locator("h1")).to_have_text("Page not found")


def test_the_audit_its_filters_and_the_retention_page(page: Page, demo: list[DemoLogin]) -> None:
    """The partnership manager's audit: their own sign-in is on it; a filter with a date that
    cannot be read shows the error summary; the retention page follows its link."""
    sign_in(page, "manager@demo.practica.test")
    nav(page, "Audit")
    expect(page.get_by_role("cell", name="Signed in").first).to_be_visible()
    visit(page, "/audit/?since=someday")
    expect_error_summary(page, "From: enter a date such as 2026-09-01.")
    visit(page, "/audit/")
    follow(page, page.get_by_role("link", name="How long personal data is kept"))
    expect(page.locator("h1")).to_have_text("How long personal data is kept")
    expect(page.get_by_role("cell", name="Students", exact=True)).to_be_visible()

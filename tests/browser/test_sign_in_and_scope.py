"""Signing in through the real form, and what each organisation's coordinator can see."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from practica.accounts.models import User
from practica.core.models import Person, Team
from practica.demo.data import ORGANISATIONS, TEAMS, DemoLogin

from .helpers import (
    caption_count,
    column,
    expect_error_summary,
    expect_signed_in_home,
    follow,
    rows_on_every_page,
    sign_in,
    submit,
    visit,
)

pytestmark = pytest.mark.browser

NAMES = {code: name for code, name, _kind in ORGANISATIONS}
LOCAL_AUTHORITIES = {code for code, _name, kind in ORGANISATIONS if kind == "local_authority"}


def test_each_coordinator_sees_only_own_organisation(page: Page, demo: list[DemoLogin]) -> None:
    """For each demo organisation in turn, its coordinator signs in, reads the lists, signs out."""
    codes = list(NAMES)
    for index, code in enumerate(codes):
        page.context.clear_cookies()
        check_coordinator_scope(page, code, other=codes[(index + 1) % len(codes)])
        follow(page, page.get_by_role("button", name="Sign out"))
        expect(page.locator("h1")).to_have_text("Sign in to Practica")


def check_coordinator_scope(page: Page, code: str, *, other: str) -> None:
    """Teams and people lists show the coordinator's organisation only; others' teams are 404."""
    own = NAMES[code]
    sign_in(page, f"coordinator.{code.lower()}@demo.practica.test")
    expect_signed_in_home(page, f"Coordinator – {own}")

    visit(page, "/teams/")
    teams = rows_on_every_page(page, "Team", "Organisation")
    assert teams, f"the coordinator of {own} sees no teams"
    assert {organisation for _team, organisation in teams} == {own}, f"as coordinator of {own}"
    shown_teams = {team for team, _organisation in teams}
    assert shown_teams == {name for name, _area, _place in TEAMS[code]}, f"as coordinator of {own}"
    if code in LOCAL_AUTHORITIES:
        assert len(shown_teams) >= 1

    visit(page, "/people/")
    # The caption counts the whole list, so it can only equal the organisation's own count if
    # nobody else's people are in it; the rows shown must all be the organisation's too.
    assert caption_count(page) == Person.objects.unscoped("test").filter(organisation__code=code).count(), own
    people = column(page, "Organisation")
    assert people, f"the coordinator of {own} sees no people"
    assert set(people) == {own}, f"as coordinator of {own}"

    other_team = Team.objects.unscoped("test").filter(organisation__code=other).order_by("pk").first()
    assert other_team is not None
    visit(page, f"/teams/{other_team.pk}/", status=404)
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.get_by_text(other_team.name)).to_have_count(0)


def test_wrong_password_shows_error_summary(page: Page, alice: User) -> None:
    """A wrong password keeps the user on the sign-in page with the GOV.UK error summary."""
    visit(page, "/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(alice.email)
    page.get_by_label("Password", exact=True).fill("not-the-password")
    submit(page, "Sign in")
    expect_error_summary(page, "Please enter a correct")
    expect(page.locator("h1")).to_have_text("Sign in to Practica")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_label("E-mail address")).to_have_value(alice.email)


def test_partnership_manager_sees_every_organisation(page: Page, demo: list[DemoLogin]) -> None:
    """The partnership manager reads teams across the whole partnership."""
    sign_in(page, "manager@demo.practica.test")
    expect_signed_in_home(page, f"Partnership manager – {NAMES['MC']}")
    visit(page, "/teams/")
    organisations = {organisation for (organisation,) in rows_on_every_page(page, "Organisation")}
    assert len(organisations) > 1
    assert organisations == set(NAMES.values())
    assert caption_count(page) == Team.objects.unscoped("test").count()

"""Two-factor authentication in Chromium, with PRACTICA_MFA_REQUIRED on as in production: a
coordinator sets up an authenticator app, keeps the recovery codes, signs out, signs in again
and enters a code; a wrong code shows the error summary. Every page goes through axe."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from practica.accounts.models import User
from practica.demo.data import DemoLogin
from practica.organisations.tests.factories import next_code

from .helpers import expect_error_summary, expect_signed_in_home, follow, sign_in, submit, visit

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.mc@demo.practica.test"


def test_a_coordinator_sets_up_two_factor_and_signs_in_with_it(
    page: Page, demo: list[DemoLogin], settings: Settings
) -> None:
    settings.PRACTICA_MFA_REQUIRED = True  # the live server runs in this process and sees it
    user = User.objects.get(email=COORDINATOR)

    sign_in(page, COORDINATOR)  # the password, then the set-up page instead of the home page
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    svg = page.locator("svg.practica-qr-code")
    expect(svg).to_be_visible()
    assert svg.get_attribute("style") is None
    expect(page.locator("#secret-key")).to_have_text(re.compile(r"^([A-Z2-7]{4} )+[A-Z2-7]{4}$"))
    device = TOTPDevice.objects.get(user=user)

    page.get_by_label("Code from your authenticator app").fill("12345")
    submit(page, "Continue")
    expect_error_summary(page, "The code is not right")

    page.wait_for_timeout(1100)  # django-otp waits 1 s after a wrong code before checking again
    page.get_by_label("Code from your authenticator app").fill(next_code(device))
    submit(page, "Continue")
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    expect(page.get_by_role("link", name="Download the codes as a text file")).to_have_attribute(
        "download", "practica-recovery-codes.txt"
    )
    follow(page, page.get_by_role("link", name="Continue"))
    expect_signed_in_home(page, "Coordinator – Medway Council")

    visit(page, "/accounts/your-account/")
    expect(page.locator("#two-factor + p .govuk-tag")).to_have_text("On")
    expect(page.get_by_text("You have 10 recovery codes left.")).to_be_visible()

    follow(page, page.get_by_role("button", name="Sign out"))
    sign_in(page, COORDINATOR)
    expect(page.locator("h1")).to_have_text("Enter your code")
    page.get_by_label("Code", exact=True).fill(next_code(device))
    submit(page, "Continue")
    expect_signed_in_home(page, "Coordinator – Medway Council")


def test_a_practice_educator_turns_two_factor_on_gets_new_codes_and_turns_it_off(
    page: Page, demo: list[DemoLogin], settings: Settings
) -> None:
    settings.PRACTICA_MFA_REQUIRED = True  # not required of practice educators: their choice
    practice_educator = "pe@demo.practica.test"
    sign_in(page, practice_educator)
    visit(page, "/accounts/your-account/")
    follow(page, page.get_by_role("link", name="Set up two-factor authentication"))
    device = TOTPDevice.objects.get(user__email=practice_educator)
    page.get_by_label("Code from your authenticator app").fill(next_code(device))
    submit(page, "Continue")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    first_codes = page.locator("#recovery-codes li").all_inner_texts()

    visit(page, "/accounts/your-account/")
    follow(page, page.get_by_role("link", name="Get new recovery codes"))
    submit(page, "Get new recovery codes")
    expect_error_summary(page, "Enter the code from your authenticator app or a recovery code")
    page.wait_for_timeout(1100)  # django-otp's wait after a failed try
    page.get_by_label("Code", exact=True).fill(next_code(device))
    submit(page, "Get new recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert page.locator("#recovery-codes li").all_inner_texts() != first_codes

    visit(page, "/accounts/your-account/")
    follow(page, page.get_by_role("link", name="Turn off two-factor authentication"))
    page.wait_for_timeout(1100)
    page.get_by_label("Code", exact=True).fill(next_code(device))
    submit(page, "Turn off two-factor authentication")
    expect(page.get_by_text("Two-factor authentication is off.")).to_be_visible()
    assert not TOTPDevice.objects.filter(user__email=practice_educator).exists()

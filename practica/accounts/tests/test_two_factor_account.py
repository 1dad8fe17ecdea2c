"""The account page's two-factor section: its status, new recovery codes on a current code,
and turning it off on a current code when the role does not require it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from practica.accounts.models import User
from practica.accounts.tests.conftest import SignIn
from practica.organisations.tests.factories import next_code, with_two_factor

ACCOUNT = reverse("accounts:account")
NEW_CODES = reverse("accounts:two-factor-recovery-codes")
TURN_OFF = reverse("accounts:two-factor-turn-off")
VERIFY = reverse("accounts:two-factor-verify")


def _verified(signed_in: SignIn, user: User, device: TOTPDevice) -> Client:
    client = signed_in(user)
    client.post(VERIFY, {"code": next_code(device)})
    return client


def test_the_page_offers_to_set_it_up_when_it_is_off(client: Client, bob: User) -> None:
    client.force_login(bob)
    page = client.get(ACCOUNT).content.decode()
    assert "Two-factor authentication" in page
    assert "Off" in page
    assert reverse("accounts:two-factor-setup") in page


def test_the_page_shows_it_on_with_the_recovery_codes_left(signed_in: SignIn, bob: User) -> None:
    device, _codes = with_two_factor(bob)
    page = _verified(signed_in, bob, device).get(ACCOUNT).content.decode()
    assert "On" in page
    assert "You have 10 recovery codes left." in page
    assert TURN_OFF in page


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(
    signed_in: SignIn, bob: User
) -> None:
    device, old = with_two_factor(bob)
    client = _verified(signed_in, bob, device)
    wrong = f"{(int(next_code(device)) + 1) % 1_000_000:06d}"  # the app's, so the
    refused = client.post(NEW_CODES, {"code": wrong})  # recovery codes need not wait after it
    assert "The code is not right" in refused.content.decode()
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)
    response = client.post(NEW_CODES, {"code": old[0]})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    bob.refresh_from_db()
    assert bob.history.first().history_change_reason == "New recovery codes issued"


def test_someone_whose_role_does_not_require_it_may_turn_it_off(
    signed_in: SignIn, bob: User
) -> None:
    device, codes = with_two_factor(bob)
    client = _verified(signed_in, bob, device)
    response = client.post(TURN_OFF, {"code": codes[0]})
    assert response["Location"] == ACCOUNT
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert not StaticToken.objects.exists()


@pytest.mark.usefixtures("mfa_required")
def test_a_coordinator_may_not_turn_it_off(signed_in: SignIn, alice: User) -> None:
    device, codes = with_two_factor(alice)
    client = _verified(signed_in, alice, device)
    assert TURN_OFF not in client.get(ACCOUNT).content.decode()
    assert client.post(TURN_OFF, {"code": codes[0]}).status_code == 403
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()

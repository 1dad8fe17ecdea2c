"""Setting up an authenticator app: QR code and key, a right code confirms it and shows the
recovery codes once, a wrong one is refused, and the user goes on where they were going."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from practica.accounts import services
from practica.accounts.models import Role, User
from practica.accounts.tests.conftest import SignIn
from practica.core.models import Organisation
from practica.organisations.tests.factories import next_code

SETUP = reverse("accounts:two-factor-setup")

pytestmark = pytest.mark.usefixtures("mfa_required")


def _device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user)


def test_the_page_shows_a_qr_code_without_inline_style_and_the_key_in_groups(
    signed_in: SignIn, alice: User
) -> None:
    response = signed_in(alice).get(SETUP)
    page = response.content.decode()
    svg = re.search(r"<svg .*?</svg>", page, re.DOTALL)
    assert svg
    assert "style" not in svg.group(0)
    assert "<title>QR code for your authenticator app</title>" in svg.group(0)
    key = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page)
    assert key
    assert all(len(group) == 4 for group in key.group(1).split())
    assert response["Cache-Control"] == "no-store"


def test_opening_the_page_again_keeps_the_same_key(signed_in: SignIn, alice: User) -> None:
    client = signed_in(alice)
    client.get(SETUP)
    first = _device(alice).key
    client.get(SETUP)
    assert _device(alice).key == first
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_a_right_code_confirms_the_device_and_shows_ten_recovery_codes_once(
    signed_in: SignIn, alice: User
) -> None:
    client = signed_in(alice)
    client.get(f"{SETUP}?next=/educators/")
    response = client.post(SETUP, {"code": next_code(_device(alice)), "next": "/educators/"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10
    assert set(codes) == set(
        StaticToken.objects.filter(device__user=alice).values_list("token", flat=True)
    )
    assert 'href="/educators/"' in response.content.decode()
    assert _device(alice).confirmed
    assert client.get("/educators/").status_code == 200  # verified for this session
    alice.refresh_from_db()
    assert alice.two_factor_since is not None
    assert alice.history.first().history_change_reason == "Two-factor authentication set up"


def test_a_wrong_code_is_refused_and_nothing_is_confirmed(signed_in: SignIn, alice: User) -> None:
    client = signed_in(alice)
    client.get(SETUP)
    right = next_code(_device(alice))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert "waits a little longer" in response.content.decode()
    assert not _device(alice).confirmed
    assert client.get("/").status_code == 302


def test_an_empty_code_asks_for_one(signed_in: SignIn, alice: User) -> None:
    client = signed_in(alice)
    client.get(SETUP)
    response = client.post(SETUP, {"code": ""})
    assert "Enter the 6-digit code from your authenticator app" in response.content.decode()


def test_another_sites_next_address_is_not_followed(signed_in: SignIn, alice: User) -> None:
    client = signed_in(alice)
    client.get(SETUP)
    response = client.post(
        SETUP, {"code": next_code(_device(alice)), "next": "https://evil.example/"}
    )
    assert "evil.example" not in response.content.decode()
    assert 'href="/"' in response.content.decode()


def test_someone_already_set_up_is_sent_to_enter_a_code(signed_in: SignIn, alice: User) -> None:
    device = services.start_totp_setup(user=alice)
    services.confirm_totp_device(user=alice, code=next_code(device))
    response = signed_in(alice).get(SETUP)
    assert response["Location"].startswith(reverse("accounts:two-factor-verify"))


def test_accepting_an_invitation_to_a_coordinator_role_leads_into_set_up(
    client: Client, org_a: Organisation, alice: User
) -> None:
    _invitation, token = services.invite(
        actor=alice, organisation=org_a, email="new@example.test", role=Role.COORDINATOR, send=False
    )
    response = client.post(
        reverse("accounts:invitation-accept", args=[token]),
        {"first_name": "New", "last_name": "Coordinator", "password": "a long new passphrase 7"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{SETUP}?next=/"
    assert "Set up two-factor authentication" in response.content.decode()

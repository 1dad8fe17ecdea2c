"""Failed sign-ins from one client address are limited across user names (issue 15): guesses
spread over many accounts are slowed; right passwords do not count, so an office behind one
address is not locked out by its own sign-ins; the 429 page says what to do."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from practica.accounts.models import User
from practica.accounts.tests.conftest import PASSWORD

SIGN_IN = reverse("accounts:login")
OFFICE = "192.0.2.50"


@pytest.fixture
def limit(settings: Settings) -> None:
    settings.SIGN_IN_FAILURES_PER_CLIENT = 5


@pytest.mark.usefixtures("limit")
def test_wrong_passwords_for_many_accounts_from_one_address_are_stopped(
    client: Client, alice: User
) -> None:
    for n in range(5):
        response = client.post(
            SIGN_IN,
            {"username": f"person{n}@example.test", "password": "Winter2026!"},
            REMOTE_ADDR=OFFICE,
        )
        assert response.status_code == 200  # the form again, with its error
    response = client.post(
        SIGN_IN, {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "Try again in 15 minutes" in page
    assert reverse("accounts:password-reset") in page
    assert response["Retry-After"] == "900"
    # another address signs in as always
    response = client.post(
        SIGN_IN, {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302


@pytest.mark.usefixtures("limit")
def test_right_passwords_from_a_shared_address_do_not_count(
    client: Client, alice: User, bob: User
) -> None:
    for user in [alice, bob] * 4:
        response = client.post(
            SIGN_IN, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR=OFFICE
        )
        assert response.status_code == 302
        client.post(reverse("accounts:logout"))
    for _ in range(4):  # a few typos still leave room
        client.post(SIGN_IN, {"username": bob.email, "password": "typo"}, REMOTE_ADDR=OFFICE)
    response = client.post(
        SIGN_IN, {"username": alice.email, "password": PASSWORD}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 302

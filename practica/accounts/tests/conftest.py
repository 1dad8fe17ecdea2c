"""Fixtures of the two-factor tests: the setting on, and signing in with a password."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from practica.accounts.models import User

PASSWORD = "correct horse battery staple"  # practica.organisations.tests.factories.UserFactory's

type SignIn = Callable[[User], Client]


@pytest.fixture
def mfa_required(settings: Settings) -> None:
    """PRACTICA_MFA_REQUIRED as in production (the test settings turn it off)."""
    settings.PRACTICA_MFA_REQUIRED = True


@pytest.fixture
def signed_in(client: Client) -> SignIn:
    """``signed_in(user)``: the test client after the sign-in form took the user's password
    (and nothing more: the second factor is still to come)."""

    def sign_in(user: User) -> Client:
        response = client.post(
            reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302, "the password was refused"
        return client

    return sign_in

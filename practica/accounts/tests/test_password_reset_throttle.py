"""Password reset is limited per e-mail address and per client address (issue 15: 25 reset
e-mails in 2 s for one address before); over a limit a 429 page says what to do, and the
answer is the same whether or not the address has an account."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from practica.accounts.models import User

RESET = reverse("accounts:password-reset")


@pytest.fixture
def limits(settings: Settings) -> None:
    settings.PASSWORD_RESETS_PER_EMAIL = 3
    settings.PASSWORD_RESETS_PER_CLIENT = 5


@pytest.mark.usefixtures("limits")
def test_reset_e_mails_to_one_address_stop_at_the_limit(client: Client, alice: User) -> None:
    for n, address in enumerate(
        ["alice@example.test", "ALICE@example.test", " alice@example.test"]
    ):
        response = client.post(RESET, {"email": address}, REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    response = client.post(RESET, {"email": alice.email}, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 429
    assert len(mail.outbox) == 3
    page = response.content.decode()
    assert "Too many password reset requests" in page
    assert "use the link in the latest one" in page
    assert "Check your spam or junk folder" in page
    assert "Try again in 60 minutes" in page
    assert response["Retry-After"] == "3600"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.usefixtures("limits")
def test_the_limit_answers_alike_for_an_address_without_an_account(
    client: Client, db: None
) -> None:
    statuses = [client.post(RESET, {"email": "nobody@example.test"}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert mail.outbox == []


@pytest.mark.usefixtures("limits")
def test_one_client_asking_for_many_addresses_is_stopped(client: Client, alice: User) -> None:
    for n in range(5):
        response = client.post(RESET, {"email": f"person{n}@example.test"}, REMOTE_ADDR="192.0.2.9")
        assert response.status_code == 302
    response = client.post(RESET, {"email": alice.email}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    assert "from your network" in response.content.decode()
    assert mail.outbox == []
    # another client is not held back by this one
    assert client.post(RESET, {"email": alice.email}, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert len(mail.outbox) == 1

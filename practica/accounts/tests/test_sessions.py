from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client, override_settings
from django.urls import reverse

from practica.accounts import services
from practica.accounts.models import Membership, User
from practica.organisations.tests.factories import UserFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

PASSWORD = "correct horse battery staple"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> _MonkeyPatchedWSGIResponse:
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR="10.0.0.1"
    )


def test_sign_in_with_email_rotates_the_session_key(client: Client, alice: User) -> None:
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    response = sign_in(client, alice.email.upper())
    assert response.status_code == 302
    assert client.session.session_key != before


def test_a_wrong_password_shows_the_error_summary(client: Client, alice: User) -> None:
    response = sign_in(client, alice.email, "wrong")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_deactivating_a_user_takes_effect_on_the_next_request(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(reverse("organisations:team-list")).status_code == 200
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert client.get(reverse("organisations:team-list")).status_code == 302


def test_removing_a_role_takes_effect_on_the_next_request(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(reverse("organisations:team-create")).status_code == 200
    services.revoke_membership(
        actor=None, membership=Membership.objects.unscoped("test").get(user=alice)
    )
    assert client.get(reverse("organisations:team-create")).status_code == 403


@override_settings(PRACTICA_SESSION_ABSOLUTE_SECONDS=-1)
def test_a_session_past_its_absolute_lifetime_is_signed_out(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(reverse("organisations:team-list")).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_that_user_from_that_address_only(
    client: Client, alice: User, charlie: User
) -> None:
    for _ in range(3):
        sign_in(client, alice.email, "wrong")
    assert sign_in(client, alice.email).status_code == 429
    # another user from the same address is not locked out
    other = Client()
    assert sign_in(other, charlie.email).status_code == 302


def test_a_user_without_memberships_sees_what_to_do(client: Client, db: None) -> None:
    client.force_login(UserFactory.create())
    page = client.get(reverse("home")).content.decode()
    assert "Ask your organisation&#x27;s coordinator to invite you" in page

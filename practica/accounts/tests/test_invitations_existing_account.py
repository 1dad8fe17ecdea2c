"""An invitation to an e-mail address that already has an account: the link is no credential.
Its owner signs in as always (password, then second factor) and accepts; the link alone never
creates a session (issue 15, "Accounts and token links")."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practica.accounts import services
from practica.accounts.models import Invitation, Membership, User
from practica.accounts.tests.conftest import PASSWORD, SignIn
from practica.core.models import Organisation
from practica.organisations.tests.factories import next_code, with_two_factor


@pytest.fixture
def invitation_url(charlie: User, org_b: Organisation, alice: User) -> str:
    """Beta University's coordinator invites Alice, who has an account, as an academic."""
    _invitation, token = services.invite(
        actor=charlie, organisation=org_b, email=alice.email, role="academic", send=False
    )
    return reverse("accounts:invitation-accept", args=[token])


def _academic_in_beta(user: User, org_b: Organisation) -> bool:
    memberships = Membership.objects.unscoped("test")
    return bool(memberships.filter(user=user, organisation=org_b, role="academic").exists())


def _accepted() -> bool:
    return bool(Invitation.objects.unscoped("test").get().accepted_at is not None)


def test_the_link_alone_signs_no_one_in_to_an_existing_account(
    client: Client, invitation_url: str, alice: User, org_b: Organisation
) -> None:
    page = client.get(invitation_url)
    assert page.status_code == 200
    assert "Sign in to join Beta University" in page.content.decode()
    assert page["Cache-Control"] == "no-store"

    client.post(
        invitation_url,
        {"first_name": "Eve", "last_name": "Mallory", "password": "any passphrase x"},
    )
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # to the sign-in page
    assert not _academic_in_beta(alice, org_b)
    assert not _accepted()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_the_sign_in_link_leads_back_to_the_invitation(
    client: Client, invitation_url: str, alice: User
) -> None:
    page = client.get(invitation_url).content.decode()
    sign_in = f"{reverse('accounts:login')}?next={quote(invitation_url)}"
    assert f'href="{sign_in}"' in page
    response = client.post(
        sign_in, {"username": alice.email, "password": PASSWORD, "next": invitation_url}
    )
    assert response.status_code == 302
    assert response["Location"] == invitation_url


def test_the_owner_accepts_after_signing_in(
    signed_in: SignIn, invitation_url: str, alice: User, org_b: Organisation
) -> None:
    client = signed_in(alice)
    page = client.get(invitation_url)
    assert page.status_code == 200
    assert "Accept invitation" in page.content.decode()
    response = client.post(invitation_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _academic_in_beta(alice, org_b)
    assert _accepted()
    assert client.get(invitation_url).status_code == 404  # single use


def test_the_owner_gives_their_second_factor_before_accepting(
    signed_in: SignIn, invitation_url: str, alice: User, org_b: Organisation
) -> None:
    device, _codes = with_two_factor(alice)
    client = signed_in(alice)  # the password only
    verify = f"{reverse('accounts:two-factor-verify')}?next={quote(invitation_url)}"
    for response in (client.get(invitation_url), client.post(invitation_url)):
        assert response.status_code == 302
        assert response["Location"] == verify
    assert not _academic_in_beta(alice, org_b)

    response = client.post(verify, {"code": next_code(device), "next": invitation_url})
    assert response["Location"] == invitation_url
    assert client.post(invitation_url).status_code == 302
    assert _academic_in_beta(alice, org_b)


def test_someone_signed_in_to_another_account_cannot_accept(
    signed_in: SignIn, invitation_url: str, alice: User, bob: User, org_b: Organisation
) -> None:
    client = signed_in(bob)
    page = client.get(invitation_url).content.decode()
    assert f"This invitation is for {alice.email}, and you are signed in as {bob.email}" in page
    assert "Accept invitation" not in page
    response = client.post(invitation_url)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not _academic_in_beta(bob, org_b)
    assert not _academic_in_beta(alice, org_b)
    assert not _accepted()


def test_the_service_refuses_to_accept_for_an_existing_account_without_sign_in(
    invitation_url: str, alice: User, org_b: Organisation
) -> None:
    invitation = Invitation.objects.unscoped("test").get()
    with pytest.raises(ValidationError, match="already has a Practica account"):
        services.accept_invitation(
            invitation=invitation, first_name="", last_name="", password="not asked for"
        )
    assert not _academic_in_beta(alice, org_b)


def test_an_account_an_import_made_gets_its_first_password_from_the_link(
    client: Client, charlie: User, org_b: Organisation
) -> None:
    imported = services.create_user(
        actor=None, email="dee@example.test", first_name="Dee", last_name="Ade", password=None
    )
    _invitation, token = services.invite(
        actor=charlie, organisation=org_b, email=imported.email, role="academic", send=False
    )
    response = client.post(
        reverse("accounts:invitation-accept", args=[token]),
        {"first_name": "Dee", "last_name": "Ade", "password": "a long enough passphrase"},
    )
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.check_password("a long enough passphrase")
    assert _academic_in_beta(imported, org_b)

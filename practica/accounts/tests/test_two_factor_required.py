"""Who is asked for a second factor, and where the middleware sends them (SECURITY.md §5)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from practica.accounts.middleware import BEFORE_SECOND_FACTOR
from practica.accounts.models import Role, User
from practica.accounts.permissions import MFA_REQUIRED_ROLES, two_factor_required
from practica.accounts.tests.conftest import SignIn
from practica.api.services import create_api_token
from practica.core.models import Organisation
from practica.organisations.tests.factories import UserFactory, member, with_two_factor
from tests.access_tables import PUBLIC

SETUP = reverse("accounts:two-factor-setup")
VERIFY = reverse("accounts:two-factor-verify")
PAGES = ["/", "/organisations/", "/educators/", "/accounts/your-account/", "/admin/"]


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("path", PAGES)
def test_a_coordinator_without_a_device_is_sent_to_set_up_from_every_page(
    signed_in: SignIn, alice: User, path: str
) -> None:
    response = signed_in(alice).get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={path}"


@pytest.mark.usefixtures("mfa_required")
@pytest.mark.parametrize("role", sorted(MFA_REQUIRED_ROLES))
def test_every_role_that_sees_other_peoples_records_must_use_it(
    org_a: Organisation, role: Role
) -> None:
    assert two_factor_required(member(role, org_a))


@pytest.mark.usefixtures("mfa_required")
def test_a_superuser_must_use_it(db: None) -> None:
    assert two_factor_required(UserFactory.create(is_superuser=True, is_staff=True))


@pytest.mark.usefixtures("mfa_required")
def test_a_practice_educator_who_has_not_set_it_up_is_not_asked(
    signed_in: SignIn, bob: User
) -> None:
    assert signed_in(bob).get("/").status_code == 200


def test_nobody_is_asked_to_set_it_up_while_the_setting_is_off(
    signed_in: SignIn, alice: User
) -> None:
    assert signed_in(alice).get("/").status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_a_practice_educator_who_set_it_up_is_asked_for_a_code(
    signed_in: SignIn, bob: User
) -> None:
    with_two_factor(bob)
    response = signed_in(bob).get("/educators/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=/educators/"


def test_someone_who_set_it_up_is_asked_for_a_code_even_with_the_setting_off(
    signed_in: SignIn, alice: User
) -> None:
    with_two_factor(alice)
    response = signed_in(alice).get("/")
    assert response["Location"].startswith(VERIFY)


@pytest.mark.usefixtures("mfa_required")
def test_a_session_api_request_before_the_code_is_refused_with_403_json(
    signed_in: SignIn, alice: User
) -> None:
    response = signed_in(alice).get(reverse("api:organisation-list"))
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


@pytest.mark.usefixtures("mfa_required")
def test_an_api_token_is_a_credential_of_its_own(alice: User) -> None:
    _token, raw = create_api_token(actor=None, user=alice, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get(reverse("api:organisation-list")).status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_signing_out_works_before_the_code(signed_in: SignIn, alice: User) -> None:
    client = signed_in(alice)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("mfa_required")
def test_token_and_password_reset_pages_stay_reachable_before_the_code(
    signed_in: SignIn, alice: User
) -> None:
    client = signed_in(alice)
    for url in [
        reverse("accounts:invitation-accept", args=["not-a-real-token"]),
        reverse("educators:line-manager-support", args=["not-a-real-token"]),
        reverse("accounts:password-reset"),
        reverse("accounts:password-reset-confirm", args=["MQ", "set-password"]),
    ]:
        response = client.get(url)
        assert response.status_code in {200, 404}, url  # the page itself, not a redirect
        assert not response.get("Location", "").startswith(SETUP), url


def test_every_public_route_is_reachable_before_the_second_factor() -> None:
    assert PUBLIC <= BEFORE_SECOND_FACTOR

"""Token and session authentication: only a token's hash is stored; a bad, expired or revoked
token, or an inactive user's, is 401; a session works as on the pages (with CSRF)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from practica.accounts.models import User
from practica.api.models import ApiToken
from practica.api.services import create_api_token, revoke_api_token
from practica.core.models import Organisation

LIST = reverse("api:organisation-list")


def with_token(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    return client


def test_a_token_acts_as_its_user(alice: User, org_a: Organisation) -> None:
    _token, raw = create_api_token(actor=alice, user=alice, name="BI export")

    response = with_token(raw).get(LIST)

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["AAA"]


def test_only_the_tokens_hash_is_stored(alice: User) -> None:
    token, raw = create_api_token(actor=alice, user=alice, name="BI export")

    assert raw.startswith("pat_")
    assert len(raw) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(value) for value in stored.values()}
    assert token.prefix == raw[:12]
    with connection.cursor() as cursor:
        cursor.execute("SELECT token_hash FROM api_apitoken")
        assert cursor.fetchall() == [(token.token_hash,)]


@pytest.mark.parametrize("header", ["Token pat_not-a-real-token", "Token", "Bearer x", "Token a b"])
def test_a_bad_token_is_401(db: None, header: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get(LIST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_expired_token_is_401(alice: User) -> None:
    token, raw = create_api_token(actor=alice, user=alice, name="old")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = with_token(raw).get(LIST)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid, expired or revoked token."}


def test_a_revoked_token_is_401_on_its_next_request(alice: User) -> None:
    token, raw = create_api_token(actor=alice, user=alice, name="BI export")
    client = with_token(raw)
    assert client.get(LIST).status_code == 200

    revoke_api_token(actor=alice, token=token)

    assert client.get(LIST).status_code == 401


def test_an_inactive_users_token_is_401(alice: User) -> None:
    _token, raw = create_api_token(actor=None, user=alice, name="BI export")
    User.objects.filter(pk=alice.pk).update(is_active=False)

    assert with_token(raw).get(LIST).status_code == 401


def test_the_last_use_is_recorded(alice: User) -> None:
    token, raw = create_api_token(actor=None, user=alice, name="BI export")

    with_token(raw).get(LIST)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_lives_at_most_a_year(alice: User) -> None:
    with pytest.raises(ValidationError, match="1 to 365 days"):
        create_api_token(actor=None, user=alice, name="forever", days=366)
    assert not ApiToken.objects.exists()


def test_a_signed_in_session_works_and_its_writes_need_the_csrf_token(
    alice: User, org_a: Organisation
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("api:organisation-detail", args=[org_a.pk])

    assert client.get(LIST).status_code == 200
    response = client.patch(url, {"name": "Renamed"}, content_type="application/json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Council"


def test_the_command_prints_a_working_token_once_and_revokes_it(
    alice: User, org_a: Organisation
) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", alice.email, "--name", "BI export", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert with_token(raw).get(LIST).status_code == 200
    assert "shown only now" in err.getvalue()

    listing = io.StringIO()
    call_command("api_token", "list", alice.email, stdout=listing)
    assert raw[:12] in listing.getvalue()
    assert raw not in listing.getvalue()

    call_command("api_token", "revoke", raw[:12], stdout=io.StringIO())
    assert with_token(raw).get(LIST).status_code == 401


def test_the_command_refuses_an_unknown_user(db: None) -> None:
    with pytest.raises(CommandError, match=r"no user with the e-mail address nobody@example\.test"):
        call_command("api_token", "create", "nobody@example.test", "--name", "x")

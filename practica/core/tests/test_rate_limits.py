"""Token links are rate-limited (SECURITY.md §6; issue 15): wrong tokens per token prefix and
client address, and per client address; over a limit a page says what to do and when to try
again, with status 429. Right tokens do not count, so wrong ones never lock out the valid
links of others behind the same address until scanning reaches the address's own limit."""

from __future__ import annotations

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from practica.accounts import services as account_services
from practica.accounts.models import User
from practica.core.apps import create_cache_table
from practica.core.models import Organisation

TOKEN_PAGES = [
    ("educators:line-manager-support", "x" * 43),
    ("accounts:invitation-accept", "y" * 43),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("route_name", "token"), TOKEN_PAGES)
@override_settings(TOKEN_LINK_ATTEMPTS=3, TOKEN_LINK_WINDOW_MINUTES=10)
def test_guessing_tokens_from_one_address_is_stopped(
    client: Client, route_name: str, token: str
) -> None:
    for attempt in range(3):
        url = reverse(route_name, args=[f"{token[:-2]}{attempt:02d}"])
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 404  # unknown token
    response = client.post(reverse(route_name, args=[token]), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page
    assert "Try again in 10 minutes" in page
    assert "check you copied all of it" in page
    assert "ask the person who sent it for a new one" in page
    assert response["Retry-After"] == "600"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    # another address is not locked out by this one
    assert (
        client.get(reverse(route_name, args=[token]), REMOTE_ADDR="198.51.100.9").status_code == 404
    )


@pytest.mark.django_db
def test_the_default_limit_is_twenty_a_ten_minutes(client: Client) -> None:
    url = reverse("educators:line-manager-support", args=["z" * 43])
    statuses = [client.get(url).status_code for _ in range(21)]
    assert statuses == [404] * 20 + [429]


@pytest.mark.django_db
def test_migrate_makes_the_database_caches_table() -> None:
    """Settings outside tests keep the cache in the database; `practica migrate` makes it."""
    table = "practica_cache_made_by_migrate"
    backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    with override_settings(CACHES={"default": backend}):
        create_cache_table(using="default")
        assert table in connection.introspection.table_names()
        cache = DatabaseCache(table, {})
        cache.set("k", 1)
        assert cache.get("k") == 1


def _invitation_link(alice: User, org_a: Organisation) -> str:
    _invitation, token = account_services.invite(
        actor=alice, organisation=org_a, email="new@example.test", role="student", send=False
    )
    return reverse("accounts:invitation-accept", args=[token])


@override_settings(TOKEN_LINK_ATTEMPTS=3, TOKEN_LINK_ATTEMPTS_PER_ADDRESS=10)
def test_one_mistyped_link_does_not_block_other_links_from_the_same_address(
    client: Client, alice: User, org_a: Organisation
) -> None:
    mistyped = reverse("accounts:invitation-accept", args=["M1styped" + "q" * 35])
    statuses = [client.get(mistyped, REMOTE_ADDR="192.0.2.7").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    valid = _invitation_link(alice, org_a)
    assert client.get(valid, REMOTE_ADDR="192.0.2.7").status_code == 200


@override_settings(TOKEN_LINK_ATTEMPTS=3, TOKEN_LINK_ATTEMPTS_PER_ADDRESS=5)
def test_scanning_many_tokens_from_one_address_is_stopped(
    client: Client, alice: User, org_a: Organisation
) -> None:
    guesses = [
        reverse("accounts:invitation-accept", args=[f"guess{n:03d}" + "g" * 35]) for n in range(5)
    ]
    assert [client.get(url, REMOTE_ADDR="192.0.2.7").status_code for url in guesses] == [404] * 5
    valid = _invitation_link(alice, org_a)
    assert client.get(valid, REMOTE_ADDR="192.0.2.7").status_code == 429
    assert client.get(valid, REMOTE_ADDR="198.51.100.9").status_code == 200


@override_settings(TOKEN_LINK_ATTEMPTS=3, TOKEN_LINK_ATTEMPTS_PER_ADDRESS=3)
def test_opening_a_valid_link_again_and_again_is_not_counted(
    client: Client, alice: User, org_a: Organisation
) -> None:
    valid = _invitation_link(alice, org_a)
    assert {client.get(valid, REMOTE_ADDR="192.0.2.7").status_code for _ in range(10)} == {200}
    wrong = reverse("accounts:invitation-accept", args=["w" * 43])
    assert client.get(wrong, REMOTE_ADDR="192.0.2.7").status_code == 404

"""Token links are rate-limited per client address (SECURITY.md §6): over the limit a page
says when to try again, with status 429, and other addresses are unaffected."""

from __future__ import annotations

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from practica.core.apps import create_cache_table

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

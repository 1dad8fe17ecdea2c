"""The API throttles per user and per anonymous address (generous rates in settings); over
the rate it answers 429 and says when to retry."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from practica.accounts.models import User
from practica.api.tests.conftest import ClientFor


def test_the_rates_are_set_and_generous() -> None:
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"anon": "120/minute", "user": "1200/minute"}


def test_a_user_over_the_rate_gets_429(
    api_as: ClientFor, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(UserRateThrottle, "rate", "2/minute", raising=False)
    client = api_as(alice)
    url = reverse("api:team-list")
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_anonymous_requests_are_refused_before_any_throttle(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every endpoint needs sign-in, so an anonymous client hears 401 (and the anonymous rate
    guards only public endpoints, of which there are none today)."""
    monkeypatch.setattr(AnonRateThrottle, "rate", "1/minute", raising=False)
    client = APIClient()
    url = reverse("api:team-list")
    assert [client.get(url).status_code for _ in range(3)] == [401, 401, 401]

"""API test fixtures: a client that authenticates with a real token of a given user."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from practica.accounts.models import User
from practica.api.services import create_api_token

type ClientFor = Callable[[User], APIClient]


@pytest.fixture
def api_as(db: None) -> ClientFor:
    """``api_as(user)``: an API client sending ``Authorization: Token …`` for ``user``."""

    def client_for(user: User) -> APIClient:
        _token, raw = create_api_token(actor=None, user=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
        return client

    return client_for

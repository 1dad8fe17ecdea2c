from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from practica.demo.data import DemoLogin, load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[DemoLogin]]:
    """The demo partnership loaded once for a module whose every test uses it (loading it takes
    the better part of a minute); each test's own writes are rolled back after it, as ever, and
    the demo after the module's last test. Its logins, as ``load_demo`` returns them."""
    with django_db_blocker.unblock(), transaction.atomic():
        logins = load_demo()
        yield logins
        transaction.set_rollback(True)

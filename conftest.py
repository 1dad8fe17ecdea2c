"""Shared fixtures: three actors in every test — own-organisation coordinator (alice), a
same-organisation practice educator (bob) and another organisation's coordinator (charlie)."""

from __future__ import annotations

import factory.random
import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership
from practica.organisations.tests.factories import OrganisationFactory, PartnershipFactory, member

# Property tests check behaviour, never speed (speed is measured by `make bench`): no
# per-example deadline, which a loaded machine (two cores, xdist) overran in a clean-clone run.
hypothesis_settings.register_profile("practica", deadline=None)
hypothesis_settings.load_profile("practica")


@pytest.fixture(autouse=True)
def _repeatable_test_data(request: pytest.FixtureRequest) -> None:
    """The names and choices factories make are the same on every run of a test, whatever
    runs before it (a random surname once matched the one a test looked for)."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def _empty_caches() -> None:
    """Rate-limit and throttle counts start at nought in every test (and the run can repeat)."""
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def partnership(db: None) -> Partnership:
    return PartnershipFactory.create()


@pytest.fixture
def org_a(partnership: Partnership) -> Organisation:
    return OrganisationFactory.create(partnership=partnership, code="AAA", name="Alpha Council")


@pytest.fixture
def org_b(partnership: Partnership) -> Organisation:
    return OrganisationFactory.create(
        partnership=partnership, code="BBB", name="Beta University", kind="hei"
    )


@pytest.fixture
def alice(org_a: Organisation) -> User:
    return member(Role.COORDINATOR, org_a, email="alice@example.test")


@pytest.fixture
def bob(org_a: Organisation) -> User:
    return member(Role.PRACTICE_EDUCATOR, org_a, email="bob@example.test")


@pytest.fixture
def charlie(org_b: Organisation) -> User:
    return member(Role.COORDINATOR, org_b, email="charlie@example.test")


@pytest.fixture
def manager(org_a: Organisation) -> User:
    return member(Role.PARTNERSHIP_MANAGER, org_a, email="manager@example.test")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that share data a module-scoped fixture of ours builds (the demo, the query-count
    sweep's ten-fold data) run on one xdist worker (``--dist loadgroup``, as ``make test``
    runs them): spread over two, each worker built the data again, and again whenever it
    came back to the module."""
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None:
            continue
        shared = [
            name
            for name in info.names_closure
            if (defs := info.name2fixturedefs.get(name))
            and defs[-1].scope in ("module", "package")
            and defs[-1].func.__module__.split(".")[0] in ("practica", "tests", "conftest")
        ]
        if shared:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))

"""Students belong to a university: org_b (Beta University, BBB) is the HEI, charlie its
coordinator; alice coordinates org_a, a local authority."""

from __future__ import annotations

import pytest

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership
from practica.organisations.tests.factories import OrganisationFactory, member


@pytest.fixture
def other_hei(partnership: Partnership) -> Organisation:
    return OrganisationFactory.create(
        partnership=partnership, code="CCC", name="Gamma University", kind="hei"
    )


@pytest.fixture
def dora(other_hei: Organisation) -> User:
    """The other university's coordinator."""
    return member(Role.COORDINATOR, other_hei, email="dora@example.test")

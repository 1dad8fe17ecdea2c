"""The organisation list's (and the API's) team and person counts: each counted by its own
subquery, never through one join of teams and people (docs/0025-scaling-fixes.md)."""

from __future__ import annotations

from operator import attrgetter

from django.db import connection
from django.test.utils import CaptureQueriesContext

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.organisations import selectors
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
)

counted = attrgetter("team_count", "person_count")  # the annotations the selector adds


def test_each_organisation_counts_its_own_teams_and_people(
    manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    teams = TeamFactory.create_batch(3, organisation=org_a)
    PersonFactory.create_batch(2, organisation=org_a, team=teams[0])
    PersonFactory.create(organisation=org_a, team=teams[1])
    PersonFactory.create_batch(2, organisation=org_a, email="")
    PersonFactory.create_batch(2, organisation=org_b)
    empty = OrganisationFactory.create(partnership=org_a.partnership, code="EMP")
    elsewhere = OrganisationFactory.create(partnership=PartnershipFactory.create(name="Other"))
    TeamFactory.create(organisation=elsewhere), PersonFactory.create(organisation=elsewhere)

    with CaptureQueriesContext(connection) as queries:
        counts = {o.code: counted(o) for o in selectors.organisations_visible_to(manager)}

    assert counts == {"AAA": (3, 5), "BBB": (0, 2), empty.code: (0, 0)}
    (sql,) = [q["sql"] for q in queries.captured_queries if "core_person" in q["sql"]]
    assert 'JOIN "core_person"' not in sql  # one subquery per count, no join of the two
    assert 'JOIN "core_team"' not in sql


def test_a_filter_offers_the_organisations_the_viewer_sees(
    alice: User, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    assert list(selectors.organisation_choices(alice)) == [org_a]
    assert set(selectors.organisation_choices(manager)) == {org_a, org_b}

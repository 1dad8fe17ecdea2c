from typing import Any

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership, Team
from practica.organisations import selectors
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
    member,
)


def test_coordinator_sees_only_own_organisations_teams_and_people(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    ours, theirs = TeamFactory.create(organisation=org_a), TeamFactory.create(organisation=org_b)
    PersonFactory.create(organisation=org_a), PersonFactory.create(organisation=org_b)
    assert list(selectors.teams_visible_to(alice)) == [ours]
    assert {p.organisation for p in selectors.people_visible_to(alice)} == {org_a}
    assert theirs not in Team.objects.visible_to(alice)


def test_partnership_manager_reads_every_organisation_of_the_partnership_only(
    manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    elsewhere = OrganisationFactory.create(
        partnership=PartnershipFactory.create(name="Another partnership")
    )
    TeamFactory.create(organisation=org_b), TeamFactory.create(organisation=elsewhere)
    assert set(selectors.organisations_visible_to(manager)) == {org_a, org_b}
    assert {t.organisation for t in selectors.teams_visible_to(manager)} == {org_b}


def test_partnership_manager_cannot_change_records(manager: User, org_b: Organisation) -> None:
    team = TeamFactory.create(organisation=org_b)
    assert permissions.can(manager, permissions.VIEW, team)
    assert not permissions.can(manager, permissions.MANAGE, team)


def test_practice_educator_sees_teams_but_not_the_people_directory(
    bob: User, org_a: Organisation
) -> None:
    TeamFactory.create(organisation=org_a)
    PersonFactory.create(organisation=org_a)
    assert selectors.teams_visible_to(bob).count() == 1
    assert selectors.people_visible_to(bob).count() == 0


def test_an_inactive_membership_grants_nothing(alice: User, org_a: Organisation) -> None:
    alice.memberships.update(is_active=False)
    permissions.forget(alice)
    TeamFactory.create(organisation=org_a)
    assert selectors.teams_visible_to(alice).count() == 0


def test_anonymous_sees_nothing(org_a: Organisation) -> None:
    from django.contrib.auth.models import AnonymousUser

    TeamFactory.create(organisation=org_a)
    assert selectors.teams_visible_to(AnonymousUser()).count() == 0


def test_can_in_answers_as_the_organisations_it_names_without_asking_the_database(
    partnership: Partnership, django_assert_num_queries: Any
) -> None:
    """``can_in`` (every section of every page's navigation asks it) decides from the
    memberships alone; its answer is the one ``organisation_ids_for`` gives, for every role in
    every kind of organisation and every model and ability of the rules."""
    from practica.core.models import OrganisationKind

    users = [UserFactory.create()]  # no membership at all
    for kind in OrganisationKind.values:
        organisation = OrganisationFactory.create(partnership=partnership, kind=kind)
        users += [member(role, organisation) for role in Role]
    for user in users:
        permissions.active_memberships(user)  # the one query a request makes for them
        for rules in permissions._RULES.values():
            for ability in {a for grant in rules.grants for a in grant.abilities}:
                with django_assert_num_queries(0):
                    answer = permissions.can_in(user, ability, rules.model)
                expected = bool(permissions.organisation_ids_for(user, ability, rules.model))
                assert answer == expected, (user, rules.label, ability)

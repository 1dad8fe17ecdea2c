"""The rules declared in each app's rules.py are the only thing that decides what a role
sees and does (docs/0002-roles-and-scoping.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from practica.accounts import permissions
from practica.accounts.grants import (
    VIEW,
    AboutThemselves,
    Grant,
    InOrganisation,
    InPartnership,
    Rules,
    Through,
)
from practica.accounts.models import Role, User
from practica.core.models import Organisation, Person, Team
from practica.organisations import selectors
from practica.organisations.tests.factories import TeamFactory, member

READ = "read_for_this_test"


@pytest.fixture
def student(org_a: Organisation) -> User:
    return member(Role.STUDENT, org_a, email="student@example.test")


@pytest.fixture
def extra_grant() -> Iterator[list[Grant]]:
    """Adds grants to the rules of Team for one test, the way an app's rules.py would."""
    added: list[Grant] = []
    original = permissions.rules_for(Team)
    yield added
    permissions._RULES[original.label] = original


def _declare(added: list[Grant], *grants: Grant) -> None:
    rules = permissions.rules_for(Team)
    permissions._RULES[rules.label] = Rules(Team, *rules.grants, *grants)
    added.extend(grants)


def test_a_role_without_a_grant_sees_no_teams(student: User, org_a: Organisation) -> None:
    TeamFactory.create(organisation=org_a)
    assert not Team.objects.visible_to(student).exists()
    assert not permissions.can_in(student, VIEW, Team)


def test_declaring_a_grant_is_what_lets_the_role_see_its_own_organisations_teams(
    student: User, org_a: Organisation, org_b: Organisation, extra_grant: list[Grant]
) -> None:
    ours, theirs = TeamFactory.create(organisation=org_a), TeamFactory.create(organisation=org_b)
    client = Client()
    client.force_login(student)
    assert client.get(reverse("organisations:team-list")).status_code == 403

    _declare(extra_grant, InOrganisation({Role.STUDENT}, {VIEW}))

    assert list(Team.objects.visible_to(student)) == [ours]
    assert list(selectors.teams_visible_to(student)) == [ours]
    assert permissions.can(student, VIEW, ours)
    assert not permissions.can(student, VIEW, theirs)
    page = client.get(reverse("organisations:team-list"))
    assert page.status_code == 200
    assert ours.name in page.content.decode()
    assert theirs.name not in page.content.decode()
    assert client.get(reverse("organisations:team-detail", args=[theirs.pk])).status_code == 404


def test_an_ability_is_only_what_its_grants_say(
    student: User, org_a: Organisation, org_b: Organisation, extra_grant: list[Grant]
) -> None:
    team = TeamFactory.create(organisation=org_b)
    _declare(extra_grant, InPartnership({Role.STUDENT}, {READ}))
    assert permissions.can(student, READ, team)  # across the partnership, as declared
    assert not permissions.can(student, VIEW, team)  # other abilities are untouched
    assert permissions.organisation_ids_for(student, READ, Team) == {org_a.pk, org_b.pk}


def test_a_where_condition_narrows_a_grant(
    student: User, org_a: Organisation, extra_grant: list[Grant]
) -> None:
    from django.db.models import Q

    duty, other = (
        TeamFactory.create(organisation=org_a, name="Duty"),
        TeamFactory.create(organisation=org_a, name="Other"),
    )
    _declare(extra_grant, InOrganisation({Role.STUDENT}, {READ}, where=Q(name="Duty")))
    assert list(Team.objects.visible_to(student, READ)) == [duty]
    assert other not in Team.objects.visible_to(student, READ)


def test_about_themselves_needs_an_active_membership(
    student: User, org_a: Organisation, extra_grant: list[Grant]
) -> None:
    team = TeamFactory.create(organisation=org_a)
    Person.objects.unscoped("test").create(
        organisation=org_a, team=team, first_name="S", last_name="T", user=student
    )
    _declare(extra_grant, AboutThemselves("people__user", {READ}))
    assert list(Team.objects.visible_to(student, READ)) == [team]
    student.memberships.update(is_active=False)
    permissions.forget(student)
    assert not Team.objects.visible_to(student, READ).exists()


def test_through_follows_the_related_records_rule(
    student: User, org_a: Organisation, org_b: Organisation, extra_grant: list[Grant]
) -> None:
    ours, theirs = TeamFactory.create(organisation=org_a), TeamFactory.create(organisation=org_b)
    # whoever may view a team's organisation may READ the team (a student views their own)
    _declare(extra_grant, Through("organisation", VIEW, {READ}))
    assert list(Team.objects.visible_to(student, READ)) == [ours]
    assert theirs not in Team.objects.visible_to(student, READ)


def test_a_rule_naming_a_path_that_is_not_there_is_refused() -> None:
    with pytest.raises(Exception, match=r"no field named|does not lead"):
        permissions._check(Rules(Team, AboutThemselves("nowhere__user", {VIEW})))


def test_every_scoped_model_must_have_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    module = importlib.import_module("practica.organisations.rules")
    without_teams = [rules for rules in module.RULES if rules.model is not Team]
    monkeypatch.setattr(module, "RULES", without_teams)
    try:
        with pytest.raises(ImproperlyConfigured, match=r"core\.team"):
            permissions.load_rules()
    finally:
        monkeypatch.undo()
        permissions.load_rules()
    assert permissions.rules_for(Team).label == "core.team"


def test_two_apps_may_add_abilities_to_one_model() -> None:
    abilities = permissions.rules_for(Person).abilities()
    assert {"view", "manage", "subject_access"} <= abilities  # organisations/rules.py
    assert "cpd_record" in abilities  # learning/rules.py

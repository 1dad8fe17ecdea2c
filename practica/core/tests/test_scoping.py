"""A query on a scoped model runs only once it is narrowed (core/scoping.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Count, Subquery

from practica.accounts.models import User
from practica.core.models import Organisation, Person, Team
from practica.core.scoping import ScopedQuerySet, ScopeError, unscoped_block
from practica.organisations.tests.factories import PersonFactory, TeamFactory

UNNARROWED: dict[str, Callable[[], Any]] = {
    "list": lambda: list(Team.objects.all()),
    "iterate": lambda: next(iter(Team.objects.filter(name="x"))),
    "count": lambda: Team.objects.count(),
    "exists": lambda: Team.objects.filter(name="x").exists(),
    "get": lambda: Team.objects.get(name="x"),
    "first": lambda: Team.objects.order_by("pk").first(),
    "values": lambda: list(Team.objects.values_list("name", flat=True)),
    "aggregate": lambda: Team.objects.aggregate(n=Count("pk")),
    "iterator": lambda: list(Team.objects.iterator()),
    "update": lambda: Team.objects.filter(name="x").update(name="y"),
    "delete": lambda: Team.objects.filter(name="x").delete(),
    "in_bulk": lambda: Team.objects.in_bulk([1]),
    "get_or_create": lambda: Person.objects.get_or_create(email="nobody@example.test"),
    "subquery": lambda: list(Person.objects.unscoped("test").filter(team__in=Team.objects.all())),
    "Subquery": lambda: list(
        Person.objects.unscoped("test").annotate(
            n=Subquery(Team.objects.filter(pk=1).values("name")[:1])
        )
    ),
    "bool": lambda: bool(Team.objects.all()),
    "len": lambda: len(Team.objects.all()),
}


@pytest.mark.parametrize("operation", list(UNNARROWED))
def test_a_query_that_is_not_narrowed_raises(operation: str, alice: User) -> None:
    TeamFactory.create(name="x")
    with pytest.raises(ScopeError, match=r"visible_to\(user, ability\).*unscoped"):
        UNNARROWED[operation]()


def test_visible_to_narrows_to_the_viewers_rows(
    alice: User, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    mine, theirs = TeamFactory.create(organisation=org_a), TeamFactory.create(organisation=org_b)
    assert list(Team.objects.visible_to(alice)) == [mine]
    assert list(Team.objects.visible_to(charlie)) == [theirs]
    assert Team.objects.visible_to(alice).filter(pk=theirs.pk).count() == 0


def test_unscoped_reads_every_organisation_and_needs_a_reason(
    org_a: Organisation, org_b: Organisation
) -> None:
    TeamFactory.create(organisation=org_a)
    TeamFactory.create(organisation=org_b)
    assert Team.objects.unscoped("test").count() == 2
    with pytest.raises(ValueError, match="reason"):
        Team.objects.unscoped("  ")


def test_the_mark_survives_chaining_values_and_slicing(alice: User, org_a: Organisation) -> None:
    TeamFactory.create(organisation=org_a, name="Duty")
    narrowed = Team.objects.visible_to(alice)
    chained = narrowed.filter(name__startswith="D").exclude(name="").order_by("name")
    assert list(chained.values_list("name", flat=True)[:1]) == ["Duty"]
    assert chained.is_narrowed


def test_widening_a_narrowed_query_with_an_unnarrowed_one_raises(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    TeamFactory.create(organisation=org_a)
    TeamFactory.create(organisation=org_b)
    narrowed = Team.objects.visible_to(alice)
    with pytest.raises(ScopeError):
        list(narrowed | Team.objects.all())
    with pytest.raises(ScopeError):
        list(narrowed.union(Team.objects.all()))
    # narrowing further with an unnarrowed condition keeps the viewer's rows only
    assert (narrowed & Team.objects.all()).count() == 1


def test_none_and_related_managers_count_as_narrowed(alice: User, org_a: Organisation) -> None:
    team = TeamFactory.create(organisation=org_a)
    PersonFactory.create(organisation=org_a, team=team)
    assert list(Team.objects.none()) == []
    assert org_a.teams.count() == 1  # through a record already held
    assert team.people.count() == 1
    assert list(Organisation.objects.unscoped("test").prefetch_related("teams")) == [org_a]


def test_repr_of_an_unnarrowed_query_does_not_run_it() -> None:
    assert "not narrowed" in repr(Team.objects.all())


def test_djangos_own_uniqueness_checks_still_work(org_a: Organisation) -> None:
    PersonFactory.create(organisation=org_a, email="same@example.test")
    duplicate = Person(organisation=org_a, first_name="A", last_name="B", email="SAME@example.test")
    with pytest.raises(Exception, match="This e-mail address cannot be used"):
        duplicate.full_clean()


def test_an_exclude_across_a_many_valued_relation_keeps_the_mark(org_a: Organisation) -> None:
    PersonFactory.create(organisation=org_a, team=TeamFactory.create(organisation=org_a))
    teams = Team.objects.unscoped("test").exclude(people__email="nobody@example.test")
    assert teams.count() == 1
    with pytest.raises(ScopeError):
        Team.objects.exclude(people__email="nobody@example.test").count()


def test_an_unscoped_block_reads_everything_inside_only(org_a: Organisation) -> None:
    TeamFactory.create(organisation=org_a)
    with unscoped_block("test"):
        assert Team.objects.count() == 1
    with pytest.raises(ScopeError):
        Team.objects.count()


def test_every_scoped_model_uses_the_scoped_queryset() -> None:
    from django.apps import apps

    from practica.core.scoping import ScopedManager

    scoped = [
        model for model in apps.get_models() if isinstance(model._default_manager, ScopedManager)
    ]
    assert Team in scoped
    assert Person in scoped
    for model in scoped:
        queryset = model._default_manager.get_queryset()
        assert isinstance(queryset, ScopedQuerySet)
        assert not queryset.is_narrowed

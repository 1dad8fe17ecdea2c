"""The service navigation: one menu item per group of sections (so it fits one row), the
sections of the current page's group as a sub navigation, and each section only for those who
may open it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from practica.accounts.context_processors import NavItem
from practica.accounts.models import User
from practica.core.models import Organisation
from practica.core.navigation import Section
from practica.educators.tests.factories import PracticeEducatorFactory


def labels(items: list[NavItem]) -> list[str]:
    return [item.label for item in items]


def test_a_coordinator_sees_groups_in_the_menu(client: Client, alice: User) -> None:
    client.force_login(alice)
    context = client.get(reverse("home")).context
    menu = labels(context["nav_items"])
    assert menu[:2] == ["Home", "People"]
    assert {"Practice educators", "Learning", "Reports", "Set-up"} <= set(menu)
    assert "Organisations" not in menu  # it is in the People group
    assert len(menu) <= 8
    assert context["sub_nav_items"] == []  # the home page is in no group
    assert {"Organisations", "Teams", "People", "Events", "Imports"} <= set(
        labels(context["nav_sections"])
    )


def test_a_groups_pages_show_its_sections_as_a_sub_navigation(client: Client, alice: User) -> None:
    client.force_login(alice)
    context = client.get(reverse("organisations:team-list")).context
    people = next(item for item in context["nav_items"] if item.label == "People")
    assert people.active
    assert people.url == reverse("organisations:organisation-list")  # its first section
    sub = context["sub_nav_items"]
    assert labels(sub) == ["Organisations", "Teams", "People"]
    assert [item.label for item in sub if item.active] == ["Teams"]
    page = client.get(reverse("organisations:team-list")).content.decode()
    assert 'aria-label="Sections"' in page
    assert f'href="{reverse("organisations:team-list")}" aria-current="page">Teams</a>' in page


def test_a_group_with_one_section_for_the_user_shows_the_sections_own_name(
    client: Client, bob: User, org_a: Organisation
) -> None:
    # a practice educator on the register, who may not read it: their own entry is their
    # only section of the practice educator group
    PracticeEducatorFactory.create(person__organisation=org_a, person__user=bob)
    client.force_login(bob)
    context = client.get(reverse("home")).context
    menu = labels(context["nav_items"])
    assert "My practice educator profile" in menu
    assert "Practice educators" not in menu
    assert "Set-up" not in menu  # they import nothing and invite no one
    learning = next(item for item in context["nav_items"] if item.label == "Learning")
    assert learning.url == reverse("learning:event-list")


def test_a_section_names_a_known_group() -> None:
    with pytest.raises(ValueError, match="not a navigation group"):
        Section("Odd", "home", None, group="odds")

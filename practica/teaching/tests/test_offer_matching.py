"""The local authority's lead offers practitioners with those who match the request (its
service area, its areas of expertise) listed first, and says what each matches."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from practica.core.models import ServiceArea
from practica.organisations.tests.factories import PersonFactory
from practica.teaching.models import Expertise, PractitionerTeacher
from practica.teaching.sessions import selectors
from practica.teaching.tests.factories import PractitionerTeacherFactory
from practica.teaching.tests.sessions_world import World, make_world, raise_teaching

pytestmark = pytest.mark.django_db


def _matched(teacher: PractitionerTeacher) -> tuple[int, int]:
    """(areas of expertise asked for that they have, whether in the service area asked for)"""
    annotated = vars(teacher)
    return (annotated["expertise_matched"], annotated["area_matched"])


@pytest.fixture
def world() -> World:
    return make_world()


def test_practitioners_matching_the_request_come_first(world: World, client: Client) -> None:
    court, capacity = Expertise.objects.order_by("pk")[:2]
    children = ServiceArea.objects.get(code="childrens")
    # an "Aaron" who matches nothing would come first by name
    nothing = PractitionerTeacherFactory.create(
        person=PersonFactory.create(organisation=world.la1, last_name="Aaron")
    )
    expert = PractitionerTeacherFactory.create(
        person=PersonFactory.create(organisation=world.la1, last_name="Zed")
    )
    expert.expertise.set([court, capacity])
    in_area = PractitionerTeacherFactory.create(
        person=PersonFactory.create(organisation=world.la1, last_name="Young"),
        service_area=children,
    )
    request = raise_teaching(world, service_area=children, expertise=[court, capacity])

    offered = list(selectors.practitioners_to_offer(world.lead1, request, world.la1))

    assert offered.index(expert) < offered.index(in_area) < offered.index(nothing)
    matched = {teacher.pk: _matched(teacher) for teacher in offered}
    assert matched[expert.pk] == (2, 0)
    assert matched[in_area.pk] == (0, 1)
    assert matched[nothing.pk] == (0, 0)

    client.force_login(world.lead1)
    page = client.get(reverse("teaching:request-offer", args=[request.pk])).content.decode()
    assert "Zed" in page
    assert "matches 2 areas of expertise asked for" in page
    assert "matches the service area asked for" in page


def test_a_practitioner_matches_through_their_team_s_service_area(world: World) -> None:
    adults = ServiceArea.objects.get(code="adults")
    request = raise_teaching(world, service_area=adults)

    matched = {
        teacher.pk: _matched(teacher)
        for teacher in selectors.practitioners_to_offer(world.lead1, request, world.la1)
    }

    # both of the world's LA1 practitioners are in an adults team, with no area of their own
    assert matched[world.pt_with_account.pk] == (0, 1)
    assert matched[world.pt_without_account.pk] == (0, 1)

"""Journey times: recorded first (either way round), then estimated from the towns'
coordinates at the stated speed, else unknown — never a silent guess."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from practica.core.models import Organisation
from practica.organisations.tests.factories import LocationFactory
from practica.placements.tests.factories import TravelTimeFactory
from practica.placements.travel import (
    AVERAGE_SPEED_KMH,
    Journey,
    JourneyTimes,
    estimated_minutes,
    great_circle_km,
    journey,
)


def test_the_great_circle_distance_between_known_cities() -> None:
    london, paris = (51.5074, -0.1278), (48.8566, 2.3522)
    assert great_circle_km(london, paris) == pytest.approx(343.5, abs=1)
    assert great_circle_km(london, london) == 0


def test_the_estimate_is_the_distance_at_the_stated_speed_rounded_up() -> None:
    assert estimated_minutes(AVERAGE_SPEED_KMH) == 60
    assert estimated_minutes(AVERAGE_SPEED_KMH / 60 * 10.5) == 11
    assert estimated_minutes(0) == 0


@pytest.mark.django_db
def test_a_recorded_time_comes_first_either_way_round(org_a: Organisation) -> None:
    TravelTimeFactory.create(from_location="Chatham", to_location="Maidstone", minutes=35)
    LocationFactory.create(
        organisation=org_a, name="Chatham", latitude=Decimal("51.38"), longitude=Decimal("0.52")
    )
    LocationFactory.create(
        organisation=org_a, name="Maidstone", latitude=Decimal("51.27"), longitude=Decimal("0.52")
    )
    assert journey("chatham ", "MAIDSTONE") == Journey(35, "recorded")
    assert journey("Maidstone", "Chatham") == Journey(35, "recorded")


@pytest.mark.django_db
def test_without_a_recorded_time_the_coordinates_give_an_estimate(org_a: Organisation) -> None:
    LocationFactory.create(
        organisation=org_a, name="Chatham", latitude=Decimal("51.38"), longitude=Decimal("0.52")
    )
    LocationFactory.create(
        organisation=org_a, name="Maidstone", latitude=Decimal("51.27"), longitude=Decimal("0.52")
    )
    found = journey("Chatham", "Maidstone")
    assert found == Journey(19, "estimated")  # 12.2 km at 40 km/h
    assert found.describe() == "about 19 min (estimated from distance)"


@pytest.mark.django_db
def test_without_either_the_time_is_unknown_and_says_so() -> None:
    assert journey("Chatham", "Dover") == Journey(None, "unknown")
    assert journey("", "Dover").describe() == "journey time unknown"
    assert journey("Dover", " dover") == Journey(0, "same_town")


TOWN = st.tuples(st.floats(-80, 80), st.floats(-179, 179))


@settings(deadline=None)
@given(a=TOWN, b=TOWN)
def test_an_estimate_is_the_same_both_ways_and_never_negative(
    a: tuple[float, float], b: tuple[float, float]
) -> None:
    times = JourneyTimes([], [("A", *a), ("B", *b)])
    there, back = times.journey("A", "B"), times.journey("B", "A")
    assert there == back
    assert there.minutes is not None
    assert there.minutes >= 0
    assert there.source == "estimated"

"""Learning agreement meeting, midpoint and final reviews, and direct observations with the
warning of a placement behind (docs/0029: fewer observations than the share of days elapsed
implies)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.placements.during import progress, selectors, services
from practica.placements.during.models import ReviewKind, ReviewOutcome
from practica.placements.models import PlacementStatus, PlacementType
from practica.placements.tests.during_conftest_helpers import People, placement_under_way
from practica.placements.tests.during_factories import DirectObservationFactory
from practica.placements.tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db
START, END = datetime.date(2020, 1, 6), datetime.date(2020, 6, 5)


@pytest.fixture
def people(org_a: Organisation, org_b: Organisation) -> People:
    return placement_under_way(org_a, org_b)


def test_each_meeting_is_recorded_once_with_an_outcome_it_can_have(people: People) -> None:
    placement = people.placement
    services.record_review(
        actor=people.educator,
        placement=placement,
        kind=ReviewKind.LEARNING_AGREEMENT,
        held_on=START,
        outcome=ReviewOutcome.AGREED,
    )
    with pytest.raises(ValidationError, match="pass recommended, fail recommended"):
        services.record_review(
            actor=people.educator,
            placement=placement,
            kind=ReviewKind.FINAL,
            held_on=END,
            outcome=ReviewOutcome.ON_TRACK,
        )
    review = services.record_review(
        actor=people.educator,
        placement=placement,
        kind=ReviewKind.LEARNING_AGREEMENT,
        held_on=START + datetime.timedelta(days=2),
        outcome=ReviewOutcome.SOME_CONCERNS,
    )
    assert list(selectors.reviews_of(people.student, placement)) == [ReviewKind.LEARNING_AGREEMENT]
    assert review.history.count() == 2


def test_nothing_is_recorded_on_a_placement_not_yet_confirmed(alice: User) -> None:
    placement = PlacementFactory.create(status=PlacementStatus.MATCHED)
    with pytest.raises(ValidationError, match="not confirmed yet"):
        services.record_observation(
            actor=alice, placement=placement, observed_on=START, observer="Pat"
        )


@pytest.mark.parametrize(
    ("placement_type", "days", "on", "observations", "behind"),
    [
        # 100 days, 3 needed: one due once a third has elapsed
        (PlacementType.FINAL_100, 100, START + datetime.timedelta(days=40), 0, False),
        (PlacementType.FINAL_100, 100, START + datetime.timedelta(days=60), 0, True),
        (PlacementType.FINAL_100, 100, START + datetime.timedelta(days=60), 1, False),
        (PlacementType.FINAL_100, 100, END, 2, True),
        (PlacementType.FINAL_100, 100, END, 3, False),
        # 70 days, 2 needed: one at half way
        (PlacementType.FIRST_70, 70, START + datetime.timedelta(days=80), 0, True),
        (PlacementType.FIRST_70, 70, START + datetime.timedelta(days=60), 0, False),
        # shadowing has no minimum
        (PlacementType.SHADOWING, 5, END, 0, False),
    ],
)
def test_a_placement_is_behind_with_fewer_observations_than_its_share_of_days_implies(
    placement_type: str, days: int, on: datetime.date, observations: int, behind: bool
) -> None:
    placement = PlacementFactory.build(
        placement_type=placement_type,
        days=days,
        starts_on=START,
        ends_on=END,
        status=PlacementStatus.IN_PROGRESS,
    )
    assert progress.is_behind(placement, observations, on) is behind


def test_the_minimum_observations_are_a_setting(people: People) -> None:
    with override_settings(PRACTICA_MIN_OBSERVATIONS={"final_100": 5}):
        assert progress.minimum_observations(PlacementType.FINAL_100) == 5
        assert progress.minimum_observations(PlacementType.FIRST_70) == 0


def test_the_placement_page_warns_when_behind_and_records_an_observation(
    client: Client, people: People
) -> None:
    placement = people.placement  # 6 January to 5 June 2020: long over, none recorded
    client.force_login(people.educator)
    url = reverse("placements:placement-during", args=[placement.pk])
    assert "Behind on observations: 0 recorded, 3 expected" in client.get(url).text
    response = client.post(
        reverse("placements:observation-add", args=[placement.pk]),
        {
            "observed_on_0": "3",
            "observed_on_1": "2",
            "observed_on_2": "2020",
            "observer": "Pat Educator",
        },
    )
    assert response.status_code == 302
    DirectObservationFactory.create_batch(2, placement=placement)
    assert "Behind on observations" not in client.get(url).text
    client.force_login(people.student)  # the student reads, does not record
    assert client.get(reverse("placements:observation-add", args=[placement.pk])).status_code == 404

"""The placements-summary and placement-capacity reports, checked against counts made directly
from the records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation
from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import OrganisationFactory, TeamFactory
from practica.placements.models import Placement, PlacementStatus, PlacementType, Route
from practica.placements.reports import CATEGORIES
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
)
from practica.reports.registry import ReportParams, get_report, run_report

pytestmark = pytest.mark.django_db


def summary(
    viewer: permissions.Viewer = permissions.OPERATOR, **params: Any
) -> list[dict[str, Any]]:
    return get_report("placements-summary").rows(viewer, ReportParams(**params))


def capacity(
    viewer: permissions.Viewer = permissions.OPERATOR, **params: Any
) -> list[dict[str, Any]]:
    return get_report("placement-capacity").rows(viewer, ReportParams(**params))


def test_the_summary_counts_each_route_and_type_and_the_days(org_a: Organisation) -> None:
    def place(route: str, kind: str, days: int, status: str = PlacementStatus.COMPLETED) -> None:
        PlacementFactory.create(
            organisation=org_a,
            student=StudentFactory.create(route=route),
            placement_type=kind,
            days=days,
            status=status,
            confirmed=status != PlacementStatus.MATCHED,
        )

    place(Route.BA, PlacementType.FINAL_100, 100)
    place(Route.MA, PlacementType.FIRST_70, 70)
    place(Route.STEP_UP, PlacementType.FIRST_70, 70)
    place(Route.STEP_UP, PlacementType.FINAL_100, 100, PlacementStatus.MATCHED)
    place(Route.OU, PlacementType.FINAL_100, 100)
    place(Route.BA, PlacementType.SHADOWING, 3)
    place(Route.BA, PlacementType.SCHOOL_SETTING, 70)
    PlacementFactory.create(organisation=org_a)  # requested: not provided yet
    [row] = summary()
    assert row == {
        "organisation": "Alpha Council",
        "year": "2019/20",
        "hei_first": 1,
        "hei_final": 1,
        "step_up": 2,
        "think_ahead": 0,
        "ou_first": 0,
        "ou_final": 1,
        "apprentice": 0,
        "school_setting": 1,
        "shadowing": 1,
        "other": 0,
        "placements": 7,
        "days": 513,
    }
    assert summary(year=2018) == []
    assert summary(organisations=("ZZZ",)) == []


def test_the_summary_shows_only_what_the_viewer_sees(
    org_a: Organisation, alice: User, partnership: Any
) -> None:
    other = OrganisationFactory.create(partnership=partnership, code="OTH")
    PlacementFactory.create(organisation=org_a, confirmed=True)
    PlacementFactory.create(organisation=other, confirmed=True)
    assert [row["organisation"] for row in summary(alice)] == ["Alpha Council"]
    assert len(summary()) == 2


def test_capacity_sets_slots_against_the_placements_that_fill_them(org_a: Organisation) -> None:
    team = TeamFactory.create(organisation=org_a, name="Duty team")
    PlacementOfferFactory.create(organisation=org_a, team=team, slots=3)
    PlacementOfferFactory.create(
        organisation=org_a, team=team, slots=2, placement_type=PlacementType.FIRST_70, days=70
    )
    PlacementOfferFactory.create(
        organisation=org_a,
        team=None,
        setting="Schools",
        slots=5,
        academic_year=ensure_academic_year(start_year=2018),
        placement_type=PlacementType.SCHOOL_SETTING,
        days=70,
    )
    for _ in range(2):
        PlacementFactory.create(organisation=org_a, team=team, confirmed=True)
    PlacementFactory.create(organisation=org_a, team=team)  # requested: fills nothing
    PlacementFactory.create(organisation=org_a, team=None, setting="Elsewhere", confirmed=True)
    rows = capacity()
    assert rows == [
        {
            "organisation": "Alpha Council",
            "setting": "Schools",
            "year": "2018/19",
            "slots": 5,
            "filled": 0,
            "free": 5,
            "filled_share": Decimal("0.0"),
        },
        {
            "organisation": "Alpha Council",
            "setting": "Duty team",
            "year": "2019/20",
            "slots": 5,
            "filled": 2,
            "free": 3,
            "filled_share": Decimal("40.0"),
        },
        {
            "organisation": "Alpha Council",
            "setting": "Elsewhere",
            "year": "2019/20",
            "slots": 0,
            "filled": 1,
            "free": -1,
            "filled_share": None,
        },
    ]
    result = run_report(get_report("placement-capacity"), permissions.OPERATOR, ReportParams())
    assert result.totals["filled_share"] == Decimal("30.0")
    assert [row["setting"] for row in capacity(year=2019)] == ["Duty team", "Elsewhere"]


PLACEMENT = st.tuples(
    st.sampled_from(Route.values),
    st.sampled_from(list(PlacementType.values)),
    st.sampled_from(PlacementStatus.values),
)
DAYS = {"first_70": 70, "final_100": 100, "shadowing": 4, "school_setting": 70, "other": 30}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=st.lists(PLACEMENT, min_size=1, max_size=12))
def test_every_provided_placement_is_in_exactly_one_column(
    org_a: Organisation, drawn: list[tuple[str, str, str]]
) -> None:
    with transaction.atomic():
        for route, kind, status in drawn:
            PlacementFactory.create(
                organisation=org_a,
                student=StudentFactory.create(route=route),
                placement_type=kind,
                days=DAYS[kind],
                status=status,
                confirmed=status not in (PlacementStatus.REQUESTED, PlacementStatus.MATCHED),
                ended_reason="Ill" if status == PlacementStatus.ENDED_EARLY else "",
            )
        provided = [
            p
            for p in Placement.objects.unscoped("test")
            if p.status in {"matched", "confirmed", "in_progress", "completed", "ended_early"}
        ]
        rows = summary()
        if not provided:
            assert rows == []
        else:
            [row] = rows
            assert sum(row[key] for key in CATEGORIES) == row["placements"] == len(provided)
            assert row["days"] == sum(p.days for p in provided)
        transaction.set_rollback(True)

"""The allocation adapter and `practica allocate`: the problem read from the database, the
proposals shown and recorded as matched placements."""

from __future__ import annotations

import json
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from practica.core.models import Organisation
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
    TeamFactory,
)
from practica.placements.allocation_runs import build_run, find_year
from practica.placements.models import (
    Placement,
    PlacementOffer,
    PlacementStatus,
    PlacementType,
    Route,
    Student,
    StudentStage,
)
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
    year_2019,
)

pytestmark = pytest.mark.django_db


@dataclass
class Partnership:
    provider: Organisation
    hei: Organisation
    open_offer: PlacementOffer
    ma_offer: PlacementOffer
    full_offer: PlacementOffer
    ba: Student
    ma: Student
    placed: Student


def offer(provider: Organisation, *, slots: int, routes: list[str]) -> PlacementOffer:
    location = provider.locations.filter(name="Maidstone").first() or LocationFactory.create(
        organisation=provider, name="Maidstone"
    )
    team = TeamFactory.create(organisation=provider, location=location)
    return PlacementOfferFactory.create(
        organisation=provider, team=team, location=location, slots=slots, routes=routes
    )


def student(hei: Organisation, route: str, ref: str) -> Student:
    return StudentFactory.create(
        hei=hei,
        route=route,
        student_ref=ref,
        stage=StudentStage.FINAL_100,
        home_location="Maidstone",
    )


@pytest.fixture
def small() -> Partnership:
    """A provider (KCC) with an open offer for any route, an MA-only one and a full one; a
    university (UNI) with a BA student, an MA student and one already matched."""
    partnership = PartnershipFactory.create()
    provider = OrganisationFactory.create(partnership=partnership, code="KCC")
    hei = OrganisationFactory.create(partnership=partnership, code="UNI", kind="hei")
    open_offer = offer(provider, slots=2, routes=[])
    ma_offer = offer(provider, slots=1, routes=[Route.MA])
    full_offer = offer(provider, slots=1, routes=[])
    placed = student(hei, Route.BA, "P1")
    PlacementFactory.create(
        student=placed,
        organisation=provider,
        team=full_offer.team,
        offer=full_offer,
        status=PlacementStatus.MATCHED,
    )
    return Partnership(
        provider=provider,
        hei=hei,
        open_offer=open_offer,
        ma_offer=ma_offer,
        full_offer=full_offer,
        ba=student(hei, Route.BA, "B1"),
        ma=student(hei, Route.MA, "M1"),
        placed=placed,
    )


def test_a_full_offer_is_not_offered_and_a_part_filled_one_offers_what_is_left(
    small: Partnership,
) -> None:
    PlacementFactory.create(
        student=StudentFactory.create(hei=small.hei),
        organisation=small.provider,
        team=small.open_offer.team,
        offer=small.open_offer,
        status=PlacementStatus.CONFIRMED,
        starts_on=year_2019().starts_on,
        ends_on=year_2019().ends_on,
    )
    run = build_run(year=year_2019())
    offers = dict(
        zip(run.problem.offers.ids.tolist(), run.problem.offers.slots.tolist(), strict=True)
    )
    assert offers == {small.open_offer.pk: 1, small.ma_offer.pk: 1}


def test_a_student_already_placed_this_year_is_not_placed_again(small: Partnership) -> None:
    run = build_run(year=year_2019())
    assert sorted(run.problem.students.ids.tolist()) == sorted([small.ba.pk, small.ma.pk])


def test_an_offer_not_accepting_the_students_route_is_never_proposed(small: Partnership) -> None:
    small.open_offer.routes = [Route.MA]
    small.open_offer.save()
    run = build_run(year=year_2019())
    (unplaced,) = run.result.unplaced
    assert unplaced.student_id == small.ba.pk
    assert unplaced.binding == "no_feasible_offer"
    assert "route" in " ".join(unplaced.rejected)
    assert {a.student_id for a in run.result.assignments} == {small.ma.pk}


def test_a_final_placement_goes_elsewhere_than_the_students_first(small: Partnership) -> None:
    PlacementFactory.create(
        student=small.ba,
        organisation=small.provider,
        team=small.open_offer.team,
        placement_type=PlacementType.FIRST_70,
        days=70,
        status=PlacementStatus.COMPLETED,
        starts_on=year_2019().starts_on,
        ends_on=year_2019().ends_on,
    )
    run = build_run(year=year_2019())
    assert small.ba.pk in {u.student_id for u in run.result.unplaced}


def test_narrowed_to_a_university_places_only_its_students(small: Partnership) -> None:
    other = OrganisationFactory.create(code="OTH", kind="hei")
    student(other, Route.BA, "O1")
    run = build_run(year=year_2019(), organisation=small.hei)
    assert sorted(run.problem.students.ids.tolist()) == sorted([small.ba.pk, small.ma.pk])


def test_narrowed_to_a_provider_uses_only_its_offers(small: Partnership) -> None:
    offer(OrganisationFactory.create(code="MED"), slots=3, routes=[])
    run = build_run(year=year_2019(), organisation=small.provider)
    assert set(run.problem.offers.ids.tolist()) == {small.open_offer.pk, small.ma_offer.pk}


def allocate(*args: str) -> str:
    out = StringIO()
    call_command("allocate", *args, stdout=out)
    return out.getvalue()


def test_the_table_shows_the_summary_proposals_and_explanations(small: Partnership) -> None:
    text = allocate("--year", "2019/20", "--dry-run", "--explain")
    assert "Allocation 2019/20: 2 placed, 0 unplaced." in text
    assert "Optimal; certificate checked." in text
    assert "B1" in text
    assert "M1" in text
    assert "P1" not in text
    assert small.open_offer.team is not None
    assert small.open_offer.team.name in text
    assert "Dry run: nothing recorded." in text


def test_json_lists_every_proposal_and_unplaced_student(small: Partnership) -> None:
    small.open_offer.routes = [Route.MA]
    small.open_offer.save()
    data = json.loads(allocate("--year", "2019/20", "--dry-run", "--format", "json"))
    assert data["objective"]["placed"] == 1
    assert data["optimal"] is True
    assert [p["student"] for p in data["proposals"]] == ["M1"]
    assert [u["student"] for u in data["unplaced"]] == ["B1"]
    assert data["unplaced"][0]["binding"] == "no_feasible_offer"


def test_a_dry_run_records_nothing(small: Partnership) -> None:
    before = Placement.objects.unscoped("test").count()
    allocate("--year", "2019/20", "--dry-run")
    assert Placement.objects.unscoped("test").count() == before


def test_a_run_records_each_proposal_as_a_matched_placement(small: Partnership) -> None:
    requested = PlacementFactory.create(
        student=small.ma, organisation=small.provider, status=PlacementStatus.REQUESTED
    )
    data = json.loads(allocate("--year", "2019/20", "--format", "json"))
    assert data["recorded"] == 2
    proposed = {(p["student"], p["offer"]) for p in data["proposals"]}
    matched = set(
        Placement.objects.unscoped("test")
        .filter(status=PlacementStatus.MATCHED, academic_year=find_year("2019/20"))
        .exclude(student=small.placed)
        .values_list("student__student_ref", "offer_id")
    )
    assert matched == proposed
    requested.refresh_from_db()
    assert requested.status == PlacementStatus.MATCHED
    assert Placement.objects.unscoped("test").filter(student=small.ma).count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2019-20"], "not an academic year"),
        (["--year", "2031/32"], "No academic year 2031/32"),
        (["--year", "2019/20", "--org", "NOPE"], "no organisation with the code NOPE"),
    ],
)
def test_a_bad_year_or_organisation_is_refused_and_nothing_is_recorded(
    small: Partnership, args: list[str], message: str
) -> None:
    before = Placement.objects.unscoped("test").count()
    with pytest.raises(CommandError, match=message) as error:
        allocate(*args)
    assert error.value.returncode == 2
    assert Placement.objects.unscoped("test").count() == before

"""The allocation adapter reads what students ranked in the year's preference window and
couples a Step Up student's two placements; a stored run writes and confirms both."""

from __future__ import annotations

import pytest
from django.utils import timezone

from practica.core.models import Organisation, ServiceArea
from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
    TeamFactory,
)
from practica.placements.allocation_models import AllocationRun, RunStatus, with_counts
from practica.placements.allocation_runs import STEP_UP_FINAL, build_run
from practica.placements.during.models import StudentPreference
from practica.placements.models import (
    Placement,
    PlacementOffer,
    PlacementStatus,
    PlacementType,
    Route,
    Student,
    StudentStage,
)
from practica.placements.runs import services
from practica.placements.tests.during_factories import PreferenceWindowFactory
from practica.placements.tests.factories import PlacementOfferFactory, StudentFactory, year_2019

pytestmark = pytest.mark.django_db


def offer(
    provider: Organisation,
    name: str,
    *,
    area: str = "childrens",
    kind: str = PlacementType.FINAL_100,
    slots: int = 1,
) -> PlacementOffer:
    location = provider.locations.filter(name="Maidstone").first() or LocationFactory.create(
        organisation=provider, name="Maidstone"
    )
    team = TeamFactory.create(organisation=provider, location=location, name=name)
    return PlacementOfferFactory.create(
        organisation=provider,
        team=team,
        location=location,
        slots=slots,
        routes=[],
        placement_type=kind,
        days=70 if kind == PlacementType.FIRST_70 else 100,
        service_area=ServiceArea.objects.get(code=area),
    )


def student(hei: Organisation, ref: str, *, route: str = Route.BA, stage: str) -> Student:
    return StudentFactory.create(
        hei=hei, route=route, student_ref=ref, stage=stage, home_location="Maidstone"
    )


def rank(student: Student, *areas: str) -> None:
    window = PreferenceWindowFactory.create(hei=student.hei, academic_year=year_2019())
    for position, code in enumerate(areas, start=1):
        StudentPreference.objects.create(
            student=student,
            window=window,
            rank=position,
            service_area=ServiceArea.objects.get(code=code),
            submitted_at=timezone.now(),
        )


@pytest.fixture
def provider() -> Organisation:
    return OrganisationFactory.create(partnership=PartnershipFactory.create(), code="KCC")


@pytest.fixture
def hei(provider: Organisation) -> Organisation:
    return OrganisationFactory.create(partnership=provider.partnership, code="UNI", kind="hei")


# -- preferences ----------------------------------------------------------------------------


def test_the_students_ranked_service_areas_are_read_into_the_problem(
    provider: Organisation, hei: Organisation
) -> None:
    offer(provider, "Children A", area="childrens")
    offer(provider, "Adults A", area="adults")
    ranked = student(hei, "R1", stage=StudentStage.FINAL_100)
    unranked = student(hei, "U1", stage=StudentStage.FINAL_100)
    rank(ranked, "adults", "childrens")
    problem = build_run(year=year_2019()).problem
    area_of = dict(
        zip(problem.offers.ids.tolist(), problem.offers.service_area.tolist(), strict=True)
    )
    children, adults = (
        area_of[o.pk]
        for o in PlacementOffer.objects.unscoped("test").order_by("pk")  # Children A first
    )
    row = problem.students.ids.tolist().index(ranked.pk)
    assert problem.students.area_rank[row, adults] == 1
    assert problem.students.area_rank[row, children] == 2
    other = problem.students.ids.tolist().index(unranked.pk)
    assert problem.students.area_rank[other].tolist() == [0, 0]


def test_a_student_is_placed_in_the_area_they_ranked_first_and_the_explanation_says_so(
    provider: Organisation, hei: Organisation
) -> None:
    offer(provider, "Children A", area="childrens")  # otherwise the same: the tie goes here
    adults = offer(provider, "Adults A", area="adults")
    keen = student(hei, "R1", stage=StudentStage.FINAL_100)
    rank(keen, "adults")
    result = build_run(year=year_2019()).result
    (proposal,) = result.assignments
    assert proposal.offer_id == adults.pk
    assert "first-choice service area" in proposal.explanation


def test_preferences_of_another_years_window_are_not_used(
    provider: Organisation, hei: Organisation
) -> None:
    offer(provider, "Children A", area="childrens")
    offer(provider, "Adults A", area="adults")
    keen = student(hei, "R1", stage=StudentStage.FINAL_100)
    rank(keen, "adults")
    StudentPreference.objects.unscoped("test").update(
        window=PreferenceWindowFactory.create(
            hei=hei,
            academic_year=ensure_academic_year(start_year=2020),
        )
    )
    (proposal,) = build_run(year=year_2019()).result.assignments
    assert "service area not ranked" in proposal.explanation


# -- Step Up couples ------------------------------------------------------------------------


def test_a_step_up_student_needing_their_first_placement_is_two_coupled_entries(
    provider: Organisation, hei: Organisation
) -> None:
    offer(provider, "First team", kind=PlacementType.FIRST_70)
    offer(provider, "Final team", kind=PlacementType.FINAL_100)
    step_up = student(hei, "S1", route=Route.STEP_UP, stage=StudentStage.FIRST_70)
    ba = student(hei, "B1", stage=StudentStage.FIRST_70)  # a BA student needs one placement
    run = build_run(year=year_2019())
    assert sorted(run.problem.students.ids.tolist()) == sorted(
        [step_up.pk, step_up.pk + STEP_UP_FINAL, ba.pk]
    )
    assert list(run.problem.couples) == [(step_up.pk, step_up.pk + STEP_UP_FINAL)]
    assert run.result.stages  # solved by the integer program (coupled rules)
    placed = {a.student_id: a.offer_id for a in run.result.assignments}
    assert step_up.pk in placed
    assert step_up.pk + STEP_UP_FINAL in placed
    assert run.students[step_up.pk + STEP_UP_FINAL].needs == StudentStage.FINAL_100


def test_a_step_up_student_is_not_given_one_placement_without_the_other(
    provider: Organisation, hei: Organisation
) -> None:
    offer(provider, "Final team", kind=PlacementType.FINAL_100)  # no first placement offered
    step_up = student(hei, "S1", route=Route.STEP_UP, stage=StudentStage.FIRST_70)
    result = build_run(year=year_2019()).result
    assert result.assignments == ()
    assert {u.student_id for u in result.unplaced} == {step_up.pk, step_up.pk + STEP_UP_FINAL}


def test_a_step_up_couple_is_never_placed_twice_in_one_setting(
    provider: Organisation, hei: Organisation
) -> None:
    first = offer(provider, "Same team", kind=PlacementType.FIRST_70)
    PlacementOfferFactory.create(
        organisation=provider,
        team=first.team,
        location=first.location,
        slots=1,
        routes=[],
        placement_type=PlacementType.FINAL_100,
        setting=first.setting,
    )
    student(hei, "S1", route=Route.STEP_UP, stage=StudentStage.FIRST_70)
    result = build_run(year=year_2019()).result
    assert result.assignments == ()


def test_a_step_up_student_whose_first_is_matched_needs_only_the_final(
    provider: Organisation, hei: Organisation
) -> None:
    first = offer(provider, "First team", kind=PlacementType.FIRST_70)
    final = offer(provider, "Final team", kind=PlacementType.FINAL_100)
    step_up = student(hei, "S1", route=Route.STEP_UP, stage=StudentStage.FIRST_70)
    Placement.objects.create(
        student=step_up,
        organisation=provider,
        team=first.team,
        offer=first,
        academic_year=year_2019(),
        placement_type=PlacementType.FIRST_70,
        days=70,
        status=PlacementStatus.MATCHED,
    )
    run = build_run(year=year_2019())
    assert run.problem.students.ids.tolist() == [step_up.pk + STEP_UP_FINAL]
    assert not run.problem.couples
    assert [a.offer_id for a in run.result.assignments] == [final.pk]


def test_a_stored_run_writes_and_confirms_both_placements_of_a_step_up_student(
    provider: Organisation, hei: Organisation
) -> None:
    first = offer(provider, "First team", kind=PlacementType.FIRST_70)
    final = offer(provider, "Final team", kind=PlacementType.FINAL_100)
    step_up = student(hei, "S1", route=Route.STEP_UP, stage=StudentStage.FIRST_70)
    rank(step_up, "childrens")
    record = AllocationRun.objects.create(
        partnership=provider.partnership, organisation=hei, academic_year=year_2019()
    )
    services.execute_run(record)
    record.refresh_from_db()
    assert record.status == RunStatus.FINISHED, record.error
    proposals = set(record.proposals.values_list("student_id", "offer_id"))
    assert proposals == {(step_up.pk, first.pk), (step_up.pk, final.pk)}
    # counted from the rows, the student once
    assert (record.placed, record.unplaced) == (1, 0)
    listed = with_counts(AllocationRun.objects.unscoped("test").filter(pk=record.pk)).get()
    assert (listed.placed, listed.unplaced) == (1, 0)
    assert all(
        "first-choice service area" in text
        for text in record.proposals.values_list("explanation", flat=True)
    )
    services.confirm_run(actor=None, run=record)
    matched = set(
        Placement.objects.unscoped("test")
        .filter(student=step_up, status=PlacementStatus.MATCHED)
        .values_list("placement_type", "offer_id")
    )
    assert matched == {(PlacementType.FIRST_70, first.pk), (PlacementType.FINAL_100, final.pk)}


def test_a_step_up_couple_left_out_is_one_unplaced_row_saying_the_rule_binds(
    provider: Organisation, hei: Organisation
) -> None:
    offer(provider, "Final team", kind=PlacementType.FINAL_100)
    step_up = student(hei, "S1", route=Route.STEP_UP, stage=StudentStage.FIRST_70)
    record = AllocationRun.objects.create(
        partnership=provider.partnership, organisation=hei, academic_year=year_2019()
    )
    services.execute_run(record)
    (row,) = record.unplaced_students.all()
    assert row.student_id == step_up.pk
    assert record.proposals.count() == 0
    assert (record.placed, record.unplaced) == (0, 1)


def test_a_pin_of_a_step_up_student_to_a_final_offer_holds_for_their_final_entry(
    provider: Organisation, hei: Organisation
) -> None:
    offer(provider, "First team", kind=PlacementType.FIRST_70)
    offer(provider, "Final A", kind=PlacementType.FINAL_100)
    final_b = offer(provider, "Final B", kind=PlacementType.FINAL_100)
    step_up = student(hei, "S1", route=Route.STEP_UP, stage=StudentStage.FIRST_70)
    run = build_run(year=year_2019(), pinned=[(step_up.pk, final_b.pk)])
    placed = {a.student_id: a.offer_id for a in run.result.assignments}
    assert placed[step_up.pk + STEP_UP_FINAL] == final_b.pk

"""Allocation runs kept in the database: started from the page as a background task, proposals
and unplaced students stored with their reasons, pins and forbids, confirmation once, scope."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django import DjangoCaptureOnCommitCallbacks

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership, WorkerHeartbeat
from practica.core.services import ensure_academic_year
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
    TeamFactory,
    member,
)
from practica.placements.allocation_models import (
    AllocationConstraint,
    AllocationRun,
    ConstraintKind,
    RunStatus,
)
from practica.placements.models import (
    Placement,
    PlacementOffer,
    PlacementStatus,
    Route,
    Student,
    StudentStage,
)
from practica.placements.runs import services
from practica.placements.tests.allocation_factories import AllocationRunFactory
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
    year_2019,
)

pytestmark = pytest.mark.django_db


@dataclass
class Cohort:
    provider: Organisation
    near: PlacementOffer  # in the students' town, one slot
    far: PlacementOffer  # 30 minutes away, one slot
    b1: Student
    b2: Student
    b3: Student  # MA: neither offer takes MA students


def offer_in(provider: Organisation, town: str, **fields: Any) -> PlacementOffer:
    location = provider.locations.filter(name=town).first() or LocationFactory.create(
        organisation=provider, name=town
    )
    team = TeamFactory.create(organisation=provider, location=location, name=f"{town} team")
    fields.setdefault("routes", [Route.BA])
    return PlacementOfferFactory.create(
        organisation=provider, team=team, location=location, slots=1, **fields
    )


@pytest.fixture
def cohort(partnership: Partnership, org_a: Organisation, org_b: Organisation) -> Cohort:
    """org_a (a local authority) offers two final placements to BA students, one in the
    students' town and one 30 minutes away; org_b (a university) has three students."""
    from practica.placements import services as placement_services

    placement_services.record_travel_time(
        actor=None, from_location="Dover", to_location="Deal", minutes=30
    )

    def student(ref: str, route: str = Route.BA) -> Student:
        return StudentFactory.create(
            hei=org_b,
            student_ref=ref,
            route=route,
            stage=StudentStage.FINAL_100,
            home_location="Dover",
            travel_limit_minutes=60,
        )

    return Cohort(
        provider=org_a,
        near=offer_in(org_a, "Dover"),
        far=offer_in(org_a, "Deal"),
        b1=student("B1"),
        b2=student("B2"),
        b3=student("M3", Route.MA),
    )


def start(client: Client, capture: DjangoCaptureOnCommitCallbacks, **data: Any) -> AllocationRun:
    with capture(execute=True):
        response = client.post(
            reverse("placements:allocation-list"),
            {"academic_year": year_2019().pk, **data},
        )
    assert response.status_code == 302, response.content
    run = AllocationRun.objects.unscoped("test").get(pk=response["Location"].split("/")[-2])
    return run


Start = Callable[..., AllocationRun]


@pytest.fixture
def run_as(
    client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> Callable[[User], Start]:
    def as_user(user: User) -> Start:
        client.force_login(user)
        return lambda **data: start(client, django_capture_on_commit_callbacks, **data)

    return as_user


def test_a_universitys_coordinator_runs_an_allocation_and_reads_why(
    client: Client, cohort: Cohort, charlie: User, run_as: Callable[[User], Start]
) -> None:
    run = run_as(charlie)()

    assert run.status == RunStatus.FINISHED
    assert run.organisation == cohort.b1.hei
    assert (run.placed, run.unplaced) == (2, 1)
    assert run.optimal
    assert run.certificate_checked
    proposals = {p.student.student_ref: p for p in run.proposals.all()}
    assert {p.offer_id for p in proposals.values()} == {cohort.near.pk, cohort.far.pk}
    assert all("offer accepting BA" in p.explanation for p in proposals.values())
    unplaced = run.unplaced_students.get()
    assert unplaced.student == cohort.b3
    assert unplaced.binding == "no_feasible_offer"
    page = client.get(run.get_absolute_url()).content.decode()
    for text in ("Students placed", "Students not placed", "M3", "Dover team", "Deal team"):
        assert text in page
    assert unplaced.reason[1:30] in page  # shown with a capital first letter


def test_the_run_page_polls_until_the_run_is_finished_then_reloads(
    client: Client, cohort: Cohort, charlie: User
) -> None:
    run = AllocationRunFactory.create(organisation=cohort.b1.hei, status=RunStatus.QUEUED)
    client.force_login(charlie)

    waiting = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    services.process_allocation.call(run.pk)
    done = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"


def test_a_stopped_worker_is_said_and_the_run_can_be_started_again(
    client: Client, cohort: Cohort, charlie: User
) -> None:
    stuck = AllocationRunFactory.create(organisation=cohort.b1.hei, status=RunStatus.RUNNING)
    client.force_login(charlie)

    page = client.get(stuck.get_absolute_url()).content.decode()
    assert "The background worker is not running" in page
    response = client.post(reverse("placements:allocation-again", args=[stuck.pk]))
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.FAILED
    assert "worker stopped" in stuck.error
    assert response["Location"] != stuck.get_absolute_url()


def test_a_run_its_worker_is_still_going_with_is_not_started_again(
    client: Client, cohort: Cohort, charlie: User
) -> None:
    running = AllocationRunFactory.create(
        organisation=cohort.b1.hei, status=RunStatus.RUNNING, started_at=timezone.now()
    )
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="alive", started_at=now - datetime.timedelta(hours=1), last_seen=now
    )
    client.force_login(charlie)

    assert (
        "The background worker is not running"
        not in client.get(running.get_absolute_url()).content.decode()
    )
    response = client.post(reverse("placements:allocation-again", args=[running.pk]), follow=True)
    assert "This run is still going" in response.content.decode()
    running.refresh_from_db()
    assert running.status == RunStatus.RUNNING
    assert AllocationRun.objects.unscoped("test").count() == 1


def test_a_pinned_pair_is_proposed_and_a_forbidden_one_never(
    client: Client, cohort: Cohort, charlie: User, run_as: Callable[[User], Start]
) -> None:
    start = run_as(charlie)
    first = start()
    b1_offer = first.proposals.get(student=cohort.b1).offer
    other = cohort.far if b1_offer == cohort.near else cohort.near

    response = client.post(
        reverse("placements:allocation-constraint-add", args=[first.pk]),
        {"student": cohort.b1.pk, "offer": other.pk, "kind": ConstraintKind.PIN},
    )
    assert response.status_code == 302
    second = start()
    pinned = second.proposals.get(student=cohort.b1)
    assert (pinned.offer, pinned.pinned) == (other, True)
    assert any("B1 pinned to" in sentence for sentence in second.constraints_used)

    client.post(
        reverse("placements:allocation-constraint-add", args=[second.pk]),
        {"student": cohort.b1.pk, "offer": other.pk, "kind": ConstraintKind.FORBID},
    )
    assert AllocationConstraint.objects.unscoped("test").get().kind == ConstraintKind.FORBID
    third = start()
    assert third.proposals.get(student=cohort.b1).offer != other


def test_a_pin_that_cannot_hold_fails_the_run_saying_which_and_why(
    client: Client, cohort: Cohort, charlie: User, run_as: Callable[[User], Start]
) -> None:
    first = run_as(charlie)()
    client.post(
        reverse("placements:allocation-constraint-add", args=[first.pk]),
        {"student": cohort.b3.pk, "offer": cohort.near.pk, "kind": ConstraintKind.PIN},
    )
    second = run_as(charlie)()

    assert second.status == RunStatus.FAILED
    assert second.error.startswith("M3 cannot be pinned to Dover team: the offer is")
    assert "not accepting the student's route" in second.error
    assert escape(second.error) in client.get(second.get_absolute_url()).content.decode()


def test_a_pin_can_be_removed(
    client: Client, cohort: Cohort, charlie: User, run_as: Callable[[User], Start]
) -> None:
    run = run_as(charlie)()
    client.post(
        reverse("placements:allocation-constraint-add", args=[run.pk]),
        {"student": cohort.b1.pk, "offer": cohort.near.pk, "kind": ConstraintKind.PIN},
    )
    pin = AllocationConstraint.objects.unscoped("test").get()

    client.post(reverse("placements:allocation-constraint-remove", args=[run.pk, pin.pk]))

    assert not AllocationConstraint.objects.unscoped("test").exists()
    assert pin.history.count() == 2  # created, deleted


def test_confirming_records_matched_placements_once(
    client: Client, cohort: Cohort, charlie: User, run_as: Callable[[User], Start]
) -> None:
    run = run_as(charlie)()
    review = client.get(reverse("placements:allocation-confirm", args=[run.pk]))
    assert "Confirm 2 proposed placements" in review.content.decode()
    assert not Placement.objects.unscoped("test").exists()  # nothing until confirmed

    client.post(reverse("placements:allocation-confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == RunStatus.CONFIRMED
    assert run.placements_recorded == 2
    matched = set(
        Placement.objects.unscoped("test")
        .filter(status=PlacementStatus.MATCHED)
        .values_list("student_id", "offer_id")
    )
    assert matched == set(run.proposals.values_list("student_id", "offer_id"))

    again = client.post(reverse("placements:allocation-confirm", args=[run.pk]), follow=True)
    assert "already confirmed by" in again.content.decode()
    assert "a run is confirmed only once" in again.content.decode()
    assert Placement.objects.unscoped("test").count() == 2


def test_a_run_whose_students_were_placed_since_is_not_confirmed(
    client: Client, cohort: Cohort, charlie: User, run_as: Callable[[User], Start]
) -> None:
    older = run_as(charlie)()
    newer = run_as(charlie)()
    client.post(reverse("placements:allocation-confirm", args=[newer.pk]))

    response = client.post(reverse("placements:allocation-confirm", args=[older.pk]), follow=True)

    assert "have been placed since this run" in response.content.decode()
    older.refresh_from_db()
    assert older.status == RunStatus.FINISHED
    assert Placement.objects.unscoped("test").count() == 2


def test_a_practice_educator_takes_one_student_at_a_time(
    cohort: Cohort, charlie: User, run_as: Callable[[User], Start]
) -> None:
    educator = PracticeEducatorFactory.create()
    PlacementOffer.objects.unscoped("test").filter(pk__in=[cohort.near.pk, cohort.far.pk]).update(
        practice_educator=educator
    )

    run = run_as(charlie)()

    assert (run.placed, run.unplaced) == (1, 2)
    full = run.unplaced_students.get(student__route=Route.BA)
    assert full.binding == "offers_full"


def test_a_practice_educator_already_supervising_this_year_takes_no_one_more(
    cohort: Cohort, charlie: User, run_as: Callable[[User], Start]
) -> None:
    educator = PracticeEducatorFactory.create()
    PlacementOffer.objects.unscoped("test").filter(pk=cohort.near.pk).update(
        practice_educator=educator
    )
    PlacementFactory.create(
        organisation=cohort.provider,
        practice_educator=educator,
        status=PlacementStatus.MATCHED,
    )

    run = run_as(charlie)()

    assert set(run.proposals.values_list("offer_id", flat=True)) == {cohort.far.pk}


def test_the_partnership_manager_runs_for_the_whole_partnership_or_one_university(
    cohort: Cohort, manager: User, other_hei: Organisation, run_as: Callable[[User], Start]
) -> None:
    StudentFactory.create(
        hei=other_hei, route=Route.BA, stage=StudentStage.FINAL_100, home_location="Dover"
    )
    start = run_as(manager)

    whole = start()
    assert whole.organisation is None
    assert whole.placed + whole.unplaced == 4
    narrowed = start(organisation=other_hei.pk)
    assert narrowed.organisation == other_hei
    assert narrowed.placed + narrowed.unplaced == 1


def test_a_run_of_another_partnership_places_none_of_ours(
    cohort: Cohort, run_as: Callable[[User], Start]
) -> None:
    elsewhere = OrganisationFactory.create(partnership=PartnershipFactory.create(), kind="hei")
    run = run_as(member(Role.COORDINATOR, elsewhere))()
    assert (run.placed, run.unplaced) == (0, 0)


def test_another_universitys_coordinator_cannot_see_or_change_the_run(
    client: Client, cohort: Cohort, charlie: User, dora: User, run_as: Callable[[User], Start]
) -> None:
    run = run_as(charlie)()
    client.force_login(dora)

    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.post(reverse("placements:allocation-confirm", args=[run.pk])).status_code == 404
    assert run not in client.get(reverse("placements:allocation-list")).context["listing"].page


def test_a_local_authoritys_coordinator_does_not_allocate(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get(reverse("placements:allocation-list")).status_code == 403


def test_a_pin_names_only_students_of_the_run_and_offers_of_its_year(
    client: Client, cohort: Cohort, charlie: User, dora: User, run_as: Callable[[User], Start]
) -> None:
    run = run_as(charlie)()
    stranger = StudentFactory.create(hei=dora.memberships.get().organisation)
    later = PlacementOfferFactory.create(
        organisation=cohort.provider, academic_year=ensure_academic_year(start_year=2020)
    )

    for data in (
        {"student": stranger.pk, "offer": cohort.near.pk},
        {"student": cohort.b1.pk, "offer": later.pk},
    ):
        response = client.post(
            reverse("placements:allocation-constraint-add", args=[run.pk]),
            {**data, "kind": ConstraintKind.PIN},
            follow=True,
        )
        assert "Nothing was changed" in response.content.decode()
    assert not AllocationConstraint.objects.unscoped("test").exists()


def test_the_run_page_shows_its_proposals_and_unplaced_students_a_page_at_a_time(
    client: Client, org_a: Organisation, org_b: Organisation, charlie: User
) -> None:
    """A national run holds thousands of students: each list is paginated on its own."""
    from practica.placements.allocation_models import AllocationProposal, UnplacedStudent

    run = AllocationRunFactory.create(organisation=org_b)
    offer = PlacementOfferFactory.create(organisation=org_a)
    for number in range(30):
        AllocationProposal.objects.create(
            run=run,
            student=StudentFactory.create(hei=org_b, student_ref=f"P{number:02d}"),
            offer=offer,
            cost=1,
            explanation="nearest",
        )
        UnplacedStudent.objects.create(
            run=run,
            student=StudentFactory.create(hei=org_b, student_ref=f"U{number:02d}"),
            binding="no_feasible_offer",
            reason="no offer",
        )
    client.force_login(charlie)

    first = client.get(run.get_absolute_url()).content.decode()
    second = client.get(run.get_absolute_url() + "?proposals_page=2").content.decode()

    assert "(P24)" in first
    assert "(P25)" not in first
    assert "(U24)" in first
    assert "(U25)" not in first
    assert "Proposals (30)" in first
    assert "Students not placed (30)" in first
    assert "proposals_page=2" in first
    assert "unplaced_page=2" in first
    assert "(P25)" in second
    assert "(P24)" not in second
    assert "(U24)" in second  # the other list stays on its first page

"""Who sees offers and placements: the providing organisation's coordinators manage them, the
student's university follows its students' placements, the practice educator and on-site
supervisor see those they supervise, the student their own, the partnership manager reads all."""

from __future__ import annotations

import pytest

from practica.accounts import permissions
from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory, member
from practica.placements import selectors
from practica.placements.models import Placement, PlacementOffer, Student
from practica.placements.tests.factories import (
    PlacementFactory,
    PlacementOfferFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_la(partnership: Partnership) -> Organisation:
    return OrganisationFactory.create(partnership=partnership, code="ZZZ", name="Zeta Council")


@pytest.fixture
def placement(org_a: Organisation, org_b: Organisation) -> Placement:
    educator_user = member(Role.PRACTICE_EDUCATOR, org_a, email="pe@example.test")
    student_user = member(Role.STUDENT, org_b, email="student@example.test")
    supervisor_user = member(Role.PRACTITIONER_TEACHER, org_a, email="sup@example.test")
    return PlacementFactory.create(
        organisation=org_a,
        student=StudentFactory.create(
            hei=org_b, person=PersonFactory.create(organisation=org_b, user=student_user)
        ),
        practice_educator=PracticeEducatorFactory.create(
            person=PersonFactory.create(organisation=org_a, user=educator_user)
        ),
        onsite_supervisor=PersonFactory.create(organisation=org_a, user=supervisor_user),
    )


def elsewhere_hei() -> Organisation:
    """A university of another partnership."""
    return OrganisationFactory.create(kind="hei", partnership__name="Elsewhere")


def sees(user: User, record: Placement | PlacementOffer | Student, ability: str = "view") -> bool:
    return permissions.can(user, ability, record)


def test_the_providing_coordinator_manages_and_the_university_follows(
    placement: Placement, alice: User, charlie: User, other_la: Organisation
) -> None:
    assert sees(alice, placement, "manage")
    assert sees(charlie, placement)
    assert not sees(charlie, placement, "manage")
    assert not sees(member(Role.COORDINATOR, other_la), placement)
    assert not sees(member(Role.COORDINATOR, elsewhere_hei()), placement)


def test_the_educator_supervisor_and_student_see_their_own_placement_only(
    placement: Placement, org_a: Organisation
) -> None:
    for email in ("pe@example.test", "sup@example.test", "student@example.test"):
        user = User.objects.get(email=email)
        assert sees(user, placement)
        assert not sees(user, placement, "manage")
        assert not sees(user, PlacementFactory.create(organisation=org_a))
    assert not sees(member(Role.PRACTICE_EDUCATOR, org_a), placement)


def test_the_partnership_manager_reads_everything_and_changes_nothing(
    placement: Placement, manager: User
) -> None:
    assert sees(manager, placement)
    assert not sees(manager, placement, "manage")
    offer = PlacementOfferFactory.create(organisation=placement.organisation)
    assert sees(manager, offer)
    assert not sees(manager, offer, "manage")


def test_offers_are_kept_by_their_organisation_and_read_by_the_universities(
    org_a: Organisation, alice: User, charlie: User, other_la: Organisation
) -> None:
    offer = PlacementOfferFactory.create(organisation=org_a)
    assert sees(alice, offer, "manage")
    assert sees(charlie, offer)
    assert not sees(charlie, offer, "manage")
    assert not sees(member(Role.COORDINATOR, other_la), offer)
    assert not sees(member(Role.COORDINATOR, elsewhere_hei()), offer)


def test_the_placing_organisation_and_the_educator_read_the_student(
    placement: Placement, alice: User, other_la: Organisation
) -> None:
    student = placement.student
    assert sees(alice, student)
    assert not sees(alice, student, "manage")
    assert sees(User.objects.get(email="pe@example.test"), student)
    assert sees(User.objects.get(email="student@example.test"), student)
    assert not sees(member(Role.COORDINATOR, other_la), student)


def test_lists_show_each_placement_once_however_many_paths_lead_to_it(
    placement: Placement, manager: User, charlie: User
) -> None:
    assert list(selectors.placements_visible_to(manager)) == [placement]
    assert list(selectors.placements_visible_to(charlie)) == [placement]
    assert list(selectors.own_placements(User.objects.get(email="student@example.test"))) == [
        placement
    ]

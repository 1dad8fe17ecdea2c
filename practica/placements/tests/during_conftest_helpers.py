"""A placement under way with a student, a practice educator and an on-site supervisor who
each have an account: org_a (Alpha Council) provides it, org_b (Beta University) is the
student's university."""

from __future__ import annotations

from dataclasses import dataclass

from practica.accounts.models import Role, User
from practica.core.models import Organisation
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.organisations.tests.factories import PersonFactory, member
from practica.placements.models import Placement, PlacementStatus
from practica.placements.tests.factories import PlacementFactory, StudentFactory


@dataclass
class People:
    placement: Placement
    student: User
    educator: User
    supervisor: User


def placement_under_way(org_a: Organisation, org_b: Organisation) -> People:
    student = member(Role.STUDENT, org_b, email="student@example.test")
    educator = member(Role.PRACTICE_EDUCATOR, org_a, email="pe@example.test")
    supervisor = member(Role.PRACTITIONER_TEACHER, org_a, email="sup@example.test")
    placement = PlacementFactory.create(
        organisation=org_a,
        confirmed=True,
        status=PlacementStatus.IN_PROGRESS,
        student=StudentFactory.create(
            hei=org_b, person=PersonFactory.create(organisation=org_b, user=student)
        ),
        practice_educator=PracticeEducatorFactory.create(
            person=PersonFactory.create(organisation=org_a, user=educator)
        ),
        onsite_supervisor=PersonFactory.create(organisation=org_a, user=supervisor),
    )
    return People(placement, student, educator, supervisor)

"""Which students a university still has to place in a year."""

from __future__ import annotations

import pytest

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.placements import selectors
from practica.placements.models import PlacementStatus, PlacementType
from practica.placements.tests.factories import PlacementFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_a_student_is_unplaced_until_a_placement_in_the_year_stands(
    org_a: Organisation, org_b: Organisation, charlie: User
) -> None:
    waiting = StudentFactory.create(hei=org_b, stage="first_70", student_ref="WAIT")
    requested = StudentFactory.create(hei=org_b, stage="first_70", student_ref="REQ")
    PlacementFactory.create(
        organisation=org_a, student=requested, placement_type=PlacementType.FIRST_70, days=70
    )
    ended = StudentFactory.create(hei=org_b, stage="final_100", student_ref="END")
    PlacementFactory.create(
        organisation=org_a, student=ended, status=PlacementStatus.ENDED_EARLY, ended_reason="Ill"
    )
    StudentFactory.create(hei=org_b, stage="done", student_ref="DONE")
    StudentFactory.create(hei=org_b, stage="", student_ref="UNKNOWN")
    unplaced = selectors.unplaced_students(charlie, 2019)
    assert sorted(student.student_ref for student in unplaced) == ["END", "WAIT"]
    assert list(selectors.unplaced_students(charlie, 2020).order_by("student_ref")) == [
        ended,
        requested,
        waiting,
    ]

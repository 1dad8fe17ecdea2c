"""``core.constraint_check`` evaluates check constraints in Python as the database does: for
every check constraint of the models the big imports check, over records built to meet and to
break each one (and with NULLs), its answer is the database's (``Q.check``, what
``full_clean`` asks), and ``full_clean`` gives ``Model.full_clean``'s errors."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from practica.core import constraint_check
from practica.core.models import Organisation
from practica.educators.models import PracticeEducator, PracticeEducatorActivity
from practica.educators.register.models import CurrencyRule
from practica.placements.models import Student

pytestmark = pytest.mark.django_db

EARLY, LATE = datetime.date(2015, 7, 1), datetime.date(2017, 7, 1)


def database_says(constraint: models.CheckConstraint, instance: models.Model) -> bool:
    try:
        constraint.validate(type(instance), instance)
    except ValidationError:
        return False
    return True


def entries() -> list[PracticeEducator]:
    stages = ["none", "stage1", "stage2_training", "stage2", "bogus"]
    dates = [None, EARLY, LATE]
    return [
        PracticeEducator(peps_stage=stage, stage1_date=one, stage2_date=two, reviewed_on=on)
        for stage, one, two, on in itertools.product(stages, dates, dates, [None, EARLY])
    ]


def activities() -> list[PracticeEducatorActivity]:
    return [
        PracticeEducatorActivity(kind=kind, started_on=start, ended_on=end)
        for kind, start, end in itertools.product(
            ["student_pe", "other"], [EARLY, LATE], [None, EARLY, LATE]
        )
    ]


def students() -> list[Student]:
    return [
        Student(
            student_ref=ref,
            route=route,
            year_of_study=year,
            travel_limit_minutes=limit,
            stage=stage,
            needs=needs,
            needs_consent=consent,
            needs_consent_on=on,
        )
        for ref, route, year, limit, stage, needs, consent, on in itertools.product(
            ["", "S1"],
            ["ba", "phd"],
            [0, 2],
            [None, 60, 5000],
            ["", "first_70", "x"],
            ["", "a need"],
            [False, True],
            [None, EARLY],
        )
    ]


def rules() -> list[CurrencyRule]:
    return [
        CurrencyRule(
            months_since_student=a, months_since_training=b, warning_months=c, review_months=d
        )
        for a, b, c, d in itertools.product([0, 3, 24], [0, 3, 24], [0, 3, 30], [0, 12])
    ]


@pytest.mark.parametrize("make", [entries, activities, students, rules])
def test_each_check_constraint_is_answered_as_the_database_answers_it(make: Any) -> None:
    told = 0
    instances = make()
    for instance in instances:
        for constraint in instance._meta.constraints:
            answer = constraint_check.holds(constraint, instance)
            if answer is None:
                continue
            told += 1
            assert answer == database_says(constraint, instance), (constraint.name, instance)
    # the constraints these imports check are evaluated here, not left to the database
    assert told >= 2 * len(instances)


def test_full_clean_gives_the_errors_model_full_clean_gives(org_a: Organisation) -> None:
    for instance in entries()[:60]:
        expected: dict[str, list[str]] | None = None
        try:
            instance.full_clean(exclude=["person"])
        except ValidationError as error:
            expected = error.message_dict
        try:
            constraint_check.full_clean(instance, exclude=["person"])
            got = None
        except ValidationError as error:
            got = error.message_dict
        assert got == expected

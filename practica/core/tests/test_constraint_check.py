"""``core.constraint_check`` evaluates check constraints in Python as the database does: for
every check constraint of the models the big imports check, over records built to meet and to
break each one (and with NULLs), its answer is the database's (``Q.check``, what
``full_clean`` asks), and ``full_clean`` gives ``Model.full_clean``'s errors."""

from __future__ import annotations

import datetime
import itertools
from contextlib import nullcontext
from functools import partial
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


def _errors(clean: Any) -> dict[str, list[str]] | None:
    try:
        clean()
    except ValidationError as error:
        return error.message_dict
    return None


def test_with_proofs_kept_the_errors_are_those_of_model_full_clean(org_a: Organisation) -> None:
    """While proofs are kept (an import's batch), every record still gets ``full_clean``'s
    errors: each checked twice, as an import checks a row and then applies it."""
    with constraint_check.proofs_kept():
        for instance in [*entries(), *entries()]:
            assert _errors(
                partial(constraint_check.full_clean, instance, exclude=["person"])
            ) == _errors(partial(instance.full_clean, exclude=["person"]))
            assert _errors(
                partial(
                    constraint_check.clean_model,
                    instance,
                    exclude=["person"],
                    validate_constraints=False,
                )
            ) == _errors(
                partial(instance.full_clean, exclude=["person"], validate_constraints=False)
            )


def test_a_value_found_valid_is_not_cleaned_again_while_proofs_are_kept(
    org_a: Organisation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A value a field accepted unchanged is cleaned once while proofs are kept (a value it
    refused, every time; outside, every time), and each record's ``clean`` runs every time."""
    field = PracticeEducator._meta.get_field("peps_stage")
    assert isinstance(field, models.Field)
    cleaned: list[object] = []
    checked: list[object] = []
    original, rule = type(field).clean, PracticeEducator.clean

    def counted(self: models.Field[Any, Any], value: Any, instance: Any) -> Any:
        if self is field:
            cleaned.append(value)
        return original(self, value, instance)

    def clean(self: PracticeEducator) -> None:
        checked.append(self)
        rule(self)

    monkeypatch.setattr(type(field), "clean", counted)
    monkeypatch.setattr(PracticeEducator, "clean", clean)

    def entry(stage: str) -> PracticeEducator:
        return PracticeEducator(peps_stage=stage)

    with constraint_check.proofs_kept():
        for stage in ["none", "none", "bogus", "bogus", "none"]:
            with pytest.raises(ValidationError) if stage == "bogus" else nullcontext():
                constraint_check.clean_model(entry(stage), exclude=["person"])
    assert cleaned == ["none", "bogus", "bogus"]
    assert len(checked) == 5
    cleaned.clear()
    for stage in ["none", "none"]:
        constraint_check.clean_model(entry(stage), exclude=["person"])
    assert cleaned == ["none", "none"]

"""Choice columns take the labels people see in Practica as well as the codes; an export
writes the code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practica.accounts import permissions
from practica.educators.models import ActivityKind, Outcome, PepsStage
from practica.imports import parsers as p
from practica.imports.framework import ImportCellError, ImportContext

CTX = ImportContext(actor=None, viewer=permissions.OPERATOR)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("In training for PEPS Stage 1", PepsStage.STAGE1_TRAINING),
        ("  in training for peps  stage 1 ", PepsStage.STAGE1_TRAINING),
        ("stage1_training", PepsStage.STAGE1_TRAINING),
        ("STAGE2", PepsStage.STAGE2),
        ("Not trained", PepsStage.NONE),
    ],
)
def test_a_label_or_a_code_reads_as_the_code(typed: str, code: str) -> None:
    cell = p.choice(PepsStage)
    assert cell.parse(typed, CTX) == code
    assert cell.write(cell.parse(typed, CTX)) == code


def test_an_unknown_value_names_the_codes_as_before() -> None:
    with pytest.raises(ImportCellError, match="is not one of: Enrolled, Passed, Not passed"):
        p.choice(Outcome).parse("failed", CTX)


def test_activities_can_be_listed_by_label() -> None:
    cell = p.multi_choice(ActivityKind)
    typed = "Practice educator for social work students; PEPS assessor or mentor"
    assert set(cell.parse(typed, CTX)) == {ActivityKind.STUDENT_PE, ActivityKind.PEPS_ASSESSOR}
    assert cell.write(cell.parse(typed, CTX)) == "student_pe;peps_assessor"


def test_curly_and_straight_apostrophes_are_the_same() -> None:
    from practica.learning.events.models import Audience

    cell = p.choice(Audience)
    label = str(Audience.PRACTITIONERS.label)
    assert cell.parse(label.replace("'", "\u2019"), CTX) == Audience.PRACTITIONERS


@given(st.sampled_from(list(Outcome)), st.sampled_from([str.lower, str.upper, str.title]))
def test_every_label_in_any_case_reads_as_its_code(outcome: Outcome, case: object) -> None:
    assert callable(case)
    assert p.choice(Outcome).parse(case(str(outcome.label)), CTX) == outcome.value

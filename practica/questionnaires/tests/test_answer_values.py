"""Property: whatever a respondent may answer reads back the same from its cell (what an export
writes and an import reads), so loaded and exported answers never drift."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practica.questionnaires import services
from practica.questionnaires.models import Answer, Questionnaire
from practica.questionnaires.tests.factories import published

ANSWERS = st.fixed_dictionaries(
    {
        "supervision": st.sampled_from(["1", "2", "3", "4", "5", "Agree", "strongly DISAGREE"]),
        "setting": st.sampled_from(["statutory", "Voluntary"]),
        "induction": st.sampled_from(["yes", "No"]),
    },
    optional={
        "support": st.lists(st.sampled_from(["tutor", "peer-group", "Library"]), min_size=1),
        "caseload": st.decimals(
            min_value=Decimal("-1000"), max_value=Decimal("1000000"), places=2
        ).map(str),
        "comments": st.text(min_size=1, max_size=200).filter(str.strip),
    },
)


@settings(
    deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=ANSWERS)
def test_every_answer_reads_back_the_same_from_its_cell(
    questionnaire: Questionnaire, answers: dict[str, Any]
) -> None:
    version = published(questionnaire)
    parsed = services.parse_answers(version, answers, complete=True)
    questions = {q.code: q for q in services.questions_of(version)}
    for code, value in parsed.items():
        answer = Answer(
            question=questions[code],
            number=value.number,
            chosen=list(value.chosen),
            text=value.text,
        )
        cell: Any = answer.as_cell()
        if questions[code].type == "multiple":
            cell = [part.strip() for part in cell.split(";")]
        again = services.parse_answers(version, {code: cell}, complete=False)[code]
        assert again == value

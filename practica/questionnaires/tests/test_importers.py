"""The import kinds: questionnaires (one row per question), their versions, and answers (one
row per respondent and question) — past paper evaluations load all or nothing, and every
questionnaire and answer exports and imports back the same."""

from __future__ import annotations

from typing import Any

import pytest

from practica.accounts import permissions
from practica.core.models import Organisation, Person
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.questionnaires import selectors, services
from practica.questionnaires.models import Answer, Question, Questionnaire, Response
from practica.questionnaires.tests.factories import FULL_ANSWERS, make_questionnaire, published

KINDS = ("questionnaires", "questionnaire-versions", "questionnaire-responses")

QUESTIONS = """organisation,questionnaire,name,whole_partnership,anonymous,version,section,question,text,type,required,choices
AAA,paper-evaluation,Paper evaluation,no,no,1,The placement,supervision,Supervision was regular,likert,yes,
AAA,paper-evaluation,Paper evaluation,no,no,1,The placement,setting,Setting,single,yes,Statutory; Voluntary
AAA,paper-evaluation,Paper evaluation,no,no,1,Overall,comments,Comments,text,no,
"""
VERSIONS = """organisation,questionnaire,version,published_at
AAA,paper-evaluation,1,2019-09-02 09:00
"""


def test_a_paper_evaluation_loads_with_its_questions_version_and_answers(
    org_a: Organisation,
) -> None:
    answers = """organisation,questionnaire,version,respondent,respondent_organisation,academic_year,submitted_on,question,answer
AAA,paper-evaluation,1,form-1,AAA,2019/20,2020-06-30,supervision,Agree
AAA,paper-evaluation,1,form-1,AAA,2019/20,2020-06-30,setting,Statutory
AAA,paper-evaluation,1,form-1,AAA,2019/20,2020-06-30,comments,Well supported
AAA,paper-evaluation,1,form-2,AAA,2019/20,2020-07-01,supervision,5
"""
    errors, result = import_text(
        ("questionnaires", QUESTIONS),
        ("questionnaire-versions", VERSIONS),
        ("questionnaire-responses", answers),
    )

    assert errors == []
    assert result.applied
    questionnaire = Questionnaire.objects.unscoped("test").get()
    version = published(questionnaire)
    assert [s.title for s in version.sections.all()] == ["The placement", "Overall"]
    assert version.published_at is not None
    assert version.published_at.year == 2019
    first = Response.objects.get(respondent_ref="form-1")
    assert {a.question.code: a.as_cell() for a in first.answers.all()} == {
        "supervision": "4",
        "setting": "statutory",
        "comments": "Well supported",
    }
    assert first.academic_year is not None
    assert first.academic_year.label == "2019/20"
    assert Response.objects.get(respondent_ref="form-2").answers.get().number == 5


def test_a_file_with_a_bad_row_loads_nothing_and_names_each_problem(
    org_a: Organisation,
) -> None:
    import_text(("questionnaires", QUESTIONS), ("questionnaire-versions", VERSIONS))
    answers = """organisation,questionnaire,version,respondent,submitted_on,question,answer
AAA,paper-evaluation,1,form-1,2020-06-30,supervision,4
AAA,paper-evaluation,1,form-1,2020-06-30,setting,Sometimes
AAA,paper-evaluation,1,form-2,2020-06-30,workload,3
AAA,paper-evaluation,2,form-3,2020-06-30,supervision,3
AAA,paper-evaluation,1,form-1,2020-07-30,comments,Changed day
"""
    errors, result = import_text(("questionnaire-responses", answers))

    assert not result.applied
    assert errors[0].startswith("row 3, column answer: “Sometimes” is not an answer to “Setting”")
    assert errors[1] == "row 4, column question: version 1 asks no such question."
    assert errors[2].startswith("row 5, column version: no such questionnaire version")
    assert errors[3].startswith("row 6, column respondent: differs from the respondent's")
    assert len(errors) == 4
    assert not Response.objects.exists()


def test_an_anonymous_questionnaires_answers_name_no_one(
    org_a: Organisation, students: list[Person]
) -> None:
    make_questionnaire(org_a, name="Session feedback", anonymous=True)
    answers = f"""organisation,questionnaire,version,respondent,submitted_on,email,question,answer
AAA,session-feedback,1,form-1,2020-06-30,{students[0].email},comments,Fine
"""
    errors, _result = import_text(("questionnaire-responses", answers))
    assert errors == ["row 2, column email: the questionnaire is anonymous: name no one."]


def test_a_published_version_gains_no_questions_from_a_file(org_a: Organisation) -> None:
    import_text(("questionnaires", QUESTIONS), ("questionnaire-versions", VERSIONS))
    more = (
        QUESTIONS.splitlines()[0]
        + "\nAAA,paper-evaluation,Paper evaluation,no,no,1,Overall,extra,Extra,text,no,\n"
    )
    errors, _result = import_text(("questionnaires", more))
    assert len(errors) == 1
    assert "published and can no longer change" in errors[0]


def _export() -> dict[str, list[dict[str, str]]]:
    return {kind: get_importer(kind).export_rows(permissions.OPERATOR) for kind in KINDS}


def _answer(questionnaire: Questionnaire, people: list[Person], **changes: Any) -> None:
    distribution = services.distribute(
        actor=None,
        version=published(questionnaire),
        title="2019/20",
        recipients=people,
        send=False,
    )
    for invitation in distribution.invitations.all():
        services.submit_response(invitation=invitation, answers={**FULL_ANSWERS, **changes})


def test_every_questionnaire_and_answer_exports_and_imports_back_the_same(
    org_a: Organisation, students: list[Person]
) -> None:
    named = make_questionnaire(org_a)
    anonymous = make_questionnaire(org_a, name="Session feedback", anonymous=True)
    _answer(named, students[:2])
    _answer(anonymous, students[2:4], comments="Line one\nline two; with =formula")
    draft = services.draft_version(actor=None, questionnaire=named)
    services.add_question(actor=None, section=draft.sections.get(), text="Workload", type="likert")
    before = _export()
    assert len(before["questionnaire-responses"]) == 4 * 6  # one of each kind, answered

    Answer.objects.all().delete()
    Response.objects.all().delete()
    for questionnaire in Questionnaire.objects.unscoped("test"):
        for version in questionnaire.versions.all():
            version.distributions.all().delete()
        questionnaire.versions.all().delete()
        questionnaire.delete()

    errors, result = import_text(*[(kind, as_csv(before[kind])) for kind in KINDS])

    assert errors == []
    assert result.counts() == {
        "create": sum(len(rows) for rows in before.values()),
        "update": 0,
        "unchanged": 0,
    }
    assert _export() == before
    again, result = import_text(*[(kind, as_csv(before[kind])) for kind in KINDS])
    assert again == []
    assert result.counts()["create"] == 0
    assert result.counts()["update"] == 0
    # an anonymous response came back naming no one; a named one names its person again
    assert not Response.objects.filter(
        version__questionnaire__anonymous=True, person__isnull=False
    ).exists()
    assert Response.objects.filter(person=students[0]).count() == 1
    named = Questionnaire.objects.unscoped("test").get(slug="placement-evaluation")
    assert selectors.collate(published(named)).respondents == 2


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_registered_after_what_it_needs(kind: str) -> None:
    from practica.imports.registry import all_importers

    order = [importer.kind for importer in all_importers()]
    for dependency in get_importer(kind).depends_on:
        assert order.index(dependency) < order.index(kind)


def test_a_drafts_question_changes_from_a_file_and_a_published_ones_does_not(
    org_a: Organisation,
) -> None:
    import_text(("questionnaires", QUESTIONS))
    changed = QUESTIONS.replace("Supervision was regular", "Supervision was weekly")

    errors, result = import_text(("questionnaires", changed))

    assert errors == []
    assert result.counts()["update"] == 1
    question = Question.objects.get(code="supervision")
    assert question.text == "Supervision was weekly"
    assert question.position == 1
    import_text(("questionnaire-versions", VERSIONS))
    errors, result = import_text(("questionnaires", QUESTIONS))
    assert not result.applied
    assert any("published and can no longer change" in error for error in errors)

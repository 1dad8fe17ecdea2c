"""A published version never changes; editing starts a new draft copied from the last."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from practica.core.audit import save_audited
from practica.core.models import Organisation, Person
from practica.questionnaires import services
from practica.questionnaires.models import Choice, Question, Questionnaire, QuestionType
from practica.questionnaires.tests.factories import EVERY_KIND, make_questionnaire, published


def test_a_new_questionnaire_starts_with_an_empty_draft(org_a: Organisation) -> None:
    questionnaire = make_questionnaire(org_a, questions=[], publish=False)
    version = services.latest_version(questionnaire)
    assert (version.number, version.is_published) == (1, False)
    assert questionnaire.slug == "placement-evaluation"


def test_an_empty_version_cannot_be_published(org_a: Organisation) -> None:
    questionnaire = make_questionnaire(org_a, questions=[], publish=False)
    with pytest.raises(ValidationError, match="at least one question"):
        services.publish_version(actor=None, version=services.latest_version(questionnaire))


def test_a_published_version_refuses_new_questions_and_sections(
    questionnaire: Questionnaire,
) -> None:
    version = published(questionnaire)
    section = version.sections.get()
    with pytest.raises(ValidationError, match="published"):
        services.add_question(actor=None, section=section, text="More?", type=QuestionType.TEXT)
    with pytest.raises(ValidationError, match="published"):
        services.add_section(actor=None, version=version, title="More")
    with pytest.raises(ValidationError, match="published"):
        services.remove_question(actor=None, question=section.questions.first())  # type: ignore[arg-type]  # there are questions


def test_a_published_versions_records_refuse_to_be_saved_changed(
    questionnaire: Questionnaire,
) -> None:
    version = published(questionnaire)
    question = Question.objects.filter(section__version=version).first()
    assert question is not None
    question.text = "Changed behind the service's back"
    with pytest.raises(ValidationError, match="published"):
        save_audited(question, actor=None)
    choice = Choice.objects.filter(question__section__version=version).first()
    assert choice is not None
    choice.label = "Changed"
    with pytest.raises(ValidationError, match="published"):
        save_audited(choice, actor=None)
    version.published_at = None
    with pytest.raises(ValidationError, match="published"):
        save_audited(version, actor=None)
    question.refresh_from_db()
    assert question.text == "Supervision was regular"


def test_editing_a_published_questionnaire_copies_it_into_a_new_draft(
    questionnaire: Questionnaire,
) -> None:
    first = published(questionnaire)

    draft = services.draft_version(actor=None, questionnaire=questionnaire)
    services.add_question(
        actor=None, section=draft.sections.get(), text="Workload was fair", type="likert"
    )

    assert (draft.number, draft.is_published) == (2, False)
    assert services.draft_version(actor=None, questionnaire=questionnaire) == draft
    codes = [q["code"] for q in EVERY_KIND]
    assert list(Question.objects.filter(section__version=draft).values_list("code", flat=True)) == [
        *codes,
        "workload-was-fair",
    ]
    assert (
        list(Question.objects.filter(section__version=first).values_list("code", flat=True))
        == codes
    )
    assert list(
        Choice.objects.filter(
            question__section__version=draft, question__code="setting"
        ).values_list("value", "label")
    ) == [("statutory", "Statutory"), ("voluntary", "Voluntary")]


def test_a_scale_takes_five_labels_or_the_usual_ones(org_a: Organisation) -> None:
    questionnaire = make_questionnaire(org_a, questions=[], publish=False)
    section = services.add_section(
        actor=None, version=services.latest_version(questionnaire), title="One"
    )
    usual = services.add_question(actor=None, section=section, text="Agree?", type="likert")
    own = services.add_question(
        actor=None,
        section=section,
        text="How good?",
        type="likert",
        choices=["Poor", "Fair", "Good", "Very good", "Excellent"],
    )
    assert usual.options()[0] == ("1", "Strongly disagree")
    assert own.options()[4] == ("5", "Excellent")
    with pytest.raises(ValidationError, match="five labels"):
        services.add_question(
            actor=None, section=section, text="Bad", type="likert", choices=["Low", "High"]
        )
    with pytest.raises(ValidationError, match="at least two"):
        services.add_question(
            actor=None, section=section, text="Pick", type="single", choices=["Only"]
        )


def test_anonymity_is_settled_once_the_questionnaire_is_sent(
    questionnaire: Questionnaire, students: list[Person]
) -> None:
    services.distribute(
        actor=None, version=published(questionnaire), title="2019/20", recipients=students[:1]
    )
    with pytest.raises(ValidationError, match="stays as it is"):
        services.update_questionnaire(
            actor=None, questionnaire=questionnaire, name="Evaluation", anonymous=True
        )

"""The shipped questionnaires: installed once per partnership, published, and answerable."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from practica.core.models import Partnership
from practica.questionnaires import services
from practica.questionnaires.models import Question, Questionnaire
from practica.questionnaires.standard import install_standard_questionnaires


def test_the_evaluation_tool_and_session_feedback_are_installed_once(
    partnership: Partnership,
) -> None:
    out = StringIO()
    call_command("questionnaires-install", stdout=out)
    assert "Added Practice Placement Evaluation Tool: student." in out.getvalue()

    again = install_standard_questionnaires(actor=None, partnership=partnership)

    assert again == []
    questionnaires = Questionnaire.objects.unscoped("test").order_by("slug")
    assert [q.slug for q in questionnaires] == [
        "placement-evaluation-educator",
        "placement-evaluation-student",
        "session-feedback",
    ]
    assert all(q.organisation is None for q in questionnaires)
    assert [q.anonymous for q in questionnaires] == [False, False, True]


def test_both_evaluation_versions_ask_about_the_same_areas(partnership: Partnership) -> None:
    install_standard_questionnaires(actor=None, partnership=partnership)
    sections = {}
    for slug in ("placement-evaluation-student", "placement-evaluation-educator"):
        questionnaire = Questionnaire.objects.unscoped("test").get(slug=slug)
        version = services.latest_published(questionnaire)
        assert version is not None
        sections[slug] = list(version.sections.values_list("title", flat=True))
        assert Question.objects.filter(section__version=version).count() >= 20
    assert sections["placement-evaluation-student"] == sections["placement-evaluation-educator"]
    assert sections["placement-evaluation-student"] == [
        "Preparation",
        "Induction",
        "Supervision",
        "Learning opportunities",
        "Workload",
        "Support from the university",
        "Overall",
    ]


@pytest.mark.django_db
def test_the_command_asks_for_a_partnership_when_there_is_none() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="practica setup"):
        call_command("questionnaires-install")

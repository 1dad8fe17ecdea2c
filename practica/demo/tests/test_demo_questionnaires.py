"""The demo partnership has last year's placement evaluations and session feedback answered
(the demo is loaded once for the module: ``conftest.demo``)."""

import pytest

from practica.demo.data import load_demo
from practica.placements import evaluation
from practica.placements.models import Placement, PlacementStatus
from practica.questionnaires import selectors, services
from practica.questionnaires.models import Questionnaire, Response

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_demo_has_answered_evaluations_and_loading_again_adds_none() -> None:
    responses = Response.objects.count()
    load_demo()
    assert Response.objects.count() == responses
    for slug in ("placement-evaluation-student", "placement-evaluation-educator"):
        questionnaire = Questionnaire.objects.unscoped("test").get(slug=slug)
        version = services.latest_published(questionnaire)
        assert version is not None
        collation = selectors.collate(version)
        assert collation.respondents >= 5
        assert not collation.suppressed
    assert not Response.objects.filter(
        version__questionnaire__anonymous=True, person__isnull=False
    ).exists()


def test_most_of_last_years_placements_are_evaluated_by_their_student_and_educator() -> None:
    last_year = Placement.objects.unscoped("test").filter(
        academic_year__start_year=2018, status=PlacementStatus.COMPLETED
    )
    partnership = last_year.first().organisation.partnership  # type: ignore[union-attr]
    versions = evaluation.versions_for(partnership)
    answered = {
        who: set(
            evaluation.about(Response.objects.filter(version=version), last_year).values_list(
                "subject_id", flat=True
            )
        )
        for who, version in versions.items()
    }
    both = answered[evaluation.STUDENT] & answered[evaluation.EDUCATOR]
    assert len(both) > last_year.count() / 2
    comparison = evaluation.compare(last_year, versions)
    assert not comparison.suppressed
    assert comparison.questions

"""The demo partnership has last year's placement evaluations and session feedback answered."""

import pytest

from practica.demo.data import load_demo
from practica.questionnaires import selectors, services
from practica.questionnaires.models import Questionnaire, Response


@pytest.mark.django_db
def test_the_demo_has_answered_evaluations_and_loading_again_adds_none() -> None:
    load_demo()
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

"""Fixtures: a published questionnaire of Alpha Council (org_a) asking one of each kind."""

from __future__ import annotations

import pytest

from practica.core.models import Organisation, Person
from practica.organisations.tests.factories import PersonFactory
from practica.questionnaires.models import Questionnaire
from practica.questionnaires.tests.factories import make_questionnaire


@pytest.fixture
def questionnaire(org_a: Organisation) -> Questionnaire:
    return make_questionnaire(org_a)


@pytest.fixture
def anonymous_questionnaire(org_a: Organisation) -> Questionnaire:
    return make_questionnaire(org_a, name="Session feedback", anonymous=True)


@pytest.fixture
def students(org_a: Organisation) -> list[Person]:
    return [
        PersonFactory.create(organisation=org_a, first_name=name, last_name="Student")
        for name in ("Ada", "Bea", "Cal", "Dee", "Eve", "Fay")
    ]

"""Changing a CPD-needs survey from its page: title, dates and topics; rated topics stay."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from practica.accounts.models import User
from practica.core.models import Person
from practica.learning.surveys.models import CpdNeedsSurvey
from practica.learning.tests.conftest import TOPICS, answer


def form(survey: CpdNeedsSurvey, topics: list[str]) -> dict[str, str]:
    return {
        "title": "CPD needs, autumn",
        "opens_on_0": str(survey.opens_on.day),
        "opens_on_1": str(survey.opens_on.month),
        "opens_on_2": str(survey.opens_on.year),
        "closes_on_0": str(survey.closes_on.day),
        "closes_on_1": str(survey.closes_on.month),
        "closes_on_2": str(survey.closes_on.year),
        "topics": "\n".join(topics),
    }


def test_a_coordinator_renames_the_survey_and_adds_a_topic(
    client: Client, alice: User, survey: CpdNeedsSurvey
) -> None:
    client.force_login(alice)
    url = reverse("learning:survey-edit", args=[survey.pk])
    assert TOPICS[0] in client.get(url).content.decode()
    response = client.post(url, form(survey, [*TOPICS, "Assessing students"]))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title == "CPD needs, autumn"
    assert [t.name for t in survey.topics.all()] == [*TOPICS, "Assessing students"]


def test_dropping_a_rated_topic_is_refused_on_the_form_and_nothing_changes(
    client: Client, alice: User, survey: CpdNeedsSurvey, people: list[Person]
) -> None:
    answer(survey, people[0], [4, 4, 4])
    client.force_login(alice)
    page = client.post(
        reverse("learning:survey-edit", args=[survey.pk]), form(survey, TOPICS[:2])
    ).content.decode()
    assert "govuk-error-summary" in page
    assert "People have already rated Unconscious bias; keep it in the survey." in page
    survey.refresh_from_db()
    assert survey.title == "Practice educator CPD needs"
    assert survey.topics.count() == 3


def test_a_practice_educator_cannot_change_the_survey(
    client: Client, bob: User, survey: CpdNeedsSurvey
) -> None:
    client.force_login(bob)
    url = reverse("learning:survey-edit", args=[survey.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form(survey, ["Only this"])).status_code == 404
    assert survey.topics.count() == 3

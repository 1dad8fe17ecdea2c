"""The CPD-needs survey: creating it, answering it once, and its summary."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts.models import Role, User
from practica.core.models import Organisation, Partnership, Person
from practica.learning.surveys import selectors, services
from practica.learning.surveys.models import CpdNeedsResponse, CpdNeedsSurvey
from practica.learning.tests.conftest import TOPICS, answer
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    member,
)

TODAY = datetime.date(2019, 10, 15)


def test_a_survey_keeps_its_topics_in_order(survey: CpdNeedsSurvey) -> None:
    assert [topic.name for topic in survey.topics.all()] == TOPICS
    assert survey.academic_year.label == "2019/20"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"academic_year": "2019-20"}, "academic_year", "write it like 2019/20"),
        ({"topics": ["", " "]}, "topics", "Give at least one topic"),
        ({"topics": ["Bias", "bias"]}, "topics", "is repeated"),
        ({"closes_on": TODAY - datetime.timedelta(days=1)}, "closes_on", "close on or after"),
    ],
)
def test_bad_surveys_are_refused_with_the_field_named(
    partnership: Partnership, changes: dict[str, Any], field: str, message: str
) -> None:
    values: dict[str, Any] = {
        "academic_year": "2019/20",
        "title": "CPD needs",
        "opens_on": TODAY,
        "closes_on": TODAY + datetime.timedelta(days=20),
        "topics": TOPICS,
        **changes,
    }
    with pytest.raises(ValidationError) as refused:
        services.create_cpd_needs_survey(actor=None, partnership=partnership, **values)
    assert message in refused.value.message_dict[field][0]
    assert not CpdNeedsSurvey.objects.unscoped("test").exists()


def test_one_survey_per_partnership_and_year(survey: CpdNeedsSurvey) -> None:
    with pytest.raises(ValidationError, match="already a CPD-needs survey for 2019/20"):
        services.create_cpd_needs_survey(
            actor=None,
            partnership=survey.partnership,
            academic_year="2019/20",
            title="Again",
            opens_on=TODAY,
            closes_on=TODAY,
            topics=["Anything"],
        )


def test_each_person_answers_once(survey: CpdNeedsSurvey, people: list[Person]) -> None:
    answer(survey, people[0], [5, 4, 3])
    with pytest.raises(ValidationError, match="already answered"):
        answer(survey, people[0], [1, 1, 1])
    with pytest.raises(IntegrityError), transaction.atomic():
        CpdNeedsResponse.objects.create(
            survey=survey, person=people[0], organisation=people[0].organisation,
            preferred_format="online",
        )  # fmt: skip
    assert CpdNeedsResponse.objects.count() == 1


def test_missing_and_out_of_range_ratings_are_refused_and_nothing_is_written(
    survey: CpdNeedsSurvey, people: list[Person]
) -> None:
    first, second, _third = survey.topics.all()
    with pytest.raises(ValidationError) as refused:
        services.submit_cpd_needs_response(
            actor=None,
            survey=survey,
            person=people[0],
            interest={first.pk: 6, second.pk: 3},
            preferred_format="party",
        )
    errors = refused.value.message_dict
    assert errors[f"topic_{first.pk}"] == ["Rate Reflective supervision from 1 to 5."]
    assert "Unconscious bias" in errors[f"topic_{_third.pk}"][0]
    assert "forum, workshop or online" in errors["preferred_format"][0]
    assert not CpdNeedsResponse.objects.exists()


def test_a_closed_survey_takes_no_answers(survey: CpdNeedsSurvey, people: list[Person]) -> None:
    with pytest.raises(ValidationError, match="This survey is open from"):
        services.submit_cpd_needs_response(
            actor=None,
            survey=survey,
            person=people[0],
            interest={},
            preferred_format="forum",
            submitted_at=timezone.make_aware(
                datetime.datetime.combine(
                    survey.closes_on + datetime.timedelta(days=1), datetime.time(9)
                )
            ),
        )


def test_people_of_another_partnership_cannot_answer(survey: CpdNeedsSurvey) -> None:
    stranger = PersonFactory.create(
        organisation=OrganisationFactory.create(partnership=PartnershipFactory.create(name="Far"))
    )
    with pytest.raises(ValidationError, match="another partnership"):
        answer(survey, stranger, [1, 2, 3])


def test_the_summary_counts_shares_and_means_per_topic(
    survey: CpdNeedsSurvey, people: list[Person]
) -> None:
    answer(survey, people[0], [5, 4, 1])
    answer(survey, people[1], [4, 2, 1], fmt="online")
    answer(survey, people[2], [3, 5, 2])
    summary = selectors.survey_summary(survey)
    supervision, failing, bias = summary.topics
    assert (supervision.responses, supervision.interested, supervision.mean) == (
        3,
        2,
        Decimal("4.0"),
    )
    assert supervision.interested_share == Decimal("67")
    assert supervision.distribution == [0, 0, 1, 1, 1]
    assert (failing.interested, failing.mean) == (2, Decimal("3.7"))
    assert (bias.interested, bias.interested_share, bias.mean) == (0, Decimal("0"), Decimal("1.3"))
    assert summary.formats == [("Forum", 2), ("Workshop", 0), ("Online", 1)]
    assert summary.chart_data()["datasets"][0]["data"] == [4.0, 3.7, 1.3]


def test_the_breakdown_by_organisation_hides_small_counts(
    survey: CpdNeedsSurvey, org_a: Organisation, org_b: Organisation
) -> None:
    for _ in range(7):
        answer(survey, PersonFactory.create(organisation=org_a), [3, 3, 3], fmt="forum")
    for _ in range(2):
        answer(survey, PersonFactory.create(organisation=org_b), [3, 3, 3], fmt="online")
    summary = selectors.survey_summary(survey)
    alpha, beta = summary.organisations
    assert (beta.organisation, str(beta.respondents)) == ("Beta University", "fewer than 5")
    assert str(beta.formats[2]) == "fewer than 5"
    # The 9 respondents in all would give Beta's 2 away from Alpha's 7, so Alpha's is hidden too.
    assert (alpha.organisation, str(alpha.respondents)) == ("Alpha Council", "not shown")
    assert str(summary.organisation_totals.respondents) == "9"
    assert summary.respondents == 9


def test_a_practice_educator_answers_through_the_form(
    client: Client, survey: CpdNeedsSurvey, bob: User, bob_person: Person
) -> None:
    client.force_login(bob)
    first, second, third = survey.topics.all()
    url = reverse("learning:survey-respond", args=[survey.pk])
    response = client.post(
        url,
        {
            f"topic_{first.pk}": "5",
            f"topic_{second.pk}": "4",
            f"topic_{third.pk}": "2",
            "preferred_format": "workshop",
            "comments": "More on the PE role, please.",
        },
    )
    assert response.status_code == 302
    saved = CpdNeedsResponse.objects.get()
    assert saved.person == bob_person
    assert [r.interest for r in saved.ratings.order_by("topic__position")] == [5, 4, 2]
    page = client.get(reverse("learning:survey-detail", args=[survey.pk])).content.decode()
    assert "You answered this survey on" in page
    assert "Results" not in page  # practice educators answer; coordinators read the results


def test_a_form_with_missing_answers_shows_errors_and_writes_nothing(
    client: Client, survey: CpdNeedsSurvey, bob: User, bob_person: Person
) -> None:
    client.force_login(bob)
    response = client.post(reverse("learning:survey-respond", args=[survey.pk]), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Say how much you want CPD on Reflective supervision" in page
    assert "Choose how you prefer to learn" in page
    assert not CpdNeedsResponse.objects.exists()


def test_only_practice_educators_answer(
    client: Client, survey: CpdNeedsSurvey, alice: User
) -> None:
    client.force_login(alice)
    assert client.get(reverse("learning:survey-respond", args=[survey.pk])).status_code == 403


def test_coordinators_and_the_manager_see_the_results_with_chart_data_and_table(
    client: Client, survey: CpdNeedsSurvey, charlie: User, manager: User, people: list[Person]
) -> None:
    answer(survey, people[0], [5, 4, 1])
    for viewer in (charlie, manager):
        client.force_login(viewer)
        page = client.get(reverse("learning:survey-detail", args=[survey.pk])).content.decode()
        assert 'id="cpd-needs-chart-data" type="application/json"' in page
        assert "practica/cpd-needs-chart.js" in page
        assert '<th scope="row" class="govuk-table__header">Reflective supervision</th>' in page
        assert "fewer than 5" in page
        assert "<script>" not in page


def test_a_coordinator_adds_a_survey_through_the_form(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.post(
        reverse("learning:survey-create"),
        {
            "title": "Practice educator CPD needs",
            "academic_year": "2019/20",
            "opens_on_0": "1",
            "opens_on_1": "10",
            "opens_on_2": "2019",
            "closes_on_0": "31",
            "closes_on_1": "10",
            "closes_on_2": "2019",
            "topics": "Reflective supervision\nUnconscious bias\n",
        },
    )
    survey = CpdNeedsSurvey.objects.unscoped("test").get()
    assert response.status_code == 302
    assert survey.topics.count() == 2
    assert survey.created_by == alice


def test_students_do_not_see_surveys(survey: CpdNeedsSurvey, org_a: Organisation) -> None:
    assert not CpdNeedsSurvey.objects.visible_to(member(Role.STUDENT, org_a)).exists()

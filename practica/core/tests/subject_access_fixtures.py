"""Two people with a record of every kind that names a person, each on the other's selection
panel: what the subject access tests export and compare."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.text import capfirst

from practica.accounts.models import Role
from practica.api.services import create_api_token
from practica.core.models import Organisation, Person
from practica.educators.factories import (
    ActivityFactory,
    PanelMemberFactory,
    PeApplicationFactory,
    PepsCohortFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
    SelectionCriterionFactory,
)
from practica.educators.models import ApplicationScore, PeApplication, PepsCohort
from practica.factories import PersonFactory, member
from practica.learning import services as learning
from practica.learning.factories import RegistrationFactory
from practica.learning.models import CpdNeedsSurvey
from practica.placements.factories import StudentFactory


@dataclass
class Held:
    """The rows made for one person, by model label."""

    person: Person
    application: PeApplication
    ids: dict[str, set[int]]


def cpd_survey(organisation: Organisation) -> CpdNeedsSurvey:
    today = timezone.localdate()
    return learning.create_cpd_needs_survey(
        actor=None,
        partnership=organisation.partnership,
        academic_year="2019/20",
        title="Practice educator CPD needs",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=30),
        topics=["Reflective supervision", "Unconscious bias"],
    )


def everything_for(
    organisation: Organisation, survey: CpdNeedsSurvey, first_name: str, last_name: str
) -> Held:
    # the login carries the person's own name: a random one from the factory could be the other
    # person's ("Quinn" is one of Faker's surnames) and make an export of theirs look leaky
    user = member(
        Role.PRACTICE_EDUCATOR,
        organisation,
        email=f"{first_name.lower()}@example.test",
        first_name=first_name,
        last_name=last_name,
    )
    person: Person = PersonFactory.create(
        organisation=organisation,
        user=user,
        first_name=first_name,
        last_name=last_name,
        email=user.email,
    )
    educator = PracticeEducatorFactory.create(person=person)
    activity = ActivityFactory.create(educator=educator)
    cohort = PepsCohort.objects.filter(
        organisation=organisation
    ).first() or PepsCohortFactory.create(organisation=organisation)
    enrolment = PepsEnrolmentFactory.create(educator=educator, cohort=cohort)
    registration = RegistrationFactory.create(person=person, event__organisation=organisation)
    response = learning.submit_cpd_needs_response(
        actor=None,
        survey=survey,
        person=person,
        interest={topic.pk: 4 for topic in survey.topics.all()},
        preferred_format="forum",
    )
    application = PeApplicationFactory.create(
        organisation=organisation, applicant=person, statement=f"{first_name}'s statement"
    )
    score = ApplicationScore.objects.create(
        application=application,
        criterion=SelectionCriterionFactory.create(organisation=organisation),
        score=4,
        comment=f"{first_name} reflects well",
    )
    student = StudentFactory.create(person=person, hei=organisation)
    token, _raw = create_api_token(actor=user, user=user, name=f"{first_name}'s laptop")
    return Held(
        person,
        application,
        {
            "educators.practiceeducator": {educator.pk},
            "educators.practiceeducatoractivity": {activity.pk},
            "educators.pepsenrolment": {enrolment.pk},
            "learning.registration": {registration.pk},
            "learning.cpdneedsresponse": {response.pk},
            "learning.cpdneedsrating": set(response.ratings.values_list("pk", flat=True)),
            "educators.peapplication": {application.pk},
            "educators.applicationscore": {score.pk},
            "placements.student": {student.pk},
            "api.apitoken": {token.pk},
            # a change they made themselves: their login is the history_user of its version
            "api.historicalapitoken": {token.pk},
            "accounts.membership": set(user.memberships.values_list("pk", flat=True)),
        },
    )


def sit_on_panel(held: Held, other: Held) -> int:
    """``held``'s person sits on the panel of ``other``'s application; the row's id."""
    row = PanelMemberFactory.create(application=other.application, person=held.person)
    held.ids["educators.panelmember"] = {row.pk}
    return int(row.pk)


def exported_ids(document: dict[str, Any]) -> dict[str, set[int]]:
    """Row ids by model label, of sections and of the parts nested in their records."""
    part_labels = {
        capfirst(str(model._meta.verbose_name_plural)): model._meta.label_lower
        for model in apps.get_models()
    }
    found: dict[str, set[int]] = {}
    for section in document["sections"]:
        for record in section["records"]:
            found.setdefault(section["model"], set()).add(record["id"])
            for title, rows in record.get("parts", {}).items():
                found.setdefault(part_labels[title], set()).update(row["id"] for row in rows)
    return found

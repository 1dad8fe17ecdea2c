"""factory-boy factories for the practice educator register, PEPS training and selection."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from practica.core.models import AcademicYear, Organisation, Person
from practica.educators.models import (
    ActivityKind,
    CohortStage,
    PanelMember,
    PeApplication,
    PepsCohort,
    PepsEnrolment,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
    SelectionCriterion,
)
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory, member


class PracticeEducatorFactory(DjangoModelFactory[PracticeEducator]):
    """A Stage 2 practice educator who had a student and update training recently."""

    class Meta:
        model = PracticeEducator

    person = factory.SubFactory(PersonFactory)
    peps_stage = PepsStage.STAGE2
    stage1_date = datetime.date(2015, 7, 1)
    stage2_date = datetime.date(2017, 7, 1)
    last_student_date = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=120)
    )
    last_training_date = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=200)
    )

    class Params:
        trainee = factory.Trait(
            peps_stage=PepsStage.STAGE1_TRAINING,
            stage1_date=None,
            stage2_date=None,
            last_student_date=None,
            last_training_date=None,
        )
        stage1 = factory.Trait(peps_stage=PepsStage.STAGE1, stage2_date=None)


class ActivityFactory(DjangoModelFactory[PracticeEducatorActivity]):
    class Meta:
        model = PracticeEducatorActivity

    educator = factory.SubFactory(PracticeEducatorFactory)
    kind = ActivityKind.STUDENT_PE
    started_on = datetime.date(2019, 9, 1)


class AcademicYearFactory(DjangoModelFactory[AcademicYear]):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("start_year",)

    start_year = 2019


class PepsCohortFactory(DjangoModelFactory[PepsCohort]):
    class Meta:
        model = PepsCohort

    organisation = factory.SubFactory(OrganisationFactory)
    academic_year = factory.SubFactory(AcademicYearFactory)
    stage = CohortStage.STAGE1


class PepsEnrolmentFactory(DjangoModelFactory[PepsEnrolment]):
    class Meta:
        model = PepsEnrolment

    cohort = factory.SubFactory(PepsCohortFactory)
    educator = factory.SubFactory(
        PracticeEducatorFactory,
        trainee=True,
        person__organisation=factory.SelfAttribute("...cohort.organisation"),
    )


class SelectionCriterionFactory(DjangoModelFactory[SelectionCriterion]):
    class Meta:
        model = SelectionCriterion

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Criterion {n}")
    max_score = 5


class PeApplicationFactory(DjangoModelFactory[PeApplication]):
    class Meta:
        model = PeApplication

    organisation = factory.SubFactory(OrganisationFactory)
    applicant = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..organisation")
    )
    stage = CohortStage.STAGE1
    statement = "I have supervised shadowing students and want to support a placement."
    line_manager_name = "Lin Manager"
    line_manager_email = factory.Sequence(lambda n: f"line.manager{n}@example.test")


class PanelMemberFactory(DjangoModelFactory[PanelMember]):
    class Meta:
        model = PanelMember

    application = factory.SubFactory(PeApplicationFactory)
    person = factory.SubFactory(PersonFactory)


def person_with_login(role: str, organisation: Organisation, **person_fields: object) -> Person:
    """A person of ``organisation`` who signs in with ``role`` there (``person.user``)."""
    user = member(role, organisation)
    person: Person = PersonFactory.create(
        organisation=organisation, user=user, email=user.email, **person_fields
    )
    return person

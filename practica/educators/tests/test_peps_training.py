"""PEPS cohorts, enrolments and outcomes: a pass changes the register through the service."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from practica.accounts.models import User
from practica.core.history import history_for
from practica.core.models import Organisation
from practica.educators.models import Outcome, PepsCohort, PepsStage
from practica.educators.tests.factories import (
    AcademicYearFactory,
    PepsCohortFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
)
from practica.educators.training import services


def test_a_second_cohort_of_the_same_stage_and_year_is_refused(org_a: Organisation) -> None:
    year = AcademicYearFactory.create(start_year=2019)
    services.create_peps_cohort(actor=None, organisation=org_a, academic_year=year, stage=1)
    with pytest.raises(ValidationError, match="already has a cohort for this stage"):
        services.create_peps_cohort(actor=None, organisation=org_a, academic_year=year, stage=1)
    assert PepsCohort.objects.unscoped("test").count() == 1


def test_enrolling_marks_the_candidate_as_in_training(alice: User, org_a: Organisation) -> None:
    cohort = PepsCohortFactory.create(organisation=org_a, stage=1)
    educator = PracticeEducatorFactory.create(person__organisation=org_a, trainee=True)
    educator.peps_stage = PepsStage.NONE
    educator.save()
    services.enrol_in_peps_cohort(actor=alice, cohort=cohort, educator=educator)
    educator.refresh_from_db()
    assert educator.peps_stage == PepsStage.STAGE1_TRAINING


def test_stage_2_training_needs_stage_1(org_a: Organisation) -> None:
    cohort = PepsCohortFactory.create(organisation=org_a, stage=2)
    trainee = PracticeEducatorFactory.create(person__organisation=org_a, trainee=True)
    with pytest.raises(ValidationError, match="has not achieved PEPS Stage 1"):
        services.enrol_in_peps_cohort(actor=None, cohort=cohort, educator=trainee)
    assert not cohort.enrolments.exists()


def test_someone_with_stage_2_cannot_join_a_cohort(org_a: Organisation) -> None:
    cohort = PepsCohortFactory.create(organisation=org_a, stage=2)
    qualified = PracticeEducatorFactory.create(person__organisation=org_a)
    with pytest.raises(ValidationError, match="already holds PEPS Stage 2"):
        services.enrol_in_peps_cohort(actor=None, cohort=cohort, educator=qualified)


def test_a_candidate_of_another_organisation_is_refused(
    org_a: Organisation, org_b: Organisation
) -> None:
    cohort = PepsCohortFactory.create(organisation=org_a, stage=1)
    outsider = PracticeEducatorFactory.create(person__organisation=org_b, trainee=True)
    with pytest.raises(ValidationError, match="of the cohort's organisation"):
        services.enrol_in_peps_cohort(actor=None, cohort=cohort, educator=outsider)


def test_an_assessor_must_hold_stage_2(org_a: Organisation) -> None:
    cohort = PepsCohortFactory.create(organisation=org_a, stage=1)
    trainee = PracticeEducatorFactory.create(person__organisation=org_a, trainee=True)
    stage1 = PracticeEducatorFactory.create(person__organisation=org_a, stage1=True)
    with pytest.raises(ValidationError, match="must hold PEPS Stage 2"):
        services.enrol_in_peps_cohort(actor=None, cohort=cohort, educator=trainee, assessor=stage1)


def test_passing_stage_1_gives_the_stage_and_date_with_history(
    alice: User, org_a: Organisation
) -> None:
    enrolment = PepsEnrolmentFactory.create(cohort__organisation=org_a, cohort__stage=1)
    passed_on = datetime.date(2020, 6, 30)
    services.record_peps_outcome(
        actor=alice, enrolment=enrolment, outcome=Outcome.PASSED, outcome_date=passed_on
    )
    educator = enrolment.educator
    educator.refresh_from_db()
    assert (educator.peps_stage, educator.stage1_date) == (PepsStage.STAGE1, passed_on)
    latest = history_for(educator)[0]
    assert latest.who == alice.display_name
    # choices read as their labels, not their stored codes
    assert "PEPS stage: “In training for PEPS Stage 1” → “PEPS Stage 1”" in latest.changes


def test_passing_stage_2_keeps_the_stage_1_date(org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(
        person__organisation=org_a,
        peps_stage=PepsStage.STAGE2_TRAINING,
        stage1_date=datetime.date(2017, 7, 1),
        stage2_date=None,
    )
    enrolment = services.enrol_in_peps_cohort(
        actor=None, cohort=PepsCohortFactory.create(organisation=org_a, stage=2), educator=educator
    )
    services.record_peps_outcome(
        actor=None, enrolment=enrolment, outcome="passed", outcome_date=datetime.date(2020, 7, 1)
    )
    educator.refresh_from_db()
    assert educator.peps_stage == PepsStage.STAGE2
    assert (educator.stage1_date, educator.stage2_date) == (
        datetime.date(2017, 7, 1),
        datetime.date(2020, 7, 1),
    )


def test_withdrawing_returns_the_candidate_to_their_earlier_stage(org_a: Organisation) -> None:
    enrolment = PepsEnrolmentFactory.create(cohort__organisation=org_a, cohort__stage=1)
    services.record_peps_outcome(
        actor=None,
        enrolment=enrolment,
        outcome="withdrawn",
        outcome_date=datetime.date(2020, 1, 10),
    )
    enrolment.educator.refresh_from_db()
    assert enrolment.educator.peps_stage == PepsStage.NONE


def test_deferring_keeps_the_candidate_in_training(org_a: Organisation) -> None:
    enrolment = PepsEnrolmentFactory.create(cohort__organisation=org_a, cohort__stage=1)
    services.record_peps_outcome(
        actor=None, enrolment=enrolment, outcome="deferred", outcome_date=datetime.date(2020, 1, 10)
    )
    enrolment.refresh_from_db()
    assert enrolment.outcome == Outcome.DEFERRED
    assert enrolment.educator.peps_stage == PepsStage.STAGE1_TRAINING


@pytest.mark.parametrize(
    ("outcome_date", "message"),
    [
        (None, "Give the date of the outcome"),
        (datetime.date(2019, 8, 31), "before academic year 2019/20 began"),
        (datetime.date(2999, 1, 1), "cannot be in the future"),
    ],
)
def test_a_bad_outcome_date_is_refused_and_nothing_changes(
    org_a: Organisation, outcome_date: datetime.date | None, message: str
) -> None:
    enrolment = PepsEnrolmentFactory.create(
        cohort__organisation=org_a, cohort__academic_year__start_year=2019
    )
    with pytest.raises(ValidationError, match=message):
        services.record_peps_outcome(
            actor=None, enrolment=enrolment, outcome="passed", outcome_date=outcome_date
        )
    enrolment.refresh_from_db()
    enrolment.educator.refresh_from_db()
    assert enrolment.outcome == Outcome.ENROLLED
    assert enrolment.educator.peps_stage == PepsStage.STAGE1_TRAINING


def test_ensuring_a_cohort_creates_it_once(org_a: Organisation) -> None:
    first = services.ensure_peps_cohort(actor=None, organisation=org_a, start_year=2020, stage=2)
    again = services.ensure_peps_cohort(actor=None, organisation=org_a, start_year=2020, stage=2)
    assert first == again
    assert first.academic_year.label == "2020/21"

"""PEPS outcomes: not passed, corrections with a reason, and saving what is already recorded."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from practica.accounts.models import User
from practica.core.history import history_for
from practica.core.models import Organisation
from practica.educators.models import Outcome, PepsEnrolment, PepsStage
from practica.educators.tests.factories import PepsEnrolmentFactory, PracticeEducatorFactory
from practica.educators.training import services

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

PASSED_ON = datetime.date(2020, 6, 30)


def _enrolment(org: Organisation, stage: int = 1) -> PepsEnrolment:
    if stage == 1:
        return PepsEnrolmentFactory.create(
            cohort__organisation=org, cohort__stage=1, cohort__academic_year__start_year=2019
        )
    educator = PracticeEducatorFactory.create(
        person__organisation=org,
        peps_stage=PepsStage.STAGE2_TRAINING,
        stage1_date=datetime.date(2016, 7, 1),
        stage2_date=None,
    )
    return PepsEnrolmentFactory.create(
        cohort__organisation=org,
        cohort__stage=2,
        cohort__academic_year__start_year=2019,
        educator=educator,
    )


def _record(
    enrolment: PepsEnrolment, outcome: str, when: datetime.date | None, **kwargs: str
) -> PepsEnrolment:
    return services.record_peps_outcome(
        actor=None, enrolment=enrolment, outcome=outcome, outcome_date=when, **kwargs
    )


def test_not_passing_returns_the_candidate_to_their_earlier_stage(org_a: Organisation) -> None:
    enrolment = _enrolment(org_a, stage=2)
    _record(enrolment, Outcome.NOT_PASSED, PASSED_ON)
    enrolment.educator.refresh_from_db()
    assert enrolment.educator.peps_stage == PepsStage.STAGE1
    assert enrolment.educator.stage1_date == datetime.date(2016, 7, 1)


def test_correcting_a_pass_needs_a_reason_and_changes_nothing_without_one(
    org_a: Organisation,
) -> None:
    enrolment = _enrolment(org_a)
    _record(enrolment, Outcome.PASSED, PASSED_ON)
    with pytest.raises(ValidationError, match="Say why you are correcting"):
        _record(enrolment, Outcome.NOT_PASSED, PASSED_ON)
    enrolment.refresh_from_db()
    enrolment.educator.refresh_from_db()
    assert enrolment.outcome == Outcome.PASSED
    assert (enrolment.educator.peps_stage, enrolment.educator.stage1_date) == (
        PepsStage.STAGE1,
        PASSED_ON,
    )


def test_a_pass_corrected_to_not_passed_takes_the_stage_back_with_the_reason_in_history(
    alice: User, org_a: Organisation
) -> None:
    enrolment = _enrolment(org_a)
    _record(enrolment, Outcome.PASSED, PASSED_ON)
    services.record_peps_outcome(
        actor=alice,
        enrolment=enrolment,
        outcome=Outcome.NOT_PASSED,
        outcome_date=PASSED_ON,
        reason="Panel decision entered wrongly",
    )
    enrolment.refresh_from_db()
    educator = enrolment.educator
    educator.refresh_from_db()
    assert enrolment.outcome == Outcome.NOT_PASSED
    assert (educator.peps_stage, educator.stage1_date) == (PepsStage.NONE, None)
    for record in (enrolment, educator):
        latest = history_for(record)[0]
        assert (latest.who, latest.reason) == (alice.display_name, "Panel decision entered wrongly")


def test_correcting_the_date_of_a_pass_moves_the_register_date(org_a: Organisation) -> None:
    enrolment = _enrolment(org_a, stage=2)
    _record(enrolment, Outcome.PASSED, PASSED_ON)
    corrected = datetime.date(2020, 5, 29)
    _record(enrolment, Outcome.PASSED, corrected, reason="Wrong date typed")
    enrolment.educator.refresh_from_db()
    assert (enrolment.educator.peps_stage, enrolment.educator.stage2_date) == (
        PepsStage.STAGE2,
        corrected,
    )
    assert enrolment.educator.stage1_date == datetime.date(2016, 7, 1)


def test_a_pass_the_register_has_moved_on_from_cannot_be_corrected(org_a: Organisation) -> None:
    enrolment = _enrolment(org_a)
    _record(enrolment, Outcome.PASSED, PASSED_ON)
    educator = enrolment.educator
    educator.refresh_from_db()
    educator.peps_stage, educator.stage2_date = PepsStage.STAGE2, datetime.date(2022, 7, 1)
    educator.save()
    with pytest.raises(ValidationError, match="correct the register entry first"):
        _record(enrolment, Outcome.WITHDRAWN, PASSED_ON, reason="Mistake")
    educator.refresh_from_db()
    assert educator.peps_stage == PepsStage.STAGE2


def test_saving_the_recorded_outcome_again_says_nothing_changed_and_writes_no_history(
    org_a: Organisation,
) -> None:
    enrolment = _enrolment(org_a)
    _record(enrolment, Outcome.DEFERRED, PASSED_ON)
    rows = enrolment.history.count()
    with pytest.raises(services.NothingChangedError, match="already deferred on 30 June 2020"):
        _record(enrolment, Outcome.DEFERRED, PASSED_ON)
    assert enrolment.history.count() == rows


def test_an_import_does_not_silently_correct_a_final_outcome(org_a: Organisation) -> None:
    enrolment = _enrolment(org_a)
    _record(enrolment, Outcome.WITHDRAWN, PASSED_ON)
    with pytest.raises(ValidationError, match="already recorded as withdrawn"):
        services.record_peps_enrolment(
            actor=None,
            cohort=enrolment.cohort,
            educator=enrolment.educator,
            outcome=Outcome.PASSED,
            outcome_date=PASSED_ON,
        )


def _post_outcome(
    client: Client, enrolment: PepsEnrolment, **data: str
) -> _MonkeyPatchedWSGIResponse:
    return client.post(reverse("educators:outcome", args=[enrolment.pk]), data)


def _date(when: datetime.date) -> dict[str, str]:
    return {
        "outcome_date_0": str(when.day),
        "outcome_date_1": str(when.month),
        "outcome_date_2": str(when.year),
    }


def test_the_outcome_page_asks_why_only_when_correcting(
    client: Client, alice: User, org_a: Organisation
) -> None:
    enrolment = _enrolment(org_a)
    client.force_login(alice)
    url = reverse("educators:outcome", args=[enrolment.pk])
    assert "Why are you correcting" not in client.get(url).content.decode()
    _record(enrolment, Outcome.PASSED, PASSED_ON)
    page = client.get(url).content.decode()
    assert "Correct the outcome for" in page
    assert "Why are you correcting" in page


def test_the_outcome_page_refuses_an_empty_date_and_keeps_the_outcome(
    client: Client, alice: User, org_a: Organisation
) -> None:
    enrolment = _enrolment(org_a)
    client.force_login(alice)
    response = _post_outcome(client, enrolment, outcome=Outcome.PASSED)
    assert response.status_code == 200
    assert "Give the date of the outcome" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.outcome == Outcome.ENROLLED


def test_the_outcome_page_says_when_nothing_changed(
    client: Client, alice: User, org_a: Organisation
) -> None:
    enrolment = _enrolment(org_a)
    _record(enrolment, Outcome.DEFERRED, PASSED_ON)
    client.force_login(alice)
    response = _post_outcome(client, enrolment, outcome=Outcome.DEFERRED, **_date(PASSED_ON))
    assert response.status_code == 200
    assert "Nothing changed" in response.content.decode()


def test_the_outcome_page_asks_for_the_reason_of_a_correction_in_words(
    client: Client, alice: User, org_a: Organisation
) -> None:
    """The required-field message was built from the question: "Enter the why are you …"."""
    enrolment = _enrolment(org_a)
    _record(enrolment, Outcome.NOT_PASSED, PASSED_ON)
    client.force_login(alice)
    response = _post_outcome(client, enrolment, outcome=Outcome.PASSED, **_date(PASSED_ON))
    page = response.content.decode()
    assert "Say why you are correcting the recorded outcome." in page
    assert "Enter the why" not in page
    enrolment.refresh_from_db()
    assert enrolment.outcome == Outcome.NOT_PASSED

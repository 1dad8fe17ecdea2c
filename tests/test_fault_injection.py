"""A database error in the middle of a multi-step service leaves the database as it was
(issue 15, "Faults"): for each service, every write statement it makes is made to fail in
turn (the 2nd, the 3rd … the last), and every table must read the same as before the call.

The writes are counted first by running the service once inside a transaction that is rolled
back; then, for each write after the first, a fresh copy of the records is handed to the
service with a database wrapper that raises ``DatabaseError`` at that write.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation
from practica.educators.models import Outcome, PeApplication, PepsEnrolment
from practica.educators.recruitment import services as recruitment
from practica.educators.tests.factories import (
    PeApplicationFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
    SelectionCriterionFactory,
)
from practica.educators.training import services as training
from practica.imports.framework import ImportContext, run_batch
from practica.imports.registry import get_importer
from practica.learning.events import services as events
from practica.learning.events.models import Registration
from practica.learning.tests.factories import EventFactory
from practica.organisations.tests.factories import PersonFactory
from practica.placements import services as placements
from practica.placements.models import Placement, PlacementType
from practica.placements.tests.during_factories import with_checks
from practica.placements.tests.factories import PlacementOfferFactory, StudentFactory, year_2019

WRITES = ("INSERT", "UPDATE", "DELETE")


class _Writes:
    """A database execute wrapper that counts write statements and fails at ``fail_at``."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at = fail_at
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if sql.lstrip().upper().startswith(WRITES):
            self.count += 1
            if self.count == self.fail_at:
                raise DatabaseError(f"injected fault at write {self.count}")
        return execute(sql, *args)


@contextmanager
def _watching(writes: _Writes) -> Iterator[_Writes]:
    with connection.execute_wrapper(writes):
        yield writes


def state() -> dict[str, list[str]]:
    """Every row of every table, as text."""
    return {
        model._meta.label: sorted(repr(row) for row in model._base_manager.values_list())
        for model in apps.get_models()
    }


def assert_all_or_nothing(call: Callable[[], object]) -> int:
    """Fails each write of ``call`` after the first in turn; the database must be unchanged
    each time. Returns how many writes the call makes."""
    with transaction.atomic(), _watching(_Writes()) as counted:
        call()
        transaction.set_rollback(True)
    assert counted.count >= 2, "a multi-step service writes more than once"
    before = state()
    for fail_at in range(2, counted.count + 1):
        with _watching(_Writes(fail_at)), pytest.raises(DatabaseError, match="injected fault"):
            call()
        assert state() == before, f"a fault at write {fail_at} of {counted.count} left changes"
    return counted.count


def test_an_import_is_applied_whole_or_not_at_all(org_a: Organisation) -> None:
    content = (
        "organisation,name,service_area,location\n"
        f"{org_a.code},Assessment,childrens,Gillingham\n"
        f"{org_a.code},Adults north,adults,Chatham\n"
        f"{org_a.code},Adults south,adults,\n"
    ).encode()

    def apply() -> object:
        ctx = ImportContext(actor=None, viewer=permissions.OPERATOR)
        return run_batch([(get_importer("teams"), "teams.csv", content)], ctx, dry_run=False)

    assert assert_all_or_nothing(apply) >= 6


def test_a_peps_outcome_moves_the_register_and_the_enrolment_together(
    org_a: Organisation, alice: User
) -> None:
    enrolment = PepsEnrolmentFactory.create(cohort__organisation=org_a, cohort__stage=1)

    def record() -> object:
        return training.record_peps_outcome(
            actor=alice,
            enrolment=PepsEnrolment.objects.unscoped("test").get(pk=enrolment.pk),
            outcome=Outcome.PASSED,
            outcome_date=datetime.date(2020, 6, 30),
        )

    assert_all_or_nothing(record)


def test_accepting_an_application_registers_enrols_and_decides_together(
    org_a: Organisation, org_b: Organisation, alice: User
) -> None:
    application = PeApplicationFactory.create(organisation=org_a)
    application.line_manager_supports = True
    application.support_given_at = timezone.now()
    application.save()
    recruitment.set_selection_panel(
        actor=None,
        application=application,
        members=[
            PersonFactory.create(organisation=org_a),
            PersonFactory.create(organisation=org_b),
        ],
    )
    recruitment.schedule_panel_interview(
        actor=None, application=application, interview_at=timezone.now()
    )
    criteria = [SelectionCriterionFactory.create(organisation=org_a) for _ in range(2)]
    recruitment.record_application_scores(
        actor=None, application=application, scores=dict.fromkeys(criteria, (4, "Good"))
    )

    def decide() -> object:
        return recruitment.decide_pe_application(
            actor=alice,
            application=PeApplication.objects.unscoped("test").get(pk=application.pk),
            decision="accepted",
            feedback_letter="Welcome to the programme.",
        )

    assert assert_all_or_nothing(decide) >= 6


def test_a_cancellation_and_the_promotion_it_makes_happen_together(org_a: Organisation) -> None:
    event = EventFactory.create(organisation=org_a, capacity=1)
    people = [PersonFactory.create(organisation=org_a) for _ in range(3)]
    first, *_waiting = (
        events.register_for_event(actor=None, event=event, person=person) for person in people
    )

    def cancel() -> object:
        return events.cancel_registration(
            actor=None, registration=Registration.objects.unscoped("test").get(pk=first.pk)
        )

    assert_all_or_nothing(cancel)


def test_confirming_a_placement_is_whole_or_not_at_all(
    org_a: Organisation, org_b: Organisation, alice: User, charlie: User
) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a)
    offer = PlacementOfferFactory.create(
        organisation=org_a,
        slots=1,
        practice_educator=educator,
        starts_on=datetime.date(2020, 1, 6),
        ends_on=datetime.date(2020, 6, 5),
    )
    placement = placements.request_placement(
        actor=charlie,
        # confirming needs the student's pre-placement checks
        student=with_checks(StudentFactory.create(hei=org_b)),
        academic_year=year_2019(),
        placement_type=PlacementType.FINAL_100,
        organisation=org_a,
    )
    placements.match_placement(actor=alice, placement=placement, offer=offer)

    def confirm() -> object:
        return placements.confirm_placement(
            actor=alice, placement=Placement.objects.unscoped("test").get(pk=placement.pk)
        )

    assert_all_or_nothing(confirm)

"""Retention (issue 15): each kind of record is kept for its configured period, then
anonymised; `practica retention --plan` and the retention page say what is due and what falls
due next, and `practica retention` anonymises what is due and nothing else."""

from __future__ import annotations

import dataclasses
import datetime
import io
from typing import Any
from unittest.mock import ANY

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.core.services import ensure_academic_year
from practica.core.tests.interrupted_mail import WorkerDiedError
from practica.educators.recruitment.models import PeApplication
from practica.educators.tests.factories import PeApplicationFactory
from practica.organisations import retention
from practica.organisations.tests.factories import OrganisationFactory, PartnershipFactory
from practica.placements import retention as placements_retention
from practica.placements.models import Student, StudentStage
from practica.placements.tests.factories import PlacementFactory, StudentFactory

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def finished(org_b: Organisation) -> Student:
    """A student whose placements ended with the 2019/20 academic year (31 August 2020)."""
    student: Student = StudentFactory.create(
        hei=org_b, stage=StudentStage.DONE, person__first_name="Sam", person__last_name="Finch"
    )
    PlacementFactory.create(student=student)
    return student


@pytest.fixture
def studying(org_b: Organisation) -> Student:
    student: Student = StudentFactory.create(hei=org_b, stage=StudentStage.FINAL_100)
    PlacementFactory.create(student=student)
    return student


@pytest.fixture
def not_accepted(org_a: Organisation) -> PeApplication:
    application: PeApplication = PeApplicationFactory.create(
        organisation=org_a,
        decision="rejected",
        decided_on=datetime.date(2025, 12, 1),
        feedback_letter="Dear Jo, thank you for applying.",
        statement="I supervised three students at Riverside.",
    )
    return application


def planned(**kwargs: object) -> list[tuple[str, datetime.date]]:
    return [(item.record, item.due_on) for item in retention.plan(**kwargs)]  # type: ignore[arg-type]  # keyword arguments of plan


def test_a_student_is_due_six_years_after_their_course_ends_and_not_before(
    finished: Student, studying: Student
) -> None:
    due_on = datetime.date(2026, 8, 31)
    assert planned(today=TODAY) == [(f"Student #{finished.pk}", due_on)]
    assert planned(today=datetime.date(2026, 1, 1), look_ahead_days=0) == []
    assert planned(today=datetime.date(2026, 6, 30)) == [(f"Student #{finished.pk}", due_on)]


def test_the_periods_are_settings(finished: Student, settings: Settings) -> None:
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "students": 10}
    assert planned(today=TODAY) == []
    assert "10 years after their course ends" in [rule.period for rule in retention.rules()]


def test_an_application_not_accepted_is_due_a_year_after_the_decision(
    not_accepted: PeApplication, org_a: Organisation
) -> None:
    accepted = PeApplicationFactory.create(
        organisation=org_a,
        decision="accepted",
        decided_on=datetime.date(2020, 1, 1),
        feedback_letter="Welcome.",
    )
    found = planned(today=TODAY)
    assert (
        f"Practice educator application #{not_accepted.pk}",
        datetime.date(2026, 12, 1),
    ) in found
    assert not [record for record, _ in found if record.endswith(f"#{accepted.pk}")]


def test_applying_anonymises_what_is_due_and_nothing_else(
    finished: Student, studying: Student, not_accepted: PeApplication
) -> None:
    done = retention.apply(today=TODAY)
    assert sorted(item.record for item in done) == sorted(
        [f"Student #{finished.pk}", f"Practice educator application #{not_accepted.pk}"]
    )
    finished.person.refresh_from_db()
    studying.person.refresh_from_db()
    not_accepted.refresh_from_db()
    assert finished.person.first_name == "Anonymised"
    assert studying.person.first_name != "Anonymised"
    assert not_accepted.statement == "Anonymised"
    assert not_accepted.decision == "rejected"  # the reports still count it
    assert not_accepted.applicant.first_name != "Anonymised"  # they still work here
    assert retention.apply(today=TODAY) == []  # done once
    assert planned(today=TODAY) == []


def test_the_command_plans_without_changing_anything_then_applies(
    finished: Student,
) -> None:
    out = io.StringIO()
    call_command("retention", "--plan", stdout=out)
    assert f"Student #{finished.pk}: due now (Students)." in out.getvalue()
    assert "Students: kept 6 years after their course ends." in out.getvalue()
    finished.person.refresh_from_db()
    assert finished.person.first_name == "Sam"
    call_command("retention", stdout=out)
    finished.person.refresh_from_db()
    assert finished.person.first_name == "Anonymised"
    assert "1 record(s) anonymised." in out.getvalue()


def test_the_page_shows_the_periods_and_what_is_due_to_partnership_managers(
    client: Client, manager: User, finished: Student
) -> None:
    client.force_login(manager)
    page = client.get(reverse("organisations:retention")).content.decode()
    assert "6 years after their course ends" in page
    assert f"Student #{finished.pk}" in page
    assert "Sam" not in page


def test_a_course_ends_with_its_last_placement_dated_or_not_or_else_its_last_change(
    org_b: Organisation,
) -> None:
    dated: Student = StudentFactory.create(hei=org_b, stage=StudentStage.DONE)
    PlacementFactory.create(student=dated)  # no end date: its year (2019/20) ends 31 August 2020
    PlacementFactory.create(
        student=dated,
        academic_year=ensure_academic_year(start_year=2020),
        ends_on=datetime.date(2021, 3, 5),
    )
    placeless: Student = StudentFactory.create(hei=org_b, stage=StudentStage.DONE)
    changed = timezone.localdate(placeless.history.latest("history_date").history_date)
    due = {item.record: item.due_on for item in retention.plan(today=changed.replace(year=2100))}
    assert due[f"Student #{dated.pk}"] == datetime.date(2027, 3, 5)
    assert due[f"Student #{placeless.pk}"] == changed.replace(year=changed.year + 6)


def test_finding_what_is_due_reads_the_students_in_one_query_however_many_there_are(
    org_b: Organisation, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        PlacementFactory.create(student=StudentFactory.create(hei=org_b, stage=StudentStage.DONE))
    with django_assert_max_num_queries(1):
        assert len(placements_retention.candidates()) == 5


def test_a_partnerships_plan_reads_only_its_own_records(
    finished: Student, org_b: Organisation, django_assert_max_num_queries: Any
) -> None:
    elsewhere = OrganisationFactory.create(
        kind="hei", partnership=PartnershipFactory.create(name="Elsewhere")
    )
    for _ in range(3):
        PlacementFactory.create(
            student=StudentFactory.create(hei=elsewhere, stage=StudentStage.DONE)
        )
    ours = {org_b.partnership_id}
    with django_assert_max_num_queries(2):  # one query per rule, however many partnerships
        assert planned(today=TODAY, partnership_ids=ours) == [(f"Student #{finished.pk}", ANY)]
    assert len(planned(today=TODAY)) == 4


def test_the_task_whose_worker_dies_part_way_anonymises_the_rest_once_when_run_again(
    finished: Student, not_accepted: PeApplication, org_b: Organisation, monkeypatch: Any
) -> None:
    """Issue 15, "Reliability": each record is anonymised in its own transaction; the worker
    dies in the middle of the second (its transaction undone), and the task is run again."""
    other = StudentFactory.create(hei=org_b, stage=StudentStage.DONE)
    PlacementFactory.create(student=other)
    calls: list[str] = []
    real_plan = retention.plan

    def dying_on_the_second(anonymise: Any) -> Any:
        def anonymise_then_maybe_die(actor: Any) -> Any:
            anonymise(actor)
            calls.append("anonymised")
            if len(calls) == 2:
                raise WorkerDiedError("the worker died in the middle of the second record")

        return anonymise_then_maybe_die

    def plan_of_a_dying_worker(**kwargs: Any) -> list[retention.Planned]:
        return [
            dataclasses.replace(
                due,
                candidate=dataclasses.replace(
                    due.candidate, anonymise=dying_on_the_second(due.candidate.anonymise)
                ),
            )
            for due in real_plan(**kwargs)
        ]

    monkeypatch.setattr(retention, "plan", plan_of_a_dying_worker)
    with pytest.raises(WorkerDiedError):
        retention.apply_retention.call()
    monkeypatch.undo()
    assert len(planned(look_ahead_days=0)) == 2  # the first done, the second undone

    assert retention.apply_retention.call() == 2  # the same task, run again: the rest
    assert retention.apply_retention.call() == 0  # and again: nothing left
    people = [finished.person, other.person]
    for person in people:
        person.refresh_from_db()
    not_accepted.refresh_from_db()
    assert [p.first_name for p in people] == ["Anonymised", "Anonymised"]
    assert not_accepted.statement == "Anonymised"

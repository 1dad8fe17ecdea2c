"""The ``pt-directory`` report: practitioner teachers per local authority, trained, active in
the year (from who took part in sessions) and reviewed in time."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from practica.accounts.models import Role
from practica.organisations.tests.factories import OrganisationFactory, member
from practica.reports.registry import get_report, parse_params, run_report
from practica.teaching.models import PractitionerStatus, SessionStatus
from practica.teaching.tests.factories import (
    LivedExperienceContributorFactory,
    PractitionerTeacherFactory,
    SessionContributorFactory,
)

pytestmark = pytest.mark.django_db


def _rows(viewer: object, **filters: str) -> list[dict[str, object]]:
    report = get_report("pt-directory")
    result = run_report(report, viewer, parse_params(report, filters))  # type: ignore[arg-type]
    return result.as_json()["rows"]  # type: ignore[no-any-return]


def test_counts_trained_active_in_the_year_and_reviewed_in_time() -> None:
    la = OrganisationFactory.create(name="Medway Council", code="MC")
    today = timezone.localdate()
    active = PractitionerTeacherFactory.create(person__organisation=la, reviewed_on=today)
    PractitionerTeacherFactory.create(
        person__organisation=la,
        status=PractitionerStatus.IN_TRAINING,
        reviewed_on=today - datetime.timedelta(days=500),
    )
    PractitionerTeacherFactory.create(person__organisation=la, status=PractitionerStatus.LEFT)
    SessionContributorFactory.create(
        practitioner_teacher=active, session__hei__partnership=la.partnership
    )
    cancelled = PractitionerTeacherFactory.create(person__organisation=la)
    SessionContributorFactory.create(
        practitioner_teacher=cancelled, session__status=SessionStatus.CANCELLED
    )
    manager = member(Role.PARTNERSHIP_MANAGER, la)

    rows = _rows(manager, year="2019/20")

    assert len(rows) == 1
    row = rows[0]
    assert row["organisation"] == "Medway Council"
    assert row["practitioner_teachers"] == 3  # those who left are not counted
    assert row["trained"] == 2
    assert row["in_training"] == 1
    assert row["active_this_year"] == 1  # the cancelled session does not count
    # this year: reviewed today, more than a year ago, never
    now = _rows(manager)[0]
    assert now["reviewed_on_time"] == 1
    assert now["reviewed_share"] == pytest.approx(33.3, abs=0.1)
    assert row["reviewed_on_time"] == 0  # by the end of 2019/20 none had been reviewed yet
    assert _rows(manager, year="2020/21")[0]["active_this_year"] == 0


def test_one_organisation_and_no_one_elses_practitioners() -> None:
    la = OrganisationFactory.create(code="MC")
    other = OrganisationFactory.create(code="KCC", partnership=la.partnership)
    PractitionerTeacherFactory.create(person__organisation=la)
    PractitionerTeacherFactory.create(person__organisation=other)
    coordinator = member(Role.COORDINATOR, la)

    assert [row["practitioner_teachers"] for row in _rows(coordinator)] == [1]
    manager = member(Role.PARTNERSHIP_MANAGER, la)
    assert len(_rows(manager)) == 2
    assert len(_rows(manager, organisation="KCC")) == 1


def test_contributors_are_never_counted_or_named_in_it() -> None:
    la = OrganisationFactory.create()
    hei = OrganisationFactory.create(kind="hei", partnership=la.partnership)
    contributor = LivedExperienceContributorFactory.create(hei=hei, shared=True)
    manager = member(Role.PARTNERSHIP_MANAGER, la)

    text = str(_rows(manager))

    assert contributor.person.last_name not in text
    assert _rows(member(Role.COORDINATOR, hei)) == []

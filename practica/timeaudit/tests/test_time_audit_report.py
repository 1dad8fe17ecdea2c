"""The ``time-audit`` report: the case study's figures per audit, per week of placement and per
activity, computed from the raw weekly logs each time (no stored totals), for whom may see them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from practica.accounts import permissions
from practica.accounts.models import Role
from practica.organisations.tests.factories import member
from practica.reports.registry import get_report, parse_params, run_report
from practica.timeaudit import services
from practica.timeaudit.models import AuditEnrolment, TimeAudit
from practica.timeaudit.tests.factories import STARTS_ON, AuditEnrolmentFactory, TimeAuditFactory

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=7)


def week(n: int) -> datetime.date:
    return STARTS_ON + (n - 1) * WEEK


def log(enrolment: AuditEnrolment, n: int, daytime: str, ooh: str, **split: str) -> None:
    services.log_week(
        actor=None,
        enrolment=enrolment,
        week_start=week(n),
        daytime_hours=Decimal(daytime),
        ooh_hours=Decimal(ooh),
        activities={activity: Decimal(hours) for activity, hours in split.items()} or None,
    )


@pytest.fixture
def audit() -> TimeAudit:
    """Two educators: A logs weeks 1 and 2, B logs week 1 (split by activity)."""
    audit = TimeAuditFactory.create(name="PE time audit")
    a = AuditEnrolmentFactory.create(audit=audit)
    b = AuditEnrolmentFactory.create(audit=audit)
    log(a, 1, "10", "2")
    log(a, 2, "6", "0")
    log(b, 1, "5", "3", supervision="1.5", report_writing="6.5")
    return audit


def rows(data: dict[str, str] | None = None, viewer: object = permissions.OPERATOR) -> list[dict]:  # type: ignore[type-arg]
    report = get_report("time-audit")
    return run_report(report, viewer, parse_params(report, data or {})).rows  # type: ignore[arg-type]


def test_the_headline_figures_come_from_the_weekly_logs(audit: TimeAudit) -> None:
    [row] = rows()
    assert row["audit"] == "PE time audit"
    assert (row["pes"], row["pe_weeks"]) == (2, 3)
    assert (row["daytime_total"], row["ooh_total"]) == (21, 5)
    # the average is per PE-week logged: 21 / 3 and 5 / 3
    assert (row["daytime_average"], row["ooh_average"]) == (Decimal("7.0"), Decimal("1.7"))
    assert (row["daytime_highest"], row["ooh_highest"]) == (10, 3)


def test_a_correction_changes_the_report_at_once(audit: TimeAudit) -> None:
    first = audit.enrolments.order_by("pk").first()
    assert first is not None
    services.correct_week(
        actor=None,
        log=first.logs.get(week_start=week(1)),
        daytime_hours=Decimal(30),
        ooh_hours=Decimal(2),
    )
    [row] = rows()
    assert (row["daytime_total"], row["daytime_highest"]) == (41, 30)


def test_per_week_of_placement_each_week_has_its_own_figures(audit: TimeAudit) -> None:
    by_week = rows({"view": "week"})
    assert [row["part"] for row in by_week] == ["Week 1", "Week 2"]
    assert [(row["pes"], row["daytime_total"], row["ooh_total"]) for row in by_week] == [
        (2, 15, 5),
        (1, 6, 0),
    ]
    assert by_week[0]["daytime_average"] == Decimal("7.5")


def test_hours_per_activity_count_only_the_weeks_split(audit: TimeAudit) -> None:
    [row] = rows()
    assert row["supervision_total"] == Decimal("1.5")
    assert row["report_writing_total"] == Decimal("6.5")
    assert row["observation_total"] == 0
    assert row["unsplit_total"] == 18


def test_the_totals_recompute_the_averages(audit: TimeAudit) -> None:
    report = get_report("time-audit")
    result = run_report(report, permissions.OPERATOR, parse_params(report, {"view": "week"}))
    assert result.totals["pe_weeks"] == 3
    assert result.totals["daytime_average"] == Decimal("7.0")
    assert result.totals["pes"] is None  # educators do not add up across weeks


def test_the_year_and_organisation_filters_narrow_the_audits(audit: TimeAudit) -> None:
    assert rows({"year": "2018/19"}) == []
    assert len(rows({"year": "2019/20"})) == 1
    assert rows({"organisation": "NOPE"}) == []
    assert len(rows({"organisation": audit.organisation.code})) == 1


def test_another_organisations_coordinator_does_not_see_the_audit(audit: TimeAudit) -> None:
    outsider = member(Role.COORDINATOR, TimeAuditFactory.create().organisation)
    assert rows(viewer=outsider) == []
    assert len(rows(viewer=member(Role.COORDINATOR, audit.organisation))) == 1

"""The demo partnership holds the case study's finished time audit: 11 Kent practice
educators, every week of their 2018/19 final placement logged, and the report's headline is
the case study's table (1,922 daytime and 236 out-of-hours hours; 28 and 19 at most in a week)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from practica.accounts import permissions
from practica.demo.data import load_demo
from practica.reports.registry import get_report, parse_params, run_report
from practica.timeaudit import selectors
from practica.timeaudit.models import AuditEnrolment

pytestmark = pytest.mark.django_db


def test_the_demo_audit_gives_the_case_studys_table() -> None:
    load_demo()
    report = get_report("time-audit")
    [row] = run_report(report, permissions.OPERATOR, parse_params(report, {})).rows
    assert (row["audit"], row["year"], row["organisation"]) == (
        "Practice educator time audit 2019",
        "2018/19",
        "Kent County Council",
    )
    assert row["pes"] == 11
    assert (row["daytime_total"], row["ooh_total"]) == (1922, 236)
    assert (row["daytime_highest"], row["ooh_highest"]) == (28, 19)
    assert row["daytime_average"] == (Decimal(1922) / row["pe_weeks"]).quantize(Decimal("0.1"))
    assert row["supervision_total"] > 0  # some educators split their weeks by activity
    enrolments = AuditEnrolment.objects.unscoped("test").select_related("placement")
    assert all(not selectors.missing_weeks(enrolment) for enrolment in enrolments)
    assert len({e.placement.team.service_area_id for e in enrolments}) >= 3  # type: ignore[union-attr]
    load_demo()  # again: nothing is added
    assert AuditEnrolment.objects.unscoped("test").count() == 11

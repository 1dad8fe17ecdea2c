"""The hours reports reproduce the case study's 2019/20 figures from rows: 46 teaching sessions
(17 at CCCU, 29 at UoK) × 2 h = 92 h; 39 half-day interview sessions at CCCU × 4 h + 30 full
days at UoK × 6 h = 336 h; 428 h in all.

The case study splits the 92 h as 54 h of children's and 34 h of adults' practitioners' time,
which adds up to 88 h, not 92: 4 h (two sessions) are not attributed. The test keeps them with
no service area recorded, so the split shows 54 + 34 and the total still 92.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from practica.accounts.permissions import Operator
from practica.core.models import ServiceArea
from practica.core.services import ensure_academic_year
from practica.organisations.tests.factories import OrganisationFactory, PartnershipFactory
from practica.reports.registry import ReportParams, get_report
from practica.teaching.tests.factories import SessionContributorFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_study() -> None:
    partnership = PartnershipFactory.create(name="Kent and Medway")
    cccu = OrganisationFactory.create(partnership=partnership, code="CCCU", name="CCCU", kind="hei")
    uok = OrganisationFactory.create(partnership=partnership, code="UOK", name="UoK", kind="hei")
    kcc = OrganisationFactory.create(partnership=partnership, code="KCC", name="Kent")
    year = ensure_academic_year(start_year=2019)
    children = ServiceArea.objects.get(code="childrens")
    adults = ServiceArea.objects.get(code="adults")
    # 27 children's, 17 adults' and 2 unattributed teaching sessions: 17 at CCCU, 29 at UoK
    areas = [children] * 27 + [adults] * 17 + [None] * 2
    for number, area in enumerate(areas):
        session = TeachingSessionFactory.create(
            hei=cccu if number < 17 else uok,
            academic_year=year,
            date=datetime.date(2019, 10, 1) + datetime.timedelta(days=number),
            status="scheduled",
            hours=Decimal(2),
        )
        SessionContributorFactory.create(
            session=session,
            organisation=kcc,
            service_area=area,
            practitioner_teacher__person__organisation=kcc,
        )
    for hei, kind, count, hours in (
        (cccu, "interview_half", 39, 4),
        (uok, "interview_full", 30, 6),
    ):
        for number in range(count):
            session = TeachingSessionFactory.create(
                hei=hei,
                kind=kind,
                academic_year=year,
                date=datetime.date(2019, 11, 1) + datetime.timedelta(days=number),
                status="scheduled",
                hours=Decimal(hours),
            )
            SessionContributorFactory.create(
                session=session, organisation=kcc, practitioner_teacher__person__organisation=kcc
            )


def _run(name: str, **params: object) -> tuple[list[dict[str, object]], dict[str, object]]:
    report = get_report(name)
    rows = report.rows(Operator(), ReportParams(year=2019, **params))  # type: ignore[arg-type]
    return rows, report.totals(rows, Operator(), ReportParams(year=2019))


def test_teaching_activity_gives_46_sessions_and_92_hours(case_study: None) -> None:
    rows, totals = _run("teaching-activity")
    assert totals["scheduled_sessions"] == 46
    assert totals["scheduled_hours"] == 92
    assert totals["delivered_hours"] == 0
    by_area: dict[object, Decimal] = {}
    for row in rows:
        by_area[row["service_area"]] = by_area.get(row["service_area"], Decimal(0)) + Decimal(
            str(row["hours"])
        )
    children = ServiceArea.objects.get(code="childrens").name
    adults = ServiceArea.objects.get(code="adults").name
    assert by_area == {children: 54, adults: 34, "Not recorded": 4}
    per_hei: dict[object, int] = {}
    for row in rows:
        per_hei[row["hei"]] = per_hei.get(row["hei"], 0) + int(str(row["scheduled_sessions"]))
    assert per_hei == {"CCCU": 17, "UoK": 29}


def test_admissions_activity_gives_336_hours(case_study: None) -> None:
    rows, totals = _run("admissions-activity")
    assert {row["hei"]: (row["half_days"], row["full_days"]) for row in rows} == {
        "CCCU": (39, 0),
        "UoK": (0, 30),
    }
    assert totals["hours"] == 336


def test_practitioner_contribution_totals_428_hours_for_the_funder(case_study: None) -> None:
    _rows, totals = _run("practitioner-contribution")
    assert totals["teaching_hours"] == 92
    assert totals["admissions_hours"] == 336
    assert totals["hours"] == 428


def test_the_organisation_filter_narrows_to_one_university(case_study: None) -> None:
    rows, _ = _run("practitioner-contribution", organisations=("CCCU",))
    assert {row["hei"] for row in rows} == {"CCCU"}
    assert sum(Decimal(str(row["hours"])) for row in rows) == 17 * 2 + 39 * 4

"""The pe-register and peps-activity reports: figures from the records, scoped to the viewer,
shares recomputed in the totals."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core import academic_years
from practica.core.models import Organisation
from practica.educators.tests.factories import (
    ActivityFactory,
    PepsCohortFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
)
from practica.reports.registry import ReportParams, get_report, run_report

TODAY = timezone.localdate()


def register(org_a: Organisation, org_b: Organisation) -> None:
    """Alpha: 4 PEs (3 at Stage 2, 1 independent, 1 lapsed, 1 lapsing); Beta: 1 at Stage 1."""
    first = PracticeEducatorFactory.create(person__organisation=org_a, independent=True)
    ActivityFactory.create(educator=first, kind="student_pe")
    ActivityFactory.create(educator=first, kind="peps_assessor")
    ActivityFactory.create(
        educator=first, kind="asye_assessor", ended_on=TODAY - datetime.timedelta(days=1)
    )
    PracticeEducatorFactory.create(
        person__organisation=org_a, last_student_date=TODAY - datetime.timedelta(days=800)
    )
    PracticeEducatorFactory.create(
        person__organisation=org_a, last_student_date=TODAY - datetime.timedelta(days=700)
    )
    PracticeEducatorFactory.create(person__organisation=org_a, trainee=True)
    ActivityFactory.create(
        educator=PracticeEducatorFactory.create(person__organisation=org_b, stage1=True),
        kind="student_pe",
    )


def by_organisation(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {row["organisation"]: row for row in rows}


def test_the_register_report_counts_stages_independents_activities_and_currency(
    manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    register(org_a, org_b)
    result = run_report(get_report("pe-register"), manager, ReportParams())
    alpha = by_organisation(result.rows)["Alpha Council"]
    assert (alpha["pes"], alpha["stage2"], alpha["independent"]) == (4, 3, 1)
    assert alpha["stage2_share"] == Decimal("75.0")
    assert alpha["independent_share"] == Decimal("25.0")
    assert alpha["independent_target"] == Decimal(20)
    assert (alpha["student_pe"], alpha["peps_assessor"], alpha["asye_assessor"]) == (1, 1, 0)
    assert (alpha["lapsing"], alpha["lapsed"]) == (1, 1)
    beta = by_organisation(result.rows)["Beta University"]
    assert (beta["pes"], beta["stage2"], beta["student_pe"]) == (1, 0, 1)


def test_register_report_totals_recompute_the_shares(
    manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    register(org_a, org_b)
    totals = run_report(get_report("pe-register"), manager, ReportParams()).totals
    assert totals["pes"] == 5
    assert totals["stage2"] == 3
    assert totals["stage2_share"] == Decimal("60.0")  # 3 of 5, not the mean of 75% and 0%
    assert totals["independent_share"] == Decimal("20.0")
    assert totals["lapsed"] == 1


def test_a_coordinators_register_report_shows_only_their_organisation(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    register(org_a, org_b)
    rows = run_report(get_report("pe-register"), alice, ReportParams()).rows
    assert [row["organisation"] for row in rows] == ["Alpha Council"]


def test_the_register_report_filters_by_organisation_code(
    manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    register(org_a, org_b)
    rows = run_report(get_report("pe-register"), manager, ReportParams(organisations=("BBB",))).rows
    assert [row["organisation"] for row in rows] == ["Beta University"]


def test_peps_activity_counts_supported_and_passed_per_organisation_and_year(
    manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    stage1 = PepsCohortFactory.create(organisation=org_a, academic_year__start_year=2019, stage=1)
    stage2 = PepsCohortFactory.create(organisation=org_a, academic_year__start_year=2019, stage=2)
    earlier = PepsCohortFactory.create(organisation=org_a, academic_year__start_year=2018, stage=1)
    for cohort, outcomes in [
        (stage1, ["passed", "passed", "withdrawn"]),
        (stage2, ["passed", "enrolled"]),
        (earlier, ["deferred"]),
    ]:
        for outcome in outcomes:
            enrolment = PepsEnrolmentFactory.create(cohort=cohort)
            if outcome != "enrolled":
                enrolment.outcome = outcome
                enrolment.outcome_date = datetime.date(cohort.academic_year.start_year + 1, 6, 1)
                enrolment.save()
    PepsEnrolmentFactory.create(cohort__organisation=org_b, cohort__academic_year__start_year=2019)
    result = run_report(get_report("peps-activity"), manager, ReportParams(year=2019))
    rows = {(r["organisation"], r["academic_year"]): r for r in result.rows}
    assert set(rows) == {("Alpha Council", "2019/20"), ("Beta University", "2019/20")}
    alpha = rows[("Alpha Council", "2019/20")]
    assert (alpha["stage1_supported"], alpha["stage1_passed"]) == (3, 2)
    assert (alpha["stage2_supported"], alpha["stage2_passed"]) == (2, 1)
    assert result.totals["supported"] == 6
    all_years = run_report(get_report("peps-activity"), manager, ReportParams()).rows
    assert len(all_years) == 3


def test_peps_activity_is_scoped_to_the_coordinators_organisation(
    charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    PepsEnrolmentFactory.create(cohort__organisation=org_a)
    PepsEnrolmentFactory.create(cohort__organisation=org_b)
    rows = run_report(get_report("peps-activity"), charlie, ReportParams()).rows
    assert [row["organisation"] for row in rows] == ["Beta University"]


def test_the_csv_export_of_the_register_report_is_scoped(
    client: Client, alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    register(org_a, org_b)
    client.force_login(alice)
    response = client.get(
        reverse("reports:report-detail", args=["pe-register"]), {"download": "csv"}
    )
    assert response.status_code == 200
    text = response.getvalue().decode("utf-8-sig")
    assert "Alpha Council" in text
    assert "Beta University" not in text


def test_the_command_line_sees_every_organisation(org_a: Organisation, org_b: Organisation) -> None:
    register(org_a, org_b)
    result = run_report(get_report("pe-register"), permissions.OPERATOR, ReportParams())
    assert result.as_json()["totals"]["pes"] == 5


def test_the_report_pages_show_both_reports(
    client: Client, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    register(org_a, org_b)
    PepsEnrolmentFactory.create(cohort__organisation=org_a)
    client.force_login(manager)
    register_page = client.get(reverse("reports:report-detail", args=["pe-register"]))
    assert register_page.status_code == 200
    assert "Independent target" in register_page.content.decode()
    activity_page = client.get(reverse("reports:report-detail", args=["peps-activity"]))
    assert activity_page.status_code == 200
    assert "2019/20" in activity_page.content.decode()


def test_the_capacity_forecast_sets_each_organisations_offers_against_its_own_pes(
    manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    from practica.core.services import ensure_academic_year
    from practica.placements.tests.factories import PlacementOfferFactory, StudentFactory

    # Beta University's students: BA years 1 and 2 and MA year 1 need a placement next year;
    # BA year 3 and MA year 2 graduate.
    for route, year in [("ba", 1), ("ba", 2), ("ba", 3), ("ma", 1), ("ma", 2)]:
        StudentFactory.create(hei=org_b, route=route, year_of_study=year)
    # Alpha Council: two PEs current on 1 September next year, one lapsed by then, one trainee
    # in this year's Stage 1 cohort.
    PracticeEducatorFactory.create_batch(2, person__organisation=org_a)
    PracticeEducatorFactory.create(
        person__organisation=org_a, last_student_date=TODAY - datetime.timedelta(days=720)
    )
    this_year = academic_years.academic_year_of(TODAY)
    PepsEnrolmentFactory.create(
        cohort__organisation=org_a, cohort__academic_year__start_year=this_year, cohort__stage=1
    )
    # Alpha Council offers two final placements next year (and had offered three this year)
    PlacementOfferFactory.create(
        organisation=org_a, academic_year=ensure_academic_year(start_year=this_year + 1), slots=2
    )
    PlacementOfferFactory.create(
        organisation=org_a, academic_year=ensure_academic_year(start_year=this_year), slots=3
    )
    result = run_report(get_report("pe-capacity-forecast"), manager, ReportParams())
    rows = by_organisation(result.rows)
    alpha, beta = rows["Alpha Council"], rows["Beta University"]
    assert alpha["academic_year"] == academic_years.format_academic_year(this_year + 1)
    assert (alpha["pes_current"], alpha["pipeline"], alpha["pes_available"]) == (2, 1, 3)
    assert (alpha["slots_offered"], alpha["pes_needed"], alpha["balance"]) == (2, 2, 1)
    # the university's students are the demand the offers meet, not a PE balance of its own
    assert (beta["students"], beta["pes_needed"], beta["balance"]) == (3, 0, 0)
    assert (result.totals["students"], result.totals["slots_offered"]) == (3, 2)
    assert result.totals["balance"] == 1


def test_the_capacity_forecast_shows_a_coordinator_only_their_organisation(
    alice: User, org_a: Organisation, org_b: Organisation
) -> None:
    from practica.placements.tests.factories import StudentFactory

    StudentFactory.create(hei=org_b, route="ba", year_of_study=1)
    PracticeEducatorFactory.create(person__organisation=org_a)
    rows = run_report(get_report("pe-capacity-forecast"), alice, ReportParams()).rows
    assert [row["organisation"] for row in rows] == ["Alpha Council"]


def test_the_register_page_shows_percentages_and_right_aligns_numbers(
    client: Client, manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    register(org_a, org_b)
    client.force_login(manager)
    page = client.get(reverse("reports:report-detail", args=["pe-register"])).content.decode()
    body = page[page.index('<tbody class="govuk-table__body">') : page.index("</tbody>")]
    foot = page[page.index("<tfoot>") : page.index("</tfoot>")]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">75.0%</td>' in body
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">20%</td>' in body
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in body
    assert 'govuk-table__cell--numeric govuk-!-font-weight-bold">60.0%</td>' in foot
    assert 'govuk-table__cell--numeric govuk-!-font-weight-bold">5</td>' in foot
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Share' in page
    assert '<th scope="col" class="govuk-table__header">Organisation</th>' in page

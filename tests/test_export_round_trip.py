"""Acceptance (issue 5): the demo partnership → `practica export-all` → an empty Practica →
`practica import` gives identical JSON from every registered report, with a representative set
of filters, and the re-imported partnership exports the very same files. No lock-in.

The round trip runs once per format (in one rolled-back transaction); each report and filter
is then its own test, so a report whose records cannot come back fails by name. A report whose
app has no import kind for its records yet fails here until one is written: nothing is skipped.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from openpyxl import load_workbook

from practica.accounts import permissions
from practica.core.formulas import is_formula_like
from practica.core.models import Location, Organisation, Person, ServiceArea, Team
from practica.demo.data import load_demo
from practica.organisations.tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
)
from practica.reports.registry import Report, all_reports, get_report, parse_params, run_report

# The first marker makes pytest-django create the test database before the module's fixture
# runs; the second keeps the module on one xdist worker (`--dist loadgroup`), so the costly
# round trip (the demo exported and imported twice) is made once, not once by each worker.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("export-round-trip")]
FORMATS = ("zip", "xlsx")
# Why a report is known not to come back yet. Its cases are expected failures, strictly: the day
# its records do come back, the case passes and so fails the run until the gap is taken out here.
KNOWN_GAPS: dict[str, str] = {
    # by design (docs/0032): nobody but the practitioner records or reads their diversity
    # answers one by one, so no file carries them; a restored backup counts no one until they
    # answer again (the demo's practitioners answered, so the report differs)
    "pt-directory-diversity": "practitioners' own diversity answers are never exported",
}


def filter_sets(report: Report) -> Iterator[tuple[str, dict[str, str]]]:
    """No filter, and each standard filter the report has: 2019/20, an LA, children's."""
    yield "no filter", {}
    if "year" in report.filters:
        yield "year 2019/20", {"year": "2019/20"}
    if "organisation" in report.filters:
        yield "organisation MC", {"organisation": "MC"}
    if "service_area" in report.filters:
        yield "children's services", {"service_area": "childrens"}
    if "year" in report.filters and "organisation" in report.filters:
        yield "KCC in 2019/20", {"year": "2019/20", "organisation": "KCC"}


CASES = [
    pytest.param(
        report.name,
        label,
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[report.name])]
        if report.name in KNOWN_GAPS
        else [],
    )
    for report in all_reports()
    for label, _data in filter_sets(report)
]


def every_report() -> dict[tuple[str, str], Any]:
    results = {}
    for report in all_reports():
        for label, data in filter_sets(report):
            result = run_report(report, permissions.OPERATOR, parse_params(report, data))
            results[report.name, label] = json.loads(json.dumps(result.as_json()))
    return results


def files_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def empty_practica() -> None:
    """The database as a fresh installation has it: flushed, with the vocabulary that the
    migrations add (service areas, areas of expertise) put back. Refuses any database but a test database."""
    name = str(connection.settings_dict["NAME"])
    if not (name.startswith("file:memorydb") or Path(name).name.startswith("test_")):
        raise RuntimeError(f"Refusing to empty {name}: it is not a test database.")
    if connection.vendor == "postgresql":  # TRUNCATE needs no deferred checks pending
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    ContentType.objects.clear_cache()
    importlib.import_module("practica.core.migrations.0002_service_areas").add_areas(apps, None)
    importlib.import_module("practica.teaching.migrations.0002_expertise").add_expertise(apps, None)
    assert not Organisation.objects.unscoped("test").exists()
    assert not Person.objects.unscoped("test").exists()
    assert ServiceArea.objects.count() == 4


@dataclass(frozen=True)
class RoundTrip:
    before: dict[tuple[str, str], Any]
    after: dict[tuple[str, str], Any]
    imported: str  # what `practica import` said
    exported_again_identically: bool
    rows_per_file: dict[str, int]  # data rows of each file of the first (zip) export


@pytest.fixture(scope="module")
def round_trips(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, RoundTrip]:
    folder = tmp_path_factory.mktemp("round-trip")
    results = {}
    with django_db_blocker.unblock():
        with transaction.atomic():  # rolled back below: other tests see the database as it was
            load_demo()
            before = every_report()
            exports = {fmt: folder / f"export.{fmt}" for fmt in FORMATS}
            for fmt, path in exports.items():
                call_command(
                    "export-all", "--format", fmt, "--output", str(path), stdout=io.StringIO()
                )
            for fmt, path in exports.items():
                empty_practica()
                said = io.StringIO()
                call_command("import", str(path), "--no-invite", stdout=said)
                again = folder / f"again-from-{fmt}.zip"
                call_command(
                    "export-all", "--format", "zip", "--output", str(again), stdout=io.StringIO()
                )
                results[fmt] = RoundTrip(
                    before,
                    every_report(),
                    said.getvalue(),
                    files_of(again) == files_of(exports["zip"]),
                    {
                        name: len(list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))) - 1
                        for name, content in files_of(exports["zip"]).items()
                    },
                )
            transaction.set_rollback(True)
        ContentType.objects.clear_cache()  # the flushed ids must not outlive the round trip
    return results


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_export_imports_whole_into_an_empty_practica(
    round_trips: dict[str, RoundTrip], fmt: str
) -> None:
    said = round_trips[fmt].imported
    assert said.startswith("Created ")
    assert "updated 0, left 0 unchanged" in said


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_reimported_partnership_exports_the_same_files(
    round_trips: dict[str, RoundTrip], fmt: str
) -> None:
    assert round_trips[fmt].exported_again_identically


# Kinds whose records no report shows: only their own file, exported again identically after
# the import, says they came back. The demo holds records of each (issue 14: the protocol).
# The records kept during placements are in the demo too (issue 12).
WITHOUT_A_REPORT = (
    "teaching-requests",
    "teaching-offers",
    "contributor-consents",
    "preplacement-checks",
    "attendance",
    "direct-observations",
    "placement-reviews",
    "causes-for-concern",
    "skills-days",
    # quotas per university: the allocation runs keep them, no report shows them (docs/0028)
    "placement-quotas",
)


@pytest.mark.parametrize("kind", WITHOUT_A_REPORT)
def test_records_no_report_shows_are_in_the_export_too(
    round_trips: dict[str, RoundTrip], kind: str
) -> None:
    trip = round_trips["zip"]
    assert trip.rows_per_file.get(f"{kind}.csv", 0) > 0, f"the export has no {kind}"
    assert trip.exported_again_identically


def test_every_registered_report_is_compared() -> None:
    assert {case.values[0] for case in CASES} == {report.name for report in all_reports()}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("report", "filters"), CASES)
def test_the_report_gives_identical_json_after_the_round_trip(
    round_trips: dict[str, RoundTrip], fmt: str, report: str, filters: str
) -> None:
    trip = round_trips[fmt]
    before, after = trip.before[report, filters], trip.after[report, filters]
    why = KNOWN_GAPS.get(report, "")
    assert after == before, (
        f"{get_report(report).title} ({filters}) differs after the round trip"
        + (f" – known: {why}" if why else "")
        + f"\nbefore: {before}\nafter:  {after}"
    )


FORMULA_LIKE_TEAMS = ["=SUM(A1)", "+44 team", "-Duty team", "@team", "'=quoted"]


def cells_of(path: Path) -> list[str]:
    """Every cell of an export, as a spreadsheet would open it."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return [
                cell
                for name in archive.namelist()
                for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
                for cell in row
            ]
    workbook = load_workbook(path)
    assert all(cell.data_type != "f" for s in workbook for row in s.iter_rows() for cell in row)
    return [str(c.value) for s in workbook for row in s.iter_rows() for c in row if c.value]


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_that_start_like_formulas_are_neutralised_and_come_back_exactly(
    db: None, tmp_path: Path, fmt: str
) -> None:
    partnership = PartnershipFactory.create(name="=Partners")
    lead = OrganisationFactory.create(partnership=partnership, code="MC", name="+Medway")
    partnership.lead_organisation = lead
    partnership.save()
    LocationFactory.create(
        organisation=lead, name="@Hub", latitude=Decimal("51.38"), longitude=Decimal("-0.52")
    )
    teams = [TeamFactory.create(organisation=lead, name=name) for name in FORMULA_LIKE_TEAMS]
    PersonFactory.create(
        organisation=lead, first_name="=Ann", last_name="@Ng", job_title="-lead", team=teams[0]
    )
    PersonFactory.create(organisation=lead, first_name="+Bo", last_name="-Li", email="")
    before = every_report()
    exported = tmp_path / f"export.{fmt}"
    call_command("export-all", "--format", fmt, "--output", str(exported), stdout=io.StringIO())
    first_zip = tmp_path / "first.zip"
    call_command("export-all", "--format", "zip", "--output", str(first_zip), stdout=io.StringIO())
    cells = cells_of(exported)
    assert {"'=SUM(A1)", "'+Medway", "''=quoted"} <= set(cells)
    assert any(cell.startswith("'-0.52") for cell in cells)  # a negative longitude too
    assert not [cell for cell in cells if is_formula_like(cell)]

    empty_practica()
    said = io.StringIO()
    call_command("import", str(exported), "--no-invite", stdout=said)
    ContentType.objects.clear_cache()

    assert "updated 0, left 0 unchanged" in said.getvalue()
    assert sorted(Team.objects.unscoped("test").values_list("name", flat=True)) == sorted(
        FORMULA_LIKE_TEAMS
    )
    assert Location.objects.unscoped("test").get().longitude == Decimal("-0.52")
    ann = Person.objects.unscoped("test").get(first_name="=Ann")
    assert (ann.last_name, ann.job_title, ann.team and ann.team.name) == (
        "@Ng",
        "-lead",
        "=SUM(A1)",
    )
    assert (
        Person.objects.unscoped("test").filter(first_name="+Bo", last_name="-Li", email="").exists()
    )
    assert Organisation.objects.unscoped("test").get(code="MC").partnership.name == "=Partners"
    assert every_report() == before
    again = tmp_path / "again.zip"
    call_command("export-all", "--format", "zip", "--output", str(again), stdout=io.StringIO())
    assert files_of(again) == files_of(first_zip)

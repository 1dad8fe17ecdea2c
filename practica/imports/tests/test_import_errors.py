"""Every failure mode of an import gives a clear message and leaves the database unchanged."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.test import override_settings

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Location, Organisation, Team
from practica.imports.framework import ImportContext
from practica.imports.models import ImportedRecord
from practica.imports.registry import get_importer
from practica.imports.services import import_files

HEADER = "organisation,name,service_area,location\n"


def run(
    content: bytes, name: str = "teams.csv", *, dry_run: bool = False, kind: str = "teams"
) -> list[str]:
    result = import_files(
        actor=None,
        viewer=permissions.OPERATOR,
        files=[(get_importer(kind), name, content)],
        dry_run=dry_run,
    )
    return [str(error) for error in result.errors]


def snapshot() -> tuple[int, int, int]:
    return (
        Team.objects.unscoped("test").count(),
        Location.objects.unscoped("test").count(),
        ImportedRecord.objects.count(),
    )


@pytest.fixture
def before(mc: Organisation) -> tuple[int, int, int]:
    return snapshot()


def test_a_valid_file_imports_and_reimporting_changes_nothing(before: tuple[int, int, int]) -> None:
    content = (HEADER + "MC,Assessment,childrens,Gillingham\nMC,Adults north,adults,\n").encode()
    assert run(content) == []
    assert Team.objects.unscoped("test").count() == 2
    assert Location.objects.unscoped("test").filter(name="Gillingham").count() == 1
    after_first = snapshot()
    assert run(content) == []
    assert snapshot()[:2] == after_first[:2]


def test_a_dry_run_reports_and_writes_nothing(before: tuple[int, int, int]) -> None:
    result = import_files(
        actor=None,
        viewer=permissions.OPERATOR,
        files=[(get_importer("teams"), "t.csv", (HEADER + "MC,Assessment,childrens,\n").encode())],
        dry_run=True,
    )
    assert result.counts() == {"create": 1, "update": 0, "unchanged": 0}
    assert snapshot() == before


def test_headers_match_whatever_their_case_and_spaces(before: tuple[int, int, int]) -> None:
    assert run(b" ORGANISATION , Name ,Service_Area\nMC,Assessment,childrens\n") == []
    assert Team.objects.unscoped("test").filter(name="Assessment").exists()


def test_an_unknown_header_is_named(before: tuple[int, int, int]) -> None:
    errors = run(b"organisation,name,service_area,colour\nMC,A,childrens,red\n")
    assert errors == [
        "row 1, column colour: is not a column of teams imports; the columns are: organisation, name, service_area, location."
    ]
    assert snapshot() == before


def test_a_missing_required_column_is_named(before: tuple[int, int, int]) -> None:
    assert run(b"organisation,name\nMC,A\n") == [
        "row 1, column service_area: is missing from the header row; it is required."
    ]
    assert snapshot() == before


def test_every_bad_row_is_reported_at_once_and_nothing_is_written(
    before: tuple[int, int, int],
) -> None:
    content = (
        HEADER
        + "MC,Good team,childrens,\n"
        + "XX,Unknown organisation,childrens,\n"
        + "MC,Bad area,kids,\n"
        + "MC,,adults,\n"
        + "MC,good TEAM,adults,\n"
    ).encode()
    assert run(content) == [
        "row 3, column organisation: there is no organisation with the code “XX”.",
        "row 4, column service_area: “kids” is not a service area; use one of: Adult services, "
        "Children's services, Mental health, Other.",
        "row 5, column name: is empty; a value is required.",
        "row 6, column organisation: repeats row 2 (organisation, name must be unique in a file).",
    ]
    assert snapshot() == before


def test_a_bad_type_is_explained(before: tuple[int, int, int]) -> None:
    from practica.imports import parsers

    ctx = ImportContext(actor=None, viewer=permissions.OPERATOR)
    with pytest.raises(Exception, match="is not a whole number"):
        parsers.integer()("twelve", ctx)
    with pytest.raises(Exception, match=r"is not a date; write it like 2020-01-06"):
        parsers.date("31/02/2020", ctx)
    with pytest.raises(Exception, match="is not yes or no"):
        parsers.yes_no("maybe", ctx)
    with pytest.raises(Exception, match="write it like 2019/20"):
        parsers.academic_year("2019-2020", ctx)


def test_utf8_with_bom_and_windows_1252_are_read(before: tuple[int, int, int]) -> None:
    assert run(("\ufeff" + HEADER + "MC,Équipe café,childrens,\n").encode("utf-8")) == []
    assert run((HEADER + "MC,Children’s team – north,childrens,\n").encode("cp1252")) == []
    assert set(Team.objects.unscoped("test").values_list("name", flat=True)) == {
        "Équipe café",
        "Children’s team – north",
    }


def test_a_utf16_file_is_refused(before: tuple[int, int, int]) -> None:
    errors = run((HEADER + "MC,A,childrens,\n").encode("utf-16"))
    assert errors == [
        "teams.csv is not a CSV or XLSX spreadsheet (or is a CSV saved as UTF-16). Save it as 'CSV UTF-8' or as an Excel workbook (.xlsx)."
    ]
    assert snapshot() == before


def test_a_file_that_is_not_a_spreadsheet_is_refused(before: tuple[int, int, int]) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    assert "is not a CSV or XLSX spreadsheet" in run(png, "teams.csv")[0]
    assert snapshot() == before


@override_settings(IMPORT_MAX_BYTES=100)
def test_an_oversized_file_is_refused(before: tuple[int, int, int]) -> None:
    content = (HEADER + "MC,A team with a long name,childrens,\n" * 5).encode()
    assert run(content) == [
        "teams.csv is 0.0 MB; files over 0 MB are refused. Split it into smaller files."
    ]
    assert snapshot() == before


@override_settings(IMPORT_MAX_ROWS=2)
def test_too_many_rows_are_refused(before: tuple[int, int, int]) -> None:
    content = (HEADER + "".join(f"MC,Team {n},childrens,\n" for n in range(3))).encode()
    assert run(content) == ["teams.csv has 3 rows; the limit is 2."]
    assert snapshot() == before


def test_a_zip_bomb_is_refused_before_it_is_unpacked(before: tuple[int, int, int]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))  # 60 MB of zeros
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    errors = run(content, "teams.xlsx")
    assert errors == [
        "teams.xlsx would unpack to 60 MB (limit 50 MB); it is refused as a possible zip bomb."
    ]
    assert snapshot() == before


def test_a_formula_cell_is_refused(
    before: tuple[int, int, int], make_xlsx: Callable[[list[list[object]]], bytes]
) -> None:
    content = make_xlsx(
        [
            ["organisation", "name", "service_area"],
            ["MC", "Good", "childrens"],
            ["MC", '=HYPERLINK("http://x")', "adults"],
        ]
    )
    assert run(content, "teams.xlsx") == [
        'row 3, column name: contains a formula (=HYPERLINK("http://x")); paste values only.'
    ]
    assert snapshot() == before


def test_a_formula_in_a_csv_is_refused_too(before: tuple[int, int, int]) -> None:
    assert run((HEADER + "MC,=1+2,childrens,\n").encode()) == [
        "row 2, column name: contains a formula (=1+2); paste values only."
    ]


def test_a_formula_after_spaces_in_a_workbooks_text_cell_is_refused(
    before: tuple[int, int, int], make_xlsx: Callable[[list[list[object]]], bytes]
) -> None:
    content = make_xlsx([["organisation", "name", "service_area"], ["MC", " =1+2", "adults"]])
    assert run(content, "teams.xlsx") == [
        "row 2, column name: contains a formula (=1+2); paste values only."
    ]
    assert snapshot() == before


@pytest.mark.parametrize("name", ["+44 team", "-3", "@SUM(A1)", "-Duty team"])
def test_text_starting_with_plus_minus_or_at_is_read_as_the_text_it_is(
    before: tuple[int, int, int], name: str
) -> None:
    assert run((HEADER + f"MC,{name},childrens,\n").encode()) == []
    assert Team.objects.unscoped("test").get(organisation__code="MC").name == name


@pytest.mark.parametrize(
    ("cell", "name"),
    [("'=SUM(A1)", "=SUM(A1)"), ("'-Duty team", "-Duty team"), ("''@x", "'@x"), ("'tis", "'tis")],
)
def test_a_neutralised_cell_reads_back_as_the_text_it_was(
    before: tuple[int, int, int],
    make_xlsx: Callable[[list[list[object]]], bytes],
    cell: str,
    name: str,
) -> None:
    assert run((HEADER + f"MC,{cell},childrens,\n").encode()) == []
    assert Team.objects.unscoped("test").get(organisation__code="MC").name == name
    content = make_xlsx([["organisation", "name", "service_area"], ["MC", cell, "childrens"]])
    assert run(content, "teams.xlsx") == []
    assert Team.objects.unscoped("test").get(organisation__code="MC").name == name


def test_xlsx_rows_are_imported(
    before: tuple[int, int, int], make_xlsx: Callable[[list[list[object]]], bytes]
) -> None:
    content = make_xlsx(
        [
            ["Organisation", "Name", "Service_area", "Location"],
            ["MC", "From Excel", "adults", "Chatham"],
            [None, None, None, None],
            ["MC", "Second", "adults", None],
        ]
    )
    assert run(content, "teams.xlsx") == []
    assert Team.objects.unscoped("test").filter(name__in=["From Excel", "Second"]).count() == 2


def test_an_organisation_outside_the_only_organisation_is_refused(
    before: tuple[int, int, int], partnership: object
) -> None:
    from practica.organisations.tests.factories import OrganisationFactory

    other = OrganisationFactory.create(partnership=partnership, code="KCC")
    result = import_files(
        actor=None,
        viewer=permissions.OPERATOR,
        files=[(get_importer("teams"), "t.csv", (HEADER + "MC,A,childrens,\n").encode())],
        dry_run=False,
        only_organisation=other,
    )
    assert [str(e) for e in result.errors] == [
        f"row 2, column organisation: “MC” is not KCC; this import is limited to {other.name}."
    ]
    assert snapshot() == before


def test_a_coordinator_cannot_import_into_another_organisation(
    before: tuple[int, int, int], charlie: User
) -> None:
    result = import_files(
        actor=charlie,
        viewer=charlie,
        files=[(get_importer("teams"), "t.csv", (HEADER + "MC,A,childrens,\n").encode())],
        dry_run=False,
    )
    assert [str(e) for e in result.errors] == [
        "row 2, column organisation: you cannot import records for Medway Council (MC)."
    ]
    assert snapshot() == before


def test_an_error_injected_half_way_leaves_the_database_as_it_was(
    before: tuple[int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from practica.core import services

    real = services.create_team
    calls = {"n": 0}

    def failing(**kwargs: Any) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("the disk is full")
        return real(**kwargs)

    monkeypatch.setattr(services, "create_team", failing)
    content = (HEADER + "".join(f"MC,Team {n},childrens,Office {n}\n" for n in range(5))).encode()
    with pytest.raises(RuntimeError, match="the disk is full"):
        run(content)
    assert calls["n"] == 3
    assert snapshot() == before

"""`practica export-all`: every kind in the files its importer reads, in dependency order; what
cannot round-trip is refused rather than written."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation, Team
from practica.imports import registry
from practica.imports.exporting import ExportRefusedError, export_kinds
from practica.imports.framework import Importer
from practica.imports.registry import all_importers
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PersonFactory,
    TeamFactory,
)


def export(tmp_path: Path, *args: str, name: str = "export.zip") -> Path:
    path = tmp_path / name
    call_command("export-all", "--output", str(path), *args)
    return path


def csv_files(path: Path) -> dict[str, list[list[str]]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
            for name in archive.namelist()
        }


@pytest.fixture
def records(org_a: Organisation, org_b: Organisation) -> None:
    team = TeamFactory.create(organisation=org_a, name="-Duty team")
    PersonFactory.create(
        organisation=org_a, team=team, email="p@a.example", job_title="+44 lead", last_name="@Ng"
    )


def test_every_import_kind_can_export_its_records(db: None) -> None:
    for importer in all_importers():
        assert isinstance(importer.export_rows(permissions.OPERATOR), list), importer.kind


def test_a_zip_has_one_csv_per_kind_named_after_it_in_dependency_order(
    tmp_path: Path, records: None, capsys: pytest.CaptureFixture[str]
) -> None:
    files = csv_files(export(tmp_path, "--format", "zip"))
    kinds = [importer.kind for importer in all_importers()]
    names = [name.removesuffix(".csv") for name in files]
    assert names == [kind for kind in kinds if kind in names]
    assert names == ["partnership", "organisations", "teams", "people"]
    assert files["teams.csv"][0] == ["organisation", "name", "service_area", "location"]
    assert ["AAA", "-Duty team", "childrens", ""] in files["teams.csv"]
    assert "Exported 1 partnership, 2 organisations" in capsys.readouterr().out


def test_formula_like_text_is_exported_as_it_is_and_reads_back_unchanged(
    tmp_path: Path, records: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(tmp_path, name="export.xlsx")
    workbook = load_workbook(path)
    cells = {cell.value: cell.data_type for row in workbook["teams"].iter_rows() for cell in row}
    assert cells["-Duty team"] == "s"  # text, never a formula, and no apostrophe added
    people = [[cell.value for cell in row] for row in workbook["people"].iter_rows()]
    assert ["AAA", people[1][1], "@Ng", "p@a.example", "-Duty team", "+44 lead"] in people
    capsys.readouterr()
    call_command("import", str(path), "--dry-run")
    assert "would create 0" in capsys.readouterr().out.lower()


def test_a_value_starting_with_equals_refuses_the_export_and_writes_no_file(
    tmp_path: Path, org_a: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    Team.objects.create(
        organisation=org_a, name="=SUM(A1)", service_area=TeamFactory.build().service_area
    )
    with pytest.raises(CommandError) as caught:
        export(tmp_path)
    assert caught.value.returncode == 2
    assert (
        "teams, row 2, column name: “=SUM(A1)” starts with “=”, which importers refuse as a "
        "formula; change it in Practica and export again." in capsys.readouterr().err
    )
    assert list(tmp_path.iterdir()) == []


def test_a_kind_that_cannot_export_yet_refuses_the_export(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unfinished(Importer):
        kind = "unfinished"
        title = description = "Unfinished"
        columns = []
        natural_key = ()

    monkeypatch.setitem(registry._IMPORTERS, "unfinished", Unfinished())
    with pytest.raises(ExportRefusedError) as caught:
        export_kinds(permissions.OPERATOR)
    assert caught.value.problems == ["The unfinished import kind cannot export its records yet."]


def test_a_users_export_holds_only_what_they_may_see(
    tmp_path: Path, records: None, alice: User, charlie: User
) -> None:
    files = csv_files(export(tmp_path, "--format", "zip", "--user", "alice@example.test"))
    assert [row[0] for row in files["organisations.csv"][1:]] == ["AAA"]
    assert "BBB" not in str(files)


def test_with_two_partnerships_the_command_line_asks_whose(
    tmp_path: Path, org_a: Organisation
) -> None:
    OrganisationFactory.create(partnership=PartnershipFactory.create(name="Another"))
    with pytest.raises(CommandError) as caught:
        export(tmp_path)
    assert "more than one partnership; export one with --user EMAIL" in str(caught.value)


def test_an_unknown_user_is_refused(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError) as caught:
        export(tmp_path, "--user", "nobody@example.test")
    assert caught.value.returncode == 2


def test_the_workbook_names_each_sheet_after_its_kind_with_a_notes_sheet(
    tmp_path: Path, records: None
) -> None:
    sheets: list[Any] = load_workbook(export(tmp_path, name="e.xlsx")).sheetnames
    assert sheets == ["partnership", "organisations", "teams", "people", "Notes"]

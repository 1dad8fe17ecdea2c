from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practica.core.models import Organisation, Team


def test_cli_dry_run_writes_nothing(
    tmp_path: Path, mc: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "teams.csv"
    file.write_text("organisation,name,service_area\nMC,A,childrens\n")
    call_command("import", "teams", str(file), "--dry-run")
    assert "Would create 1" in capsys.readouterr().out
    assert not Team.objects.exists()


def test_cli_errors_go_to_stderr_with_exit_code_2(
    tmp_path: Path, mc: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "teams.csv"
    file.write_text("organisation,name,service_area\nMC,A,kids\n")
    with pytest.raises(CommandError) as caught:
        call_command("import", "teams", str(file))
    assert caught.value.returncode == 2
    assert "row 2, column service_area: “kids” is not one of" in capsys.readouterr().err
    assert not Team.objects.exists()


def test_a_zip_imports_organisations_then_teams_in_one_transaction(
    tmp_path: Path, partnership: object
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("teams.csv", "organisation,name,service_area\nNEW,First team,adults\n")
        archive.writestr("organisations.csv", "code,name,kind\nNEW,New Borough,local_authority\n")
    path = tmp_path / "setup.zip"
    path.write_bytes(buffer.getvalue())
    call_command("import", str(path))
    assert Team.objects.get(name="First team").organisation.code == "NEW"


def test_a_folder_with_one_bad_file_writes_nothing_and_names_file_row_and_column(
    tmp_path: Path, partnership: object, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "organisations.csv").write_text("code,name,kind\nNEW,New Borough,local_authority\n")
    (tmp_path / "teams.csv").write_text("organisation,name,service_area\nNEW,First team,sideways\n")
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path))
    assert "teams.csv, row 2, column service_area" in capsys.readouterr().err
    assert not Organisation.objects.filter(code="NEW").exists()


def test_list_names_every_kind_with_its_columns(
    capsys: pytest.CaptureFixture[str], db: None
) -> None:
    call_command("import", "--list")
    out = capsys.readouterr().out
    assert "teams" in out
    assert "service_area (required)" in out

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
    assert not Team.objects.unscoped("test").exists()


def test_cli_errors_go_to_stderr_with_exit_code_2(
    tmp_path: Path, mc: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "teams.csv"
    file.write_text("organisation,name,service_area\nMC,A,kids\n")
    with pytest.raises(CommandError) as caught:
        call_command("import", "teams", str(file))
    assert caught.value.returncode == 2
    assert "row 2, column service_area: “kids” is not a service area" in capsys.readouterr().err
    assert not Team.objects.unscoped("test").exists()


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
    assert Team.objects.unscoped("test").get(name="First team").organisation.code == "NEW"


def test_a_folder_with_one_bad_file_writes_nothing_and_names_file_row_and_column(
    tmp_path: Path, partnership: object, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "organisations.csv").write_text("code,name,kind\nNEW,New Borough,local_authority\n")
    (tmp_path / "teams.csv").write_text("organisation,name,service_area\nNEW,First team,sideways\n")
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path))
    assert "teams.csv, row 2, column service_area" in capsys.readouterr().err
    assert not Organisation.objects.unscoped("test").filter(code="NEW").exists()


def test_list_names_every_kind_with_its_columns(
    capsys: pytest.CaptureFixture[str], db: None
) -> None:
    call_command("import", "--list")
    out = capsys.readouterr().out
    assert "teams" in out
    assert "service_area (required)" in out


def test_a_folder_with_a_bad_users_file_writes_nothing_and_lists_every_error(
    tmp_path: Path, partnership: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from practica.accounts.models import User
    from practica.placements.models import Student

    (tmp_path / "organisations.csv").write_text(
        "code,name,kind\nNEW,New Borough,local_authority\nUNI,New University,hei\n"
    )
    (tmp_path / "students.csv").write_text(
        "student_ref,hei,first_name,last_name,route,year_of_study\nS1,UNI,Amira,Khan,ba,2\n"
    )
    (tmp_path / "users.csv").write_text(
        "email,first_name,last_name,organisation,role\n"
        "sam@new.example,Sam,Patel,NEW,coordinator\n"
        "kim-at-new,Kim,Lee,NEW,coordinator\n"
        "lou@new.example,Lou,Ray,NOPE,boss\n"
    )
    with pytest.raises(CommandError) as caught:
        call_command("import", str(tmp_path))
    assert str(caught.value) == "3 problem(s) found; nothing was imported."
    assert capsys.readouterr().err.splitlines() == [
        "users.csv, row 3, column email: “kim-at-new” is not an e-mail address.",
        "users.csv, row 4, column organisation: there is no organisation with the code “NOPE”.",
        "users.csv, row 4, column role: “boss” is not one of: "
        "Partnership manager, Coordinator, Practice educator, Practitioner teacher, Lived-experience contributor, Student, Module leader or academic, Line manager.",
    ]
    assert not Organisation.objects.unscoped("test").filter(code__in=["NEW", "UNI"]).exists()
    assert not User.objects.exists()
    assert not Student.objects.unscoped("test").exists()


def test_a_folder_with_a_bad_students_file_writes_nothing_and_names_file_row_and_column(
    tmp_path: Path, partnership: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from practica.placements.models import Student

    (tmp_path / "organisations.csv").write_text(
        "code,name,kind\nNEW,New Borough,local_authority\nUNI,New University,hei\n"
    )
    (tmp_path / "users.csv").write_text(
        "email,first_name,last_name,organisation,role\nsam@new.example,Sam,Patel,NEW,coordinator\n"
    )
    (tmp_path / "students.csv").write_text(
        "student_ref,hei,first_name,last_name,route,year_of_study,travel_limit_minutes\n"
        "S1,UNI,Amira,Khan,ba,2,60\n"
        "S2,UNI,Ben,Baker,phd,2,\n"
        "S3,UNI,Cal,Dunn,ma,1,two hours\n"
    )
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path), "--no-invite")
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("students.csv, row 3, column route: “phd” is not one of")
    assert (
        err[1]
        == "students.csv, row 4, column travel_limit_minutes: “two hours” is not a whole number."
    )
    assert not Organisation.objects.unscoped("test").filter(code__in=["NEW", "UNI"]).exists()
    assert not Student.objects.unscoped("test").exists()


def test_a_folder_of_every_onboarding_kind_imports_in_dependency_order(
    tmp_path: Path, partnership: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from practica.accounts.models import Membership
    from practica.placements.models import Student

    (tmp_path / "students.csv").write_text(
        "student_ref,hei,first_name,last_name,email,route,year_of_study\n"
        "S1,UNI,Amira,Khan,amira@uni.example,ba,2\n"
    )
    (tmp_path / "users.csv").write_text(
        "email,first_name,last_name,organisation,role\nsam@new.example,Sam,Patel,NEW,coordinator\n"
    )
    (tmp_path / "teams.csv").write_text("organisation,name,service_area\nNEW,Duty team,childrens\n")
    (tmp_path / "organisations.csv").write_text(
        "code,name,kind\nNEW,New Borough,local_authority\nUNI,New University,hei\n"
    )
    call_command("import", str(tmp_path), "--no-invite")
    assert "Created 5" in capsys.readouterr().out
    assert Membership.objects.unscoped("test").get().organisation.code == "NEW"
    assert Student.objects.unscoped("test").get().hei.code == "UNI"
    call_command("import", str(tmp_path), "--no-invite")
    assert "Created 0, updated 0, left 5 unchanged." in capsys.readouterr().out


def test_a_workbook_with_a_sheet_per_kind_imports_as_one_batch(
    tmp_path: Path, partnership: object
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    organisations = workbook.active
    assert organisations is not None
    organisations.title = "Organisations"
    organisations.append(["code", "name", "kind"])
    organisations.append(["NEW", "New Borough", "local_authority"])
    teams = workbook.create_sheet("teams")
    teams.append(["organisation", "name", "service_area"])
    teams.append(["NEW", "First team", "adults"])
    workbook.create_sheet("Notes").append(["anything", "at all"])
    path = tmp_path / "setup.xlsx"
    workbook.save(path)
    call_command("import", str(path))
    assert Team.objects.unscoped("test").get(name="First team").organisation.code == "NEW"


def test_a_workbooks_errors_keep_their_row_numbers_across_blank_rows(
    tmp_path: Path, partnership: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    teams = workbook.active
    assert teams is not None
    teams.title = "teams"
    teams.append(["organisation", "name", "service_area"])
    teams["A5"], teams["B5"], teams["C5"] = "NOPE", "Team", "adults"
    path = tmp_path / "setup.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError):
        call_command("import", str(path))
    assert capsys.readouterr().err.strip() == (
        "row 5, column organisation: there is no organisation with the code “NOPE”."
    )


def test_a_workbook_sheet_not_named_after_a_kind_is_refused(
    tmp_path: Path, partnership: object
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    sheet.append(["code", "name", "kind"])
    path = tmp_path / "setup.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError) as caught:
        call_command("import", str(path))
    assert "sheet Sheet1: There is no import kind called 'sheet1'" in str(caught.value)
    assert caught.value.returncode == 2


def test_a_batch_of_many_long_file_names_is_recorded_cut_short(partnership: object) -> None:
    from practica.accounts import permissions
    from practica.imports.models import ImportRun
    from practica.imports.registry import get_importer
    from practica.imports.services import import_files

    long_name = "export-of-the-whole-partnership.xlsx (sheet {0}) " * 3
    files = [
        (
            get_importer("organisations"),
            long_name.format("organisations"),
            b"code,name,kind\nNEW,New,other\n",
        ),
        (
            get_importer("teams"),
            long_name.format("teams"),
            b"organisation,name,service_area\nNEW,A,adults\n",
        ),
    ]
    result = import_files(actor=None, viewer=permissions.OPERATOR, files=files, dry_run=False)
    assert result.errors == []
    run = ImportRun.objects.unscoped("test").get()
    assert len(run.file_name) == 255
    assert run.file_name.endswith("…")


def test_a_service_area_is_taken_by_its_name_and_a_slip_gets_the_nearest_name(
    tmp_path: Path, mc: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "teams.csv"
    file.write_text("organisation,name,service_area\nMC,A,adlts\nMC,B,children’s SERVICES\n")
    with pytest.raises(CommandError):
        call_command("import", "teams", str(file), "--dry-run")
    err = capsys.readouterr().err
    assert "row 2, column service_area: “adlts” is not a service area" in err
    assert "Did you mean Adult services?" in err
    assert "row 3" not in err  # the name, in any case, is as good as the code

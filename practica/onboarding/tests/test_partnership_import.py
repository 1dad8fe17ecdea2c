"""The partnership import kind: first in a batch, it lets an export re-import into an empty
Practica; only the command line may use it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation, Partnership
from practica.imports.registry import get_importer
from practica.imports.services import import_files

HEADER = "name,lead_code,lead_name,lead_kind\n"
ROW = "Kent and Medway,MC,Medway Council,local_authority\n"


def errors(text: str, viewer: permissions.Viewer = permissions.OPERATOR) -> list[str]:
    result = import_files(
        actor=None,
        viewer=viewer,
        files=[(get_importer("partnership"), "partnership.csv", text.encode())],
        dry_run=False,
    )
    return [str(error) for error in result.errors]


def test_a_row_creates_the_partnership_and_its_lead(db: None) -> None:
    assert errors(HEADER + ROW) == []
    partnership = Partnership.objects.get()
    assert partnership.lead_organisation == Organisation.objects.unscoped("test").get(code="MC")
    assert errors(HEADER + ROW) == []
    assert Partnership.objects.count() == 1
    assert Organisation.objects.unscoped("test").count() == 1


def test_a_partnership_without_a_lead_is_allowed(db: None) -> None:
    assert errors(HEADER + "Kent and Medway,,,\n") == []
    assert Partnership.objects.get().lead_organisation is None


def test_half_a_lead_is_refused(db: None) -> None:
    assert errors(HEADER + "Kent and Medway,MC,,\n") == [
        "row 2, column lead_name: give the lead organisation's code, name and kind together."
    ]
    assert not Partnership.objects.exists()


def test_a_second_partnership_is_refused(partnership: Partnership) -> None:
    assert errors(HEADER + ROW) == [
        f"row 2, column name: Practica already holds the partnership “{partnership.name}”; "
        "set-up only adds to it, so give its name exactly."
    ]


def test_two_partnerships_in_one_file_are_refused(db: None) -> None:
    assert errors(HEADER + ROW + "Another,,,\n") == [
        "row 3, column name: Practica holds one partnership; this file names more than one."
    ]
    assert not Partnership.objects.exists()


def test_only_the_command_line_may_import_it(manager: User) -> None:
    assert errors(HEADER + ROW, viewer=manager) == [
        "Only the command line (`practica import`) can import the partnership; ask whoever "
        "runs Practica."
    ]


def test_a_zip_with_the_partnership_first_imports_into_an_empty_practica(
    db: None, tmp_path: Path
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("teams.csv", "organisation,name,service_area\nCCCU,Programme,other\n")
        archive.writestr(
            "organisations.csv",
            "code,name,kind\nMC,Medway Council,local_authority\nCCCU,Canterbury,hei\n",
        )
        archive.writestr("partnership.csv", HEADER + ROW)
    path = tmp_path / "partnership.zip"
    path.write_bytes(buffer.getvalue())
    call_command("import", str(path))
    assert Partnership.objects.get().lead_organisation == Organisation.objects.unscoped("test").get(
        code="MC"
    )
    assert Organisation.objects.unscoped("test").get(code="CCCU").teams.get().name == "Programme"


def test_without_the_partnership_an_empty_practica_refuses_organisations(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "organisations.csv").write_text(
        "code,name,kind\nMC,Medway Council,local_authority\n"
    )
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path))
    assert "create exactly one partnership first" in capsys.readouterr().err

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from practica.accounts.models import User
from practica.core.models import Organisation
from practica.organisations.tests.factories import TeamFactory


def test_json_has_the_documented_shape(
    org_a: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    TeamFactory.create(organisation=org_a)
    call_command("report", "organisation-summary", "--format", "json", "--org", "AAA")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"report", "filters", "columns", "rows", "totals"}
    assert data["report"] == "organisation-summary"
    assert data["filters"] == {"organisation": ["AAA"], "service_area": None}
    assert data["columns"][0] == {"id": "organisation", "label": "Organisation", "type": "text"}
    assert data["rows"][0]["teams"] == 1
    assert data["totals"]["teams"] == 1


def test_user_scope_is_applied(
    alice: User, org_a: Organisation, org_b: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("report", "organisation-summary", "--format", "json", "--user", alice.email)
    codes = [row["code"] for row in json.loads(capsys.readouterr().out)["rows"]]
    assert codes == ["AAA"]


def test_a_bad_year_is_a_clear_error(db: None) -> None:
    with pytest.raises(CommandError, match=r"--service-area|has no year filter"):
        call_command("report", "organisation-summary", "--year", "2019/20")


def test_xlsx_needs_an_output_file(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "organisation-summary", "--format", "xlsx")
    target = tmp_path / "r.xlsx"
    call_command("report", "organisation-summary", "--format", "xlsx", "--output", str(target))
    assert target.read_bytes().startswith(b"PK")


def test_an_unknown_report_lists_the_known_ones(db: None) -> None:
    with pytest.raises(CommandError, match=r"the reports are: .*organisation-summary"):
        call_command("report", "nope")


def test_csv_starts_with_its_header_and_the_notes_are_their_own_format(
    org_a: Organisation, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("report", "organisation-summary", "--format", "csv")
    assert capsys.readouterr().out.startswith("Organisation,")
    call_command("report", "organisation-summary", "--format", "notes-csv")
    notes = capsys.readouterr().out
    assert notes.startswith("Note,Value")
    assert 'Report,"Organisations, teams and people"' in notes

"""A person fixes a bad import file in one round: every problem of the file is listed at once,
with the nearest valid value where one is near, and a file that is not what it says is named."""

from __future__ import annotations

import pytest

from practica.core.models import Organisation, Team
from practica.imports.suggestions import did_you_mean, nearest
from practica.imports.tests.test_import_errors import run, snapshot
from practica.organisations.tests.factories import OrganisationFactory, TeamFactory


def test_a_wrong_header_does_not_stop_the_checks_of_the_other_columns(mc: Organisation) -> None:
    before = snapshot()
    errors = run(b"organisation,name,service_area,colour\nMC,A,nowhere,red\nMCX,B,adults,blue\n")
    assert errors[0].startswith("row 1, column colour: is not a column of teams imports")
    assert errors[1].startswith("row 2, column service_area: “nowhere” is not")
    assert errors[2].startswith("row 3, column organisation: there is no organisation")
    assert len(errors) == 3
    assert snapshot() == before


def test_a_missing_column_is_said_once_not_on_every_row(mc: Organisation) -> None:
    errors = run(b"organisation,name\nMC,A\nMC,B\n")
    assert errors == ["row 1, column service_area: is missing from the header row; it is required."]


def test_every_problem_of_a_row_is_listed(mc: Organisation) -> None:
    errors = run(b"organisation,name,service_area\nNOPE,,nowhere\n")
    assert [error.split(":")[0] for error in errors] == [
        "row 2, column organisation",
        "row 2, column name",
        "row 2, column service_area",
    ]


def test_an_unknown_header_suggests_the_column_meant(mc: Organisation) -> None:
    errors = run(b"organisation,nmae,service_area\nMC,A,childrens\n")
    assert errors[0].endswith("Did you mean name?")


@pytest.mark.django_db
def test_an_unknown_organisation_suggests_the_nearest_codes() -> None:
    OrganisationFactory.create(code="MC", name="Medway Council")
    OrganisationFactory.create(code="KCC", name="Kent County Council")
    errors = run(b"organisation,name,service_area\nMEDWAY,A,childrens\n")
    assert errors == [
        "row 2, column organisation: there is no organisation with the code “MEDWAY”. "
        "Did you mean MC (Medway Council)?"
    ]


def test_an_unknown_team_suggests_the_organisations_team_names(mc: Organisation) -> None:
    TeamFactory.create(organisation=mc, name="Assessment north")
    errors = run(
        b"email,first_name,last_name,organisation,team\na@example.test,Ann,Lee,MC,Asessment north\n",
        "people.csv",
        kind="people",
    )
    assert errors == [
        "row 2, column team: MC has no team “Asessment north”. Did you mean Assessment north? "
        "Add it in a teams file first."
    ]
    assert not Team.objects.unscoped("test").filter(name="Asessment north").exists()


def test_a_file_with_only_a_header_says_it_has_no_rows(mc: Organisation) -> None:
    assert run(b"organisation,name,service_area\n") == [
        "teams.csv has a header row but no rows below it."
    ]


def test_a_text_file_named_xlsx_is_called_what_it_is(mc: Organisation) -> None:
    errors = run(b"organisation,name,service_area\nMC,A,childrens\n", "teams.xlsx")
    assert errors == [
        "teams.xlsx is named as an Excel workbook but is not one (it holds text). Open it and "
        "save it as an Excel workbook (.xlsx), or name it .csv if it is a CSV file."
    ]


def test_an_old_excel_file_is_named_as_such(mc: Organisation) -> None:
    errors = run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "teams.xls")
    assert errors[0].startswith("teams.xls is an old-style Excel file (.xls).")


def test_suggestions_prefer_names_that_contain_the_value_then_spelling() -> None:
    candidates = {"MC": "MC (Medway Council)", "KCC": "KCC (Kent County Council)"}
    assert nearest("medway", candidates) == ["MC (Medway Council)"]
    assert nearest("KC", candidates) == ["KCC (Kent County Council)"]
    assert did_you_mean("zzz", candidates) == ""
    assert did_you_mean("council", candidates) == (
        " Did you mean MC (Medway Council) or KCC (Kent County Council)?"
    )

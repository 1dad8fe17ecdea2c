"""`practica backup` and `practica restore` (issue 15, reliability): a backup restored into an
empty database gives identical JSON from every report, on SQLite and on PostgreSQL, and the
commands refuse what they must not do with a sentence a person can act on.

The round trip restores into this test's own database (each xdist worker has its own), after
emptying it: transaction=True so the commands see committed rows, serialized_rollback so the
reference data migrations made is back for the tests after."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from practica.accounts.models import Role
from practica.accounts.permissions import OPERATOR
from practica.core import backup
from practica.core.backup import POSTGRESQL_MAGIC, SQLITE_MAGIC, tables_with_data
from practica.core.models import Organisation, Partnership
from practica.educators.tests.factories import (
    ActivityFactory,
    PeApplicationFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
)
from practica.learning.tests.factories import RegistrationFactory
from practica.organisations.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    member,
)
from practica.placements.tests.factories import StudentFactory
from practica.reports.registry import ReportParams, all_reports, run_report


def every_report() -> dict[str, dict[str, Any]]:
    """Each registered report's JSON as the operator sees it, by report name."""
    return {
        report.name: run_report(report, OPERATOR, ReportParams()).as_json()
        for report in all_reports()
    }


def small_partnership(partnership: Partnership) -> None:
    council = OrganisationFactory.create(partnership=partnership, code="KCC", name="Kent Council")
    university = OrganisationFactory.create(
        partnership=partnership, code="UNI", name="Kent University", kind="hei"
    )
    team = TeamFactory.create(organisation=council)
    member(Role.COORDINATOR, council)
    for _ in range(3):
        educator = PracticeEducatorFactory.create(
            person=PersonFactory.create(organisation=council, team=team)
        )
        ActivityFactory.create(educator=educator)
    PracticeEducatorFactory.create(stage1=True, person__organisation=council)
    PepsEnrolmentFactory.create(cohort__organisation=council)
    PeApplicationFactory.create(organisation=council)
    RegistrationFactory.create(event__organisation=council)
    StudentFactory.create(hei=university)


def run(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_an_empty_database_gives_every_report_unchanged(
    tmp_path: Path,
) -> None:
    small_partnership(Partnership.objects.create(name="Kent teaching partnership"))
    before = every_report()
    assert any(result["rows"] for result in before.values())
    file = tmp_path / "practica.backup"

    printed = run("backup", str(file))

    assert str(file.resolve()) in printed
    assert f"{file.stat().st_size:,} bytes" in printed
    call_command("flush", interactive=False, verbosity=0)
    assert tables_with_data(connection) == []
    assert all(not result["rows"] for result in every_report().values())

    printed = run("restore", str(file))

    assert str(file.resolve()) in printed
    assert every_report() == before
    assert Organisation.objects.unscoped("the test counts every organisation").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_with_force_replaces_a_database_that_holds_data(tmp_path: Path) -> None:
    partnership = Partnership.objects.create(name="Kent teaching partnership")
    OrganisationFactory.create(partnership=partnership, code="KCC")
    file = tmp_path / "practica.backup"
    run("backup", str(file))
    OrganisationFactory.create(partnership=partnership, code="LATER")

    run("restore", str(file), "--force")

    codes = Organisation.objects.unscoped("the test reads every code").values_list(
        "code", flat=True
    )
    assert list(codes) == ["KCC"]


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data_without_force(
    tmp_path: Path, partnership: Partnership
) -> None:
    file = tmp_path / "practica.backup"
    file.write_bytes(SQLITE_MAGIC if connection.vendor == "sqlite" else POSTGRESQL_MAGIC)

    with pytest.raises(CommandError, match=r"already holds Practica records.*--force"):
        call_command("restore", str(file))


@pytest.mark.django_db
def test_restore_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no backup file"):
        call_command("restore", str(tmp_path / "nowhere.backup"))


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_database_engine(tmp_path: Path) -> None:
    file = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        file.write_bytes(POSTGRESQL_MAGIC + b"\x01\x0e\x00")
        expected = "is a PostgreSQL backup but this Practica uses SQLite"
    else:
        file.write_bytes(SQLITE_MAGIC + b"\x10\x00")
        expected = "is a SQLite backup but this Practica uses PostgreSQL"

    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(file))


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("first name,last name\n")

    with pytest.raises(CommandError, match="is not a Practica backup"):
        call_command("restore", str(file))


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("backup", str(tmp_path / "missing" / "practica.backup"))


@pytest.mark.django_db
def test_a_failed_backup_leaves_no_file_under_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def half_then_fail(_connection: object, _engine: str, temporary: Path) -> None:
        temporary.write_bytes(b"half a backup")
        raise CommandError("pg_dump failed (exit code 1): the disk is full")

    monkeypatch.setattr(backup, "_copy_out", half_then_fail)

    with pytest.raises(CommandError, match="disk is full"):
        call_command("backup", str(tmp_path / "practica.backup"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_backup_message_names_the_file_and_no_person(tmp_path: Path) -> None:
    person = PersonFactory.create(first_name="Philippa", last_name="Quarrendon")
    file = tmp_path / "practica.backup"

    printed = run("backup", str(file))

    assert printed.startswith("Backed up the database to ")
    assert person.last_name not in printed
    assert person.email not in printed

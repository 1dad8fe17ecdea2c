"""The time-audits and time-logs import kinds: what they create, that re-importing changes
nothing, that an export reads back, and their errors (nothing written)."""

from __future__ import annotations

import pytest

from practica.accounts.models import Role
from practica.core.models import Organisation
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import OrganisationFactory, PersonFactory, member
from practica.placements.tests.factories import PlacementFactory
from practica.timeaudit.models import AuditEnrolment, TimeAudit, TimeLog

pytestmark = pytest.mark.django_db

AUDITS = "name,academic_year,placement_type,email\n"
LOGS = "audit,email,week_start,daytime_hours,ooh_hours\n"


@pytest.fixture
def educator_email() -> str:
    """A practice educator of a council with their 2019/20 final placement (from 6 January)."""
    council = OrganisationFactory.create(code="KCC")
    educator = PracticeEducatorFactory.create(
        person=PersonFactory.create(organisation=council, email="pe@kent.example")
    )
    PlacementFactory.create(confirmed=True, organisation=council, practice_educator=educator)
    return "pe@kent.example"


def enrol(email: str) -> list[str]:
    return import_text(("time-audits", AUDITS + f"PE time audit,2019/20,final_100,{email}\n"))[0]


def test_an_audit_is_created_with_the_educator_linked_to_their_placement(
    educator_email: str,
) -> None:
    assert enrol(educator_email) == []
    enrolment = AuditEnrolment.objects.unscoped("test").select_related("audit").get()
    assert enrolment.audit.organisation.code == "KCC"  # the educator's employer runs it
    assert enrolment.placement is not None
    assert enrol(educator_email) == []  # again: nothing changes
    assert TimeAudit.objects.unscoped("test").count() == 1


def test_weeks_are_logged_and_a_second_file_corrects_them(educator_email: str) -> None:
    enrol(educator_email)
    row = f"PE time audit,{educator_email},2020-01-06,7.5,1\n"
    assert import_text(("time-logs", LOGS + row))[0] == []
    assert import_text(("time-logs", LOGS + row.replace("7.5", "8")))[0] == []
    log = TimeLog.objects.unscoped("test").get()
    assert log.daytime_hours == 8
    assert log.history.count() == 2


def test_an_export_of_both_kinds_reads_back_unchanged(educator_email: str) -> None:
    enrol(educator_email)
    import_text(("time-logs", LOGS + f"PE time audit,{educator_email},2020-01-06,7.5,0.25\n"))
    files = [
        (kind, as_csv(get_importer(kind).export_rows(member(Role.COORDINATOR, _kcc()))))
        for kind in ("time-audits", "time-logs")
    ]
    errors, result = import_text(*files)
    assert errors == []
    assert result.counts()["unchanged"] == 2


def _kcc() -> Organisation:
    return TimeAudit.objects.unscoped("test").get().organisation


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2020-01-08,7,0", "Give the Monday the week starts on"),
        ("2019-12-30,7,0", "The placement starts on 6 January 2020"),
        ("2020-01-06,-1,0", "hours cannot be negative."),
        ("2020-01-06,81,0", "a week holds at most 80 hours."),
        ("2020-01-06,60,30", "make 90: a week holds at most 80 hours"),
        ("2020-01-06,7.125,0", "at most two decimal places"),
    ],
)
def test_a_bad_week_is_refused_with_its_reason(educator_email: str, row: str, message: str) -> None:
    enrol(educator_email)
    errors = import_text(("time-logs", LOGS + f"PE time audit,{educator_email},{row}\n"))[0]
    assert len(errors) == 1, errors
    assert message in errors[0]
    assert not TimeLog.objects.unscoped("test").exists()


def test_a_log_for_someone_not_enrolled_is_refused(educator_email: str) -> None:
    enrol(educator_email)
    errors = import_text(("time-logs", LOGS + "PE time audit,nobody@x.example,2020-01-06,7,0\n"))[0]
    assert errors == [
        "row 2, column email: nobody@x.example is not enrolled in a time audit "
        "called “PE time audit” that you run; enrol them first (time audits)."
    ]


def test_an_unknown_educator_is_refused() -> None:
    errors = enrol("nobody@x.example")
    assert errors == [
        "row 2, column email: no practice educator on the register has the "
        "address nobody@x.example."
    ]


def test_a_coordinator_of_another_organisation_cannot_enrol_the_educator(
    educator_email: str,
) -> None:
    outsider = member(Role.COORDINATOR, OrganisationFactory.create())
    errors = import_text(
        ("time-audits", AUDITS + f"PE time audit,2019/20,final_100,{educator_email}\n"),
        viewer=outsider,
    )[0]
    assert len(errors) == 1, errors
    assert "you cannot import time audits for" in errors[0]
    assert not TimeAudit.objects.unscoped("test").exists()


def test_audit_and_logs_import_in_one_batch(educator_email: str) -> None:
    errors = import_text(
        ("time-audits", AUDITS + f"PE time audit,2019/20,final_100,{educator_email}\n"),
        ("time-logs", LOGS + f"PE time audit,{educator_email},2020-01-06,7,0\n"),
    )[0]
    assert errors == []
    assert TimeLog.objects.unscoped("test").count() == 1

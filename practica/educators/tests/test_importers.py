"""The practice-educators and peps-enrolments import kinds: every error names its row and
column, and a file with any error writes nothing."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.educators.models import (
    PepsCohort,
    PepsEnrolment,
    PepsStage,
    PracticeEducator,
    PracticeEducatorActivity,
)
from practica.educators.tests.factories import (
    PepsCohortFactory,
    PepsEnrolmentFactory,
    PracticeEducatorFactory,
)
from practica.imports.registry import get_importer
from practica.imports.testing import import_text
from practica.organisations.tests.factories import LocationFactory, PersonFactory, TeamFactory

PE_HEADER = (
    "email,first_name,last_name,organisation,team,service_area,location,independent,peps_stage,"
    "stage1_date,stage2_date,activities,last_student_date,last_training_date\n"
)
GOOD = "nia@example.test,Nia,Okoro,AAA,Assessment,childrens,Chatham,no,stage2,2015-07-01,2017-07-01,student_pe;peps_assessor,2019-12-20,2019-10-01\n"
ENROLMENT_HEADER = "email,organisation,academic_year,stage,outcome,outcome_date\n"


@pytest.fixture
def places(org_a: Organisation) -> None:
    location = LocationFactory.create(organisation=org_a, name="Chatham")
    TeamFactory.create(organisation=org_a, name="Assessment", location=location)


def snapshot() -> tuple[int, ...]:
    return tuple(
        model._base_manager.count()
        for model in (Person, PracticeEducator, PracticeEducatorActivity, PepsCohort, PepsEnrolment)
    )


def test_a_register_file_creates_people_entries_and_activities(
    alice: User, org_a: Organisation, places: None
) -> None:
    errors, _result = import_text(("practice-educators", PE_HEADER + GOOD), viewer=alice)
    assert errors == []
    educator = (
        PracticeEducator.objects.unscoped("test").select_related("person__team", "location").get()
    )
    assert educator.person.full_name == "Nia Okoro"
    assert educator.person.team is not None
    assert educator.person.team.name == "Assessment"
    assert educator.location is not None
    assert educator.location.name == "Chatham"
    assert (educator.peps_stage, educator.stage2_date) == ("stage2", datetime.date(2017, 7, 1))
    assert set(educator.activities.values_list("kind", flat=True)) == {
        "student_pe",
        "peps_assessor",
    }
    assert educator.history.get().history_user == alice


def test_reimporting_the_same_file_changes_nothing(
    alice: User, org_a: Organisation, places: None
) -> None:
    import_text(("practice-educators", PE_HEADER + GOOD), viewer=alice)
    before = snapshot()
    errors, result = import_text(("practice-educators", PE_HEADER + GOOD), viewer=alice)
    assert errors == []
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 1}
    assert snapshot() == before


def test_an_update_changes_the_entry_and_ends_activities_no_longer_listed(
    alice: User, org_a: Organisation, places: None
) -> None:
    import_text(("practice-educators", PE_HEADER + GOOD), viewer=alice)
    changed = GOOD.replace(",no,", ",yes,").replace("student_pe;peps_assessor", "asye_assessor")
    errors, result = import_text(("practice-educators", PE_HEADER + changed), viewer=alice)
    assert errors == []
    assert result.counts()["update"] == 1
    educator = PracticeEducator.objects.unscoped("test").get()
    assert educator.independent
    assert list(educator.activities.values_list("kind", flat=True)) == ["asye_assessor"]
    # the two listed before had started that same day, so they are removed, not ended
    assert PracticeEducatorActivity.history.filter(history_type="-").count() == 2


def test_an_existing_person_is_put_on_the_register(
    alice: User, org_a: Organisation, places: None
) -> None:
    person = PersonFactory.create(organisation=org_a, email="nia@example.test")
    errors, _result = import_text(("practice-educators", PE_HEADER + GOOD), viewer=alice)
    assert errors == []
    assert PracticeEducator.objects.unscoped("test").get().person == person


def row(**changes: str) -> str:
    cells = dict(zip(PE_HEADER.strip().split(","), GOOD.strip().split(","), strict=True))
    cells.update(changes)
    return ",".join(cells.values()) + "\n"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (
            PE_HEADER.replace("last_training_date", "colour") + GOOD,
            "row 1, column colour: is not a column of practice-educators imports; the columns are: "
            "email, first_name, last_name, organisation, team, service_area, location, independent, "
            "peps_stage, stage1_date, stage2_date, activities, last_student_date, last_training_date, "
            "reviewed_on, reviewed_by.",
        ),
        (
            "email,first_name,last_name,organisation\nnia@example.test,Nia,Okoro,AAA\n",
            "row 1, column peps_stage: is missing from the header row; it is required.",
        ),
        (
            PE_HEADER + row(stage1_date="31/02/2015"),
            "row 2, column stage1_date: “31/02/2015” is not a date; write it like 2020-01-06 or 06/01/2020.",
        ),
        (
            PE_HEADER + row(independent="maybe"),
            "row 2, column independent: “maybe” is not yes or no.",
        ),
        (
            PE_HEADER + row(peps_stage="stage3"),
            "row 2, column peps_stage: “stage3” is not one of: Not trained, In training for PEPS Stage 1, "
            "PEPS Stage 1, In training for PEPS Stage 2, PEPS Stage 2. "
            "Did you mean PEPS Stage 2 or PEPS Stage 1?",
        ),
        (
            PE_HEADER + row(activities="student_pe;juggling"),
            "row 2, column activities: “juggling” is not among: Practice educator for social "
            "work students, PEPS assessor or mentor, ASYE assessor for newly qualified social "
            "workers, Practice educator for AMHP or BIA candidates, On-site supervisor "
            "(separate several with ';').",
        ),
        (
            PE_HEADER + row(email="not-an-email"),
            "row 2, column email: “not-an-email” is not an e-mail address.",
        ),
        (
            PE_HEADER + row(organisation="ZZZ"),
            "row 2, column organisation: there is no organisation with the code “ZZZ”.",
        ),
        (
            PE_HEADER + row(organisation="BBB"),
            "row 2, column organisation: you cannot import records for Beta University (BBB).",
        ),
        (
            PE_HEADER + row(team="Nowhere"),
            "row 2, column team: AAA has no team “Nowhere”. Add it first.",
        ),
        (
            PE_HEADER + row(location="Atlantis"),
            "row 2, column location: AAA has no location “Atlantis”; add it first.",
        ),
        (
            PE_HEADER + row(service_area="space"),
            "row 2, column service_area: “space” is not a service area; use one of: Adult "
            "services, Children's services, Mental health, Other.",
        ),
        (
            PE_HEADER + row(stage2_date=""),
            "row 2, column peps_stage: Give the date PEPS Stage 2 was achieved.",
        ),
        (
            PE_HEADER + row(stage1_date="2018-01-01", stage2_date="2017-01-01"),
            "row 2, column peps_stage: Stage 2 cannot be achieved before Stage 1.",
        ),
        (
            PE_HEADER + row(last_student_date="2999-01-01"),
            "row 2, column last_student_date: The last student supervised or assessed cannot be "
            "in the future.",
        ),
        (
            PE_HEADER + row(first_name=""),
            "row 2, column first_name: is empty; a value is required.",
        ),
        (
            PE_HEADER + GOOD + row(email="NIA@example.test ", first_name="Again"),
            "row 3, column email: repeats row 2 (email must be unique in a file).",
        ),
        (
            PE_HEADER + row(stage1_date="=1+1"),
            "row 2, column stage1_date: contains a formula (=1+1); paste values only.",
        ),
    ],
    ids=[
        "unknown-header",
        "missing-required-column",
        "bad-date",
        "bad-yes-no",
        "bad-stage",
        "bad-activity",
        "bad-email",
        "unknown-organisation",
        "organisation-not-managed",
        "unknown-team",
        "unknown-location",
        "unknown-service-area",
        "stage-without-date",
        "stage-2-before-stage-1",
        "future-date",
        "empty-required-cell",
        "duplicate-key-in-file",
        "formula-like-text",
    ],
)
def test_each_register_import_error_names_row_and_column_and_writes_nothing(
    alice: User, org_a: Organisation, org_b: Organisation, places: None, content: str, error: str
) -> None:
    before = snapshot()
    good_first = PE_HEADER + row(email="first@example.test") + content.removeprefix(PE_HEADER)
    errors, _result = import_text(
        ("practice-educators", content if "row 1" in error else good_first), viewer=alice
    )
    expected = error if "row 1" in error else _shift(error)
    assert expected in errors
    assert snapshot() == before


def _shift(error: str) -> str:
    """The same error one row further down (a good row is put first in the file)."""
    head, rest = error.split(",", 1)
    number = int(head.removeprefix("row "))
    rest = rest.replace("repeats row 2", "repeats row 3")
    return f"row {number + 1},{rest}"


def test_an_email_of_someone_in_another_organisation_is_refused_without_confirming_them(
    alice: User, org_a: Organisation, org_b: Organisation, places: None
) -> None:
    PersonFactory.create(organisation=org_b, email="nia@example.test")
    before = snapshot()
    errors, _result = import_text(("practice-educators", PE_HEADER + GOOD), viewer=alice)
    assert errors == [
        "row 2, column email: cannot be used for this row. Check it is the person's own "
        "address; if it is, ask a partnership manager."
    ]
    assert snapshot() == before


# --- peps-enrolments ------------------------------------------------------------------------


@pytest.fixture
def trainee(org_a: Organisation) -> PracticeEducator:
    return PracticeEducatorFactory.create(
        person__organisation=org_a, person__email="trainee@example.test", trainee=True
    )


def test_an_enrolments_file_enrols_and_a_pass_updates_the_register(
    alice: User, trainee: PracticeEducator
) -> None:
    errors, _result = import_text(
        (
            "peps-enrolments",
            ENROLMENT_HEADER + "trainee@example.test,AAA,2019/20,1,passed,2020-06-30\n",
        ),
        viewer=alice,
    )
    assert errors == []
    enrolment = PepsEnrolment.objects.unscoped("test").select_related("cohort__academic_year").get()
    assert (enrolment.cohort.academic_year.label, enrolment.cohort.stage) == ("2019/20", 1)
    trainee.refresh_from_db()
    assert (trainee.peps_stage, trainee.stage1_date) == ("stage1", datetime.date(2020, 6, 30))


def test_a_past_pass_of_someone_already_qualified_is_recorded_as_history(
    alice: User, org_a: Organisation
) -> None:
    qualified = PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__email="old@example.test",
        stage1_date=datetime.date(2015, 7, 1),
    )
    errors, _result = import_text(
        (
            "peps-enrolments",
            ENROLMENT_HEADER + "old@example.test,AAA,2014/15,1,passed,2015-07-01\n",
        ),
        viewer=alice,
    )
    assert errors == []
    qualified.refresh_from_db()
    assert qualified.peps_stage == PepsStage.STAGE2
    assert PepsEnrolment.objects.unscoped("test").get().outcome == "passed"


def test_a_new_educator_and_their_enrolment_import_together(
    alice: User, org_a: Organisation, places: None
) -> None:
    trainee_row = row(
        email="new@example.test",
        peps_stage="stage1_training",
        stage1_date="",
        stage2_date="",
        activities="",
        last_student_date="",
        last_training_date="",
    )
    errors, _result = import_text(
        ("peps-enrolments", ENROLMENT_HEADER + "new@example.test,AAA,2019/20,1,enrolled,\n"),
        ("practice-educators", PE_HEADER + trainee_row),
        viewer=alice,
    )
    # the files are given in the wrong order; dependency order is the caller's job
    assert errors == [
        "peps-enrolments.csv, row 2, column email: no practice educator on the register has "
        "this e-mail address."
    ]
    errors, _result = import_text(
        ("practice-educators", PE_HEADER + trainee_row),
        ("peps-enrolments", ENROLMENT_HEADER + "new@example.test,AAA,2019/20,1,enrolled,\n"),
        viewer=alice,
    )
    assert errors == []
    assert PepsEnrolment.objects.unscoped("test").get().educator.person.email == "new@example.test"


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (
            "nobody@example.test,AAA,2019/20,1,enrolled,",
            "row 2, column email: no practice educator on the register has this e-mail address.",
        ),
        (
            "theirs@example.test,AAA,2019/20,1,enrolled,",
            "row 2, column email: this practice educator does not work for AAA.",
        ),
        (
            "trainee@example.test,AAA,2019-20,1,enrolled,",
            "row 2, column academic_year: “2019-20” is not an academic year; write it like 2019/20.",
        ),
        (
            "trainee@example.test,AAA,2019/20,3,enrolled,",
            "row 2, column stage: “3” is not one of: 1, 2.",
        ),
        (
            "trainee@example.test,AAA,2019/20,1,failed,2020-06-30",
            "row 2, column outcome: “failed” is not one of: Enrolled, Passed, Not passed, Deferred, Withdrawn.",
        ),
        (
            "trainee@example.test,AAA,2019/20,1,enrolled,2020-06-30",
            "row 2, column outcome_date: leave it empty while the candidate is enrolled.",
        ),
        (
            "trainee@example.test,AAA,2019/20,1,passed,",
            "row 2, column outcome_date: is empty; a passed outcome needs its date.",
        ),
        (
            "trainee@example.test,AAA,2019/20,1,passed,2019-08-31",
            "row 2, column outcome_date: is before academic year 2019/20 began.",
        ),
        (
            "trainee@example.test,AAA,2019/20,1,passed,2999-06-30",
            "row 2, column outcome_date: cannot be in the future.",
        ),
        (
            "trainee@example.test,ZZZ,2019/20,1,passed,2020-06-30",
            "row 2, column organisation: there is no organisation with the code “ZZZ”.",
        ),
        (
            "trainee@example.test,AAA,2019/20,1,enrolled,\ntrainee@example.test,aaa,2019/2020,1,passed,2020-06-30",
            "row 3, column email: repeats row 2 (email, organisation, academic_year, stage must be unique in a file).",
        ),
        (
            "trainee@example.test,AAA,2019/20,2,enrolled,",
            # refused by the service while applying: the framework names the file too
            "peps-enrolments.csv, row 2, column email: Pat Trainee has not achieved PEPS Stage 1, so cannot "
            "join this cohort.",
        ),
        (
            "qualified@example.test,AAA,2018/19,2,passed,2019-07-01",
            "peps-enrolments.csv, row 2, column outcome_date: The register says Sam Qualified achieved "
            "Stage 2 on 1 July 2017; correct the register or this date.",
        ),
    ],
    ids=[
        "unknown-educator",
        "educator-of-another-organisation",
        "bad-academic-year",
        "bad-stage",
        "bad-outcome",
        "enrolled-with-a-date",
        "passed-without-a-date",
        "date-before-the-year",
        "future-date",
        "unknown-organisation",
        "duplicate-key-in-file",
        "stage-2-without-stage-1",
        "pass-date-disagrees-with-register",
    ],
)
def test_each_enrolment_import_error_names_row_and_column_and_writes_nothing(
    alice: User, org_a: Organisation, org_b: Organisation, line: str, error: str
) -> None:
    PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__email="trainee@example.test",
        person__first_name="Pat",
        person__last_name="Trainee",
        trainee=True,
    )
    PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__email="qualified@example.test",
        person__first_name="Sam",
        person__last_name="Qualified",
    )
    PracticeEducatorFactory.create(person__organisation=org_b, person__email="theirs@example.test")
    before = snapshot()
    errors, _result = import_text(("peps-enrolments", ENROLMENT_HEADER + line + "\n"), viewer=alice)
    assert error in errors
    assert snapshot() == before


def test_a_service_refusal_while_applying_rolls_back_every_row(
    alice: User, org_a: Organisation, trainee: PracticeEducator
) -> None:
    """The first row would enrol; the second is refused while applying: nothing is kept."""
    other = PracticeEducatorFactory.create(
        person__organisation=org_a, person__email="other@example.test", trainee=True
    )
    before = snapshot()
    errors, _result = import_text(
        (
            "peps-enrolments",
            ENROLMENT_HEADER
            + "trainee@example.test,AAA,2019/20,1,enrolled,\n"
            + "other@example.test,AAA,2019/20,2,enrolled,\n",
        ),
        viewer=alice,
    )
    assert len(errors) == 1
    assert errors[0].startswith("peps-enrolments.csv, row 3, column email:")
    assert snapshot() == before
    trainee.refresh_from_db()
    other.refresh_from_db()
    assert trainee.peps_stage == other.peps_stage == PepsStage.STAGE1_TRAINING


# --- exports read back (practica export-all) --------------------------------------------------


def test_the_register_exports_as_the_importer_reads_it(
    alice: User, org_a: Organisation, places: None
) -> None:
    import_text(("practice-educators", PE_HEADER + GOOD), viewer=alice)
    rows = get_importer("practice-educators").export_rows(alice)
    cells = dict(zip(PE_HEADER.strip().split(","), GOOD.strip().split(","), strict=True))
    del cells["activities"]  # they travel with their dates, as pe-activities
    assert rows == [cells | {"reviewed_on": "", "reviewed_by": ""}]
    today = timezone.localdate().isoformat()
    assert get_importer("pe-activities").export_rows(alice) == [
        {
            "email": "nia@example.test",
            "organisation": "AAA",
            "activity": kind,
            "started_on": today,
            "ended_on": "",
        }
        for kind in ("peps_assessor", "student_pe")
    ]


def test_exports_show_only_what_the_viewer_manages(
    alice: User, charlie: User, org_a: Organisation, org_b: Organisation
) -> None:
    PracticeEducatorFactory.create(person__organisation=org_a, person__email="ours@example.test")
    PracticeEducatorFactory.create(person__organisation=org_b, person__email="theirs@example.test")
    enrolment_org_b = PracticeEducatorFactory.create(
        person__organisation=org_b, person__email="trainee@example.test", trainee=True
    )
    PepsEnrolmentFactory.create(
        cohort=PepsCohortFactory.create(organisation=org_b), educator=enrolment_org_b
    )
    assert [r["email"] for r in get_importer("practice-educators").export_rows(alice)] == [
        "ours@example.test"
    ]
    assert get_importer("peps-enrolments").export_rows(alice) == []
    assert [r["email"] for r in get_importer("peps-enrolments").export_rows(charlie)] == [
        "trainee@example.test"
    ]


STAGES = {
    "none": (None, None),
    "stage1_training": (None, None),
    "stage1": ("2016-07-01", None),
    "stage2_training": ("2016-07-01", None),
    "stage2": ("2015-06-30", "2018-07-02"),
}


@given(
    drawn=st.lists(
        st.fixed_dictionaries(
            {
                "first_name": st.sampled_from(["Nia", "Ola", "Bartosz", "Zoë", "Seán"]),
                "last_name": st.sampled_from(["Okoro", "Nowak", "O'Neill", "Smith-Jones"]),
                "stage": st.sampled_from(sorted(STAGES)),
                "independent": st.booleans(),
                "activities": st.lists(
                    st.sampled_from(["student_pe", "peps_assessor", "asye_assessor"]), unique=True
                ),
                "last_student_date": st.one_of(
                    st.none(), st.dates(datetime.date(2010, 1, 1), datetime.date(2020, 1, 1))
                ),
            }
        ),
        min_size=1,
        max_size=6,
    )
)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_valid_register_rows_import_reimport_unchanged_and_export_as_read(
    alice: User, org_a: Organisation, places: None, drawn: list[dict[str, object]]
) -> None:
    rows = []
    for index, cells in enumerate(drawn):
        stage1, stage2 = STAGES[str(cells["stage"])]
        last_student = cells["last_student_date"]
        assert last_student is None or isinstance(last_student, datetime.date)
        rows.append(
            {
                "email": f"pe{index}@example.test",
                "first_name": str(cells["first_name"]),
                "last_name": str(cells["last_name"]),
                "organisation": "AAA",
                "team": "Assessment",
                "service_area": "adults",
                "location": "Chatham",
                "independent": "yes" if cells["independent"] else "no",
                "peps_stage": str(cells["stage"]),
                "stage1_date": stage1 or "",
                "stage2_date": stage2 or "",
                "activities": ";".join(sorted(cells["activities"])),  # type: ignore[call-overload]  # a set of activity codes
                "last_student_date": last_student.isoformat() if last_student else "",
                "last_training_date": "",
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    with transaction.atomic():  # each example starts from the same database
        first_errors, first = import_text(("practice-educators", buffer.getvalue()), viewer=alice)
        assert first_errors == []
        assert first.counts()["create"] == len(rows)
        _errors, again = import_text(("practice-educators", buffer.getvalue()), viewer=alice)
        assert again.counts() == {"create": 0, "update": 0, "unchanged": len(rows)}
        exported = get_importer("practice-educators").export_rows(alice)
        assert exported == [
            {name: value for name, value in row.items() if name != "activities"}
            | {"reviewed_on": "", "reviewed_by": ""}
            for row in rows
        ]
        activities = get_importer("pe-activities").export_rows(alice)
        assert {(a["email"], a["activity"]) for a in activities} == {
            (row["email"], kind) for row in rows for kind in row["activities"].split(";") if kind
        }
        transaction.set_rollback(True)


def test_ending_an_activity_by_import_settles_on_reimport(
    alice: User, org_a: Organisation, places: None
) -> None:
    import_text(("practice-educators", PE_HEADER + GOOD), viewer=alice)
    PracticeEducatorActivity.objects.unscoped("test").update(started_on=datetime.date(2019, 9, 1))
    without = GOOD.replace("student_pe;peps_assessor", "")
    _errors, first = import_text(("practice-educators", PE_HEADER + without), viewer=alice)
    assert first.counts()["update"] == 1
    assert set(
        PracticeEducatorActivity.objects.unscoped("test").values_list("ended_on", flat=True)
    ) == {timezone.localdate() - datetime.timedelta(days=1)}
    _errors, again = import_text(("practice-educators", PE_HEADER + without), viewer=alice)
    assert again.counts()["unchanged"] == 1

"""The travel-times, placement-offers and placements import kinds: what they create, that
re-importing changes nothing, that an export reads back, and their errors (nothing written)."""

from __future__ import annotations

import datetime

import pytest

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation, Team
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import LocationFactory, PersonFactory, TeamFactory
from practica.placements.models import Placement, PlacementOffer, Student, TravelTime
from practica.placements.tests.factories import StudentFactory
from practica.placements.travel import journey

pytestmark = pytest.mark.django_db

OFFERS = "organisation,team,academic_year,placement_type,days,slots,service_area,location,routes\n"
PLACEMENTS = (
    "student_ref,student_route,hei,organisation,team,academic_year,placement_type,days,"
    "start_date,end_date,practice_educator_email,onsite_supervisor_email,status\n"
)


@pytest.fixture
def team(org_a: Organisation) -> Team:
    LocationFactory.create(organisation=org_a, name="Chatham")
    return TeamFactory.create(organisation=org_a, name="Duty team")


@pytest.fixture
def student(org_b: Organisation) -> Student:
    return StudentFactory.create(hei=org_b, student_ref="B1", route="ma")


def run(*files: tuple[str, str], viewer: permissions.Viewer = permissions.OPERATOR) -> list[str]:
    return import_text(*files, viewer=viewer)[0]


def test_journey_times_import_once_and_count_both_ways() -> None:
    text = "from_location,to_location,minutes\nChatham,Maidstone,35\nDover,Canterbury,30\n"
    assert run(("travel-times", text)) == []
    assert run(("travel-times", text.replace("Chatham", "CHATHAM"))) == []
    assert TravelTime.objects.count() == 2
    assert journey("Maidstone", "Chatham").minutes == 35
    assert run(("travel-times", "from_location,to_location,minutes\nA,B,-1\n")) == [
        "row 2, column minutes: -1 is below the smallest allowed value, 0."
    ]
    rows = get_importer("travel-times").export_rows(permissions.OPERATOR)
    assert rows[0] == {"from_location": "Chatham", "to_location": "Maidstone", "minutes": "35"}


def test_a_practice_educator_cannot_import_journey_times(bob: User) -> None:
    assert run(("travel-times", "from_location,to_location,minutes\nA,B,3\n"), viewer=bob) == [
        "Only coordinators import journey times."
    ]


def test_offers_import_with_the_days_and_place_of_their_type_and_team(team: Team) -> None:
    text = OFFERS + (
        "AAA,Duty team,2019/20,final_100,,2,,,ma;ba\nAAA,Duty team,2019/20,shadowing,3,5,,Chatham,\n"
    )
    assert run(("placement-offers", text)) == []
    final = PlacementOffer.objects.unscoped("test").get(placement_type="final_100")
    assert (final.days, final.slots, final.routes, final.service_area) == (
        100,
        2,
        ["ba", "ma"],
        team.service_area,
    )
    history = PlacementOffer.history.count()
    _errors, again = import_text(("placement-offers", text))
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 2}
    assert PlacementOffer.history.count() == history


def test_exported_offers_read_back_unchanged(team: Team, org_a: Organisation) -> None:
    educator = PracticeEducatorFactory.create(person__organisation=org_a, person__email="pe@a.test")
    PersonFactory.create(organisation=org_a, email="sup@a.test")
    text = (
        OFFERS.strip()
        + ",setting,starts_on,ends_on,practice_educator_email,practice_educator_offsite,"
        "onsite_supervisor_email\n"
        "AAA,,2019/20,school_setting,70,5,other,,ba,Medway schools,2019-10-01,2020-02-28,"
        "pe@a.test,yes,sup@a.test\n"
    )
    assert run(("placement-offers", text)) == []
    offer = PlacementOffer.objects.unscoped("test").get()
    assert (offer.practice_educator, offer.onsite_supervisor.email) == (educator, "sup@a.test")  # type: ignore[union-attr]  # imported just above
    rows = get_importer("placement-offers").export_rows(permissions.OPERATOR)
    _errors, again = import_text(("placement-offers", as_csv(rows)))
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 1}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "AAA,No such team,2019/20,final_100,,2,,,",
            "row 2, column team: AAA has no team “No such team”. Add it first.",
        ),
        (
            "BBB,,2019/20,final_100,,2,,,",
            "row 2, column team: is empty; name the team or the setting that offers placements.",
        ),
        (
            "AAA,Duty team,2019/20,shadowing,,2,,,",
            "row 2, column days: is empty; say how many days each placement lasts.",
        ),
        (
            "AAA,Duty team,2019/20,first_70,100,2,,,",
            "row 2, column days: a first placement (70 days) lasts 70 days.",
        ),
        (
            "AAA,Duty team,2019/20,final_100,,2,,,bsc",
            "row 2, column routes: “bsc” is not among: "
            "BA (Hons) Social Work, MA Social Work, Step Up to Social Work, Think Ahead, Frontline, Social work degree apprenticeship, Open University (separate several with ';').",
        ),
    ],
)
def test_a_bad_offer_row_is_named_and_nothing_is_written(
    team: Team, org_b: Organisation, row: str, message: str
) -> None:
    assert message in run(("placement-offers", OFFERS + row + "\n"))
    assert not PlacementOffer.objects.unscoped("test").exists()


def test_a_coordinator_imports_only_their_own_offers(team: Team, charlie: User) -> None:
    assert run(
        ("placement-offers", OFFERS + "AAA,Duty team,2019/20,final_100,,2,,,\n"), viewer=charlie
    ) == ["row 2, column organisation: you cannot import records for Alpha Council (AAA)."]


def test_placements_import_as_they_stand_and_fill_their_offer(
    team: Team, student: Student, org_a: Organisation
) -> None:
    PracticeEducatorFactory.create(person__organisation=org_a, person__email="pe@a.test")
    assert run(("placement-offers", OFFERS + "AAA,Duty team,2019/20,final_100,,2,,,ma\n")) == []
    text = (
        PLACEMENTS
        + "b1,ma,BBB,AAA,Duty team,2019/20,final_100,,2020-01-06,2020-06-05,pe@a.test,,completed\n"
    )
    assert run(("placements", text)) == []
    placement = Placement.objects.unscoped("test").get()
    assert (placement.student, placement.status, placement.days) == (student, "completed", 100)
    assert placement.offer == PlacementOffer.objects.unscoped("test").get()
    assert placement.practice_educator is not None
    _errors, again = import_text(("placements", text))
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 1}
    rows = get_importer("placements").export_rows(permissions.OPERATOR)
    assert rows[0]["start_date"] == "2020-01-06"
    _errors, exported = import_text(("placements", as_csv(rows)))
    assert exported.counts() == {"create": 0, "update": 0, "unchanged": 1}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "B9,ma,BBB,AAA,Duty team,2019/20,final_100,,,,,,requested",
            "row 2, column student_ref: BBB has no student with the reference “B9”.",
        ),
        (
            "B1,ba,BBB,AAA,Duty team,2019/20,final_100,,,,,,requested",
            "row 2, column student_route: is not the student's route, ma.",
        ),
        (
            "B1,ma,BBB,AAA,Duty team,2019/20,final_100,,,,,,confirmed",
            "row 2, column start_date: a confirmed placement has its start and end dates.",
        ),
        (
            "B1,ma,BBB,AAA,Duty team,2019/20,final_100,,,,nobody@a.test,,requested",
            "row 2, column practice_educator_email: no practice educator on the register has "
            "the e-mail address nobody@a.test.",
        ),
        (
            "B1,ma,BBB,BBB,,2019/20,final_100,,,,,,requested",
            "row 2, column organisation: Beta University (BBB) is a university; name the "
            "organisation that provides the placement.",
        ),
        (
            "B1,ma,BBB,AAA,Duty team,2019/20,final_100,,2020-06-01,2020-01-01,,,in_progress",
            "row 2, column end_date: is before the start date.",
        ),
    ],
)
def test_a_bad_placement_row_is_named_and_nothing_is_written(
    team: Team, student: Student, row: str, message: str
) -> None:
    assert message in run(("placements", PLACEMENTS + row + "\n"))
    assert not Placement.objects.unscoped("test").exists()


def test_a_placement_that_ended_early_says_why(team: Team, student: Student) -> None:
    header = PLACEMENTS.strip() + ",ended_reason\n"
    row = "B1,ma,BBB,AAA,Duty team,2019/20,final_100,,2020-01-06,2020-02-01,,,ended_early,"
    assert run(("placements", header + row + "\n")) == [
        "row 2, column ended_reason: is empty; say why the placement ended early."
    ]
    assert run(("placements", header + row + "Ill health\n")) == []
    assert Placement.objects.unscoped("test").get().ended_reason == "Ill health"


def test_students_import_their_stage_and_employer(team: Team, org_b: Organisation) -> None:
    text = (
        "student_ref,hei,first_name,last_name,route,year_of_study,programme,stage,employer,"
        "employer_team\nB7,BBB,Ada,Apprentice,apprentice,2,SW apprenticeship,first_70,AAA,"
        "Duty team\n"
    )
    assert run(("students", text)) == []
    student = Student.objects.unscoped("test").get()
    assert (student.stage, student.employer_team) == ("first_70", team)
    _errors, again = import_text(("students", text))
    assert again.counts()["unchanged"] == 1
    wrong = text.replace("Duty team", "Other team")
    assert run(("students", wrong)) == [
        "row 2, column employer_team: AAA has no team “Other team”. Did you mean Duty team? Add it first."
    ]


def test_a_dry_run_writes_nothing(team: Team, student: Student) -> None:
    text = PLACEMENTS + "B1,ma,BBB,AAA,Duty team,2019/20,final_100,,,,,,requested\n"
    _errors, result = import_text(("placements", text), dry_run=True)
    assert result.counts()["create"] == 1
    assert not Placement.objects.unscoped("test").exists()
    assert datetime.date(2020, 1, 1)  # the dates above parse as days of 2019/20

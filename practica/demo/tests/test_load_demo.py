"""The demo partnership, loaded once for the module (``conftest.demo``): every test here
starts from it, as a fresh ``practica demo`` leaves the database."""

import datetime

import pytest

from practica.accounts.models import Membership, Role, User
from practica.core.models import Organisation, Person, Team
from practica.demo.data import DemoLogin, load_demo
from practica.demo.generate import SCALES, generate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_loading_twice_duplicates_nothing() -> None:
    counts = [
        model._base_manager.count() for model in (Organisation, Team, Person, User, Membership)
    ]
    load_demo()
    assert [
        model._base_manager.count() for model in (Organisation, Team, Person, User, Membership)
    ] == counts


def test_the_demo_has_two_las_two_heis_and_a_login_for_every_role(demo: list[DemoLogin]) -> None:
    kinds = sorted(Organisation.objects.unscoped("test").values_list("kind", flat=True))
    # the Open University's in-house students are placed with Kent (demo/placements.py)
    assert kinds == ["hei", "hei", "hei", "local_authority", "local_authority"]
    assert {login.role for login in demo} == {role.label for role in Role}
    assert Team.objects.unscoped("test").filter(service_area__code="childrens").exists()
    assert Team.objects.unscoped("test").filter(service_area__code="adults").exists()


def test_demo_command_loads_without_serving(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "coordinator.mc@demo.practica.test" in out
    assert "Password for every demo login" in out


def test_another_seed_generates_other_records_beside_the_demo_and_the_first_seed() -> None:
    today = datetime.date(2026, 3, 2)
    generate(scale=SCALES["tiny"], seed=1, today=today)
    people = Person.objects.unscoped("test").count()

    counts = generate(scale=SCALES["tiny"], seed=2, today=today)

    assert Person.objects.unscoped("test").count() == people + counts["core.Person"]


def test_the_demo_holds_two_years_of_placements_at_the_case_studys_scale() -> None:
    """The case study (seeds/002): Medway and Kent provide about 100 practice placements a year
    between them (21 and 72 in 2018/19, 19 and 79 in 2019/20), plus Step Up, Think Ahead, Open
    University, apprentice and shadowing placements; the demo holds both years, with the offers
    the placements fill and the students placed."""
    from django.db.models import Count

    from practica.placements.models import (
        CONFIRMED_STATUSES,
        Placement,
        PlacementOffer,
        PlacementStatus,
        PlacementType,
        Route,
        Student,
    )

    held = (*CONFIRMED_STATUSES, PlacementStatus.ENDED_EARLY)
    placements = Placement.objects.unscoped("test").filter(
        organisation__code__in=["MC", "KCC"], status__in=held
    )
    rows = placements.values(
        "organisation__code", "academic_year__start_year", "placement_type", "student__route"
    ).annotate(n=Count("pk"))
    counts: dict[tuple[str, int, str, str], int] = {
        (
            row["organisation__code"],
            row["academic_year__start_year"],
            row["placement_type"],
            row["student__route"],
        ): row["n"]
        for row in rows
    }

    def count(
        la: str | None = None,
        year: int | None = None,
        *,
        types: tuple[str, ...] = (),
        routes: tuple[str, ...] = (),
    ) -> int:
        return sum(
            n
            for (code, start, kind, route), n in counts.items()
            if la in (None, code)
            and year in (None, start)
            and (not types or kind in types)
            and (not routes or route in routes)
        )

    years = sorted({year for _la, year, _kind, _route in counts})
    assert years == [2018, 2019]
    practice = (PlacementType.FIRST_70, PlacementType.FINAL_100)
    university = (Route.BA, Route.MA)
    for year in years:
        # "an average of 105 practice placements per year" across the two LAs
        assert 80 <= count(year=year, types=practice, routes=university) <= 130
        for la in ("MC", "KCC"):
            assert count(la, year, types=practice, routes=university) >= 15
            assert count(la, year, routes=(Route.STEP_UP,)) >= 4
            assert (
                PlacementOffer.objects.unscoped("test")
                .filter(organisation__code=la, academic_year__start_year=year)
                .exists()
            )
        assert count("KCC", year, routes=(Route.OU,)) >= 10
        assert count("MC", year, types=(PlacementType.SHADOWING,)) >= 15
    assert count("KCC", 2018, types=(PlacementType.SHADOWING,)) >= 50
    assert count("KCC", 2018, routes=(Route.THINK_AHEAD,)) >= 1
    assert count(year=2019, routes=(Route.APPRENTICE,)) >= 25
    assert count("MC", 2018, types=(PlacementType.SCHOOL_SETTING,)) >= 1
    # the placements fill their offers, and are of the demo's students
    assert placements.filter(offer__isnull=False).count() >= placements.count() * 0.9
    assert (
        Student.objects.unscoped("test").filter(placements__in=placements).distinct().count() >= 300
    )

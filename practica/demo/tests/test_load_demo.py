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

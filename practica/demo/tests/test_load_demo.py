import pytest

from practica.accounts.models import Membership, Role, User
from practica.core.models import Organisation, Person, Team
from practica.demo.data import load_demo


@pytest.mark.django_db
def test_loading_twice_duplicates_nothing() -> None:
    load_demo()
    counts = [
        model._base_manager.count() for model in (Organisation, Team, Person, User, Membership)
    ]
    load_demo()
    assert [
        model._base_manager.count() for model in (Organisation, Team, Person, User, Membership)
    ] == counts


@pytest.mark.django_db
def test_the_demo_has_two_las_two_heis_and_a_login_for_every_role() -> None:
    logins = load_demo()
    kinds = sorted(Organisation.objects.unscoped("test").values_list("kind", flat=True))
    # the Open University's in-house students are placed with Kent (demo/placements.py)
    assert kinds == ["hei", "hei", "hei", "local_authority", "local_authority"]
    assert {login.role for login in logins} == {role.label for role in Role}
    assert Team.objects.unscoped("test").filter(service_area__code="childrens").exists()
    assert Team.objects.unscoped("test").filter(service_area__code="adults").exists()


@pytest.mark.django_db
def test_demo_command_loads_without_serving(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "coordinator.mc@demo.practica.test" in out
    assert "Password for every demo login" in out

"""The shared list filters other apps' resources build on: organisation by code through the
model's ``scope_path``, and the academic year written like 2019/20."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from practica.accounts.permissions import OPERATOR
from practica.api.filters import YearListFilters, narrow
from practica.core.models import AcademicYear, Organisation, Team
from practica.organisations.tests.factories import TeamFactory


def test_the_year_is_parsed_like_the_pages_parse_it() -> None:
    parsed = YearListFilters(data={"year": "2019/2020", "organisation": "MC"})

    assert parsed.is_valid()
    assert parsed.validated_data == {"year": 2019, "organisation": "MC"}


def test_a_malformed_year_is_refused_with_the_pages_message() -> None:
    parsed = YearListFilters(data={"year": "2019/21"})

    assert not parsed.is_valid()
    assert parsed.errors == {
        "year": [
            "“2019/21” is not an academic year: the second year must follow the first, "
            "as in 2019/20."
        ]
    }


def test_narrow_follows_the_scope_path_and_the_year_path(
    org_a: Organisation, org_b: Organisation
) -> None:
    TeamFactory.create(organisation=org_a, name="Ours")
    TeamFactory.create(organisation=org_b, name="Theirs")
    for start_year in (2019, 2020):
        AcademicYear.objects.create(start_year=start_year)
    teams = Team.objects.visible_to(OPERATOR)

    assert [t.name for t in narrow(teams, {"organisation": "bbb"})] == ["Theirs"]
    assert list(narrow(Organisation.objects.unscoped("test").all(), {"organisation": "aaa"})) == [
        org_a
    ]
    years = narrow(AcademicYear.objects.all(), {"year": 2020}, year_path="start_year")
    assert [year.label for year in years] == ["2020/21"]
    assert not Team.objects.visible_to(AnonymousUser()).exists()

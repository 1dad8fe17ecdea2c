"""The placement-quotas import kind (docs/0028-allocation-runs.md, "Quotas"): what it creates
and updates, that an export reads back unchanged, a dry run, named row errors (nothing written:
all or nothing) and who may import which quotas."""

from __future__ import annotations

import pytest

from practica.accounts import permissions
from practica.accounts.models import User
from practica.core.models import Organisation, Partnership
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text
from practica.organisations.tests.factories import OrganisationFactory
from practica.placements.allocation_models import PlacementQuota

pytestmark = pytest.mark.django_db

QUOTAS = "hei,organisation,academic_year,limit\n"


def quotas() -> list[tuple[str, str, str, int]]:
    return sorted(
        (q.hei.code, q.provider.code if q.provider else "", str(q.academic_year), q.limit)
        for q in PlacementQuota.objects.unscoped("test").select_related(
            "hei", "provider", "academic_year"
        )
    )


def test_quotas_import_and_update_by_university_provider_and_year(
    org_a: Organisation, org_b: Organisation
) -> None:
    text = QUOTAS + "BBB,AAA,2019/20,3\nBBB,,2019/20,10\n"
    assert import_text(("placement-quotas", text))[0] == []
    assert quotas() == [("BBB", "", "2019/20", 10), ("BBB", "AAA", "2019/20", 3)]

    _errors, again = import_text(("placement-quotas", QUOTAS + "bbb,aaa,2019/2020,4\n"))

    assert again.counts() == {"create": 0, "update": 1, "unchanged": 0}
    assert quotas() == [("BBB", "", "2019/20", 10), ("BBB", "AAA", "2019/20", 4)]
    assert PlacementQuota.history.count() == 3


def test_exported_quotas_read_back_unchanged(org_a: Organisation, org_b: Organisation) -> None:
    import_text(("placement-quotas", QUOTAS + "BBB,AAA,2019/20,3\nBBB,,2020/21,0\n"))
    rows = get_importer("placement-quotas").export_rows(permissions.OPERATOR)
    assert sorted(rows, key=lambda row: row["organisation"]) == [
        {"hei": "BBB", "organisation": "", "academic_year": "2020/21", "limit": "0"},
        {"hei": "BBB", "organisation": "AAA", "academic_year": "2019/20", "limit": "3"},
    ]
    _errors, again = import_text(("placement-quotas", as_csv(rows)))
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 2}


def test_a_dry_run_writes_nothing(org_a: Organisation, org_b: Organisation) -> None:
    errors, result = import_text(("placement-quotas", QUOTAS + "BBB,AAA,2019/20,3\n"), dry_run=True)
    assert errors == []
    assert result.counts()["create"] == 1
    assert not PlacementQuota.objects.unscoped("test").exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("BBB,AAA,2019/20,-1", "row 3, column limit: -1 is below the smallest allowed value, 0."),
        ("AAA,AAA,2019/20,1", "row 3, column hei: Alpha Council (AAA) is not a university."),
        (
            "BBB,BBB,2019/20,1",
            "row 3, column organisation: Beta University (BBB) is a university; name the "
            "organisation that provides the placements, or leave it empty for any.",
        ),
        ("BBB,ZZZ,2019/20,1", "row 3, column organisation: there is no organisation"),
        ("BBB,AAA,2019,1", "row 3, column academic_year:"),
        ("BBB,AAA,2019/20,", "row 3, column limit:"),
    ],
)
def test_a_bad_quota_row_is_named_and_nothing_is_written(
    org_a: Organisation, org_b: Organisation, row: str, message: str
) -> None:
    errors = import_text(("placement-quotas", QUOTAS + "BBB,AAA,2020/21,2\n" + row + "\n"))[0]
    assert any(error.startswith(message) for error in errors), errors
    assert not PlacementQuota.objects.unscoped("test").exists()


def test_a_providers_coordinator_imports_only_quotas_with_their_organisation(
    alice: User, org_a: Organisation, org_b: Organisation, partnership: Partnership
) -> None:
    other = OrganisationFactory.create(partnership=partnership, code="OTH", name="Other Council")
    assert import_text(("placement-quotas", QUOTAS + "BBB,AAA,2019/20,2\n"), viewer=alice)[0] == []
    errors = import_text(
        ("placement-quotas", QUOTAS + "BBB,OTH,2019/20,2\nBBB,,2019/20,9\n"), viewer=alice
    )[0]
    assert errors == [
        f"row 2, column organisation: you cannot keep quotas of {other.name} (OTH).",
        "row 3, column organisation: is empty; only the partnership manager keeps quotas with "
        "any providing organisation: name yours.",
    ]
    assert quotas() == [("BBB", "AAA", "2019/20", 2)]


def test_the_partnership_manager_imports_quotas_with_any_provider(
    manager: User, org_a: Organisation, org_b: Organisation
) -> None:
    assert import_text(("placement-quotas", QUOTAS + "BBB,,2019/20,5\n"), viewer=manager)[0] == []
    assert quotas() == [("BBB", "", "2019/20", 5)]


def test_a_universitys_coordinator_imports_no_quota(charlie: User, org_b: Organisation) -> None:
    errors = import_text(("placement-quotas", QUOTAS + "BBB,,2019/20,5\n"), viewer=charlie)[0]
    assert errors == [
        "Only a providing organisation's coordinators and the partnership manager import quotas."
    ]

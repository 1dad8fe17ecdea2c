"""The currency-rules and selection-criteria import kinds: the partnership's settings travel
with its records (export-all writes them; an import brings them back)."""

from __future__ import annotations

import pytest

from practica.accounts.models import User
from practica.core.models import Organisation, Partnership
from practica.educators.models import ApplicationScore, CurrencyRule, SelectionCriterion
from practica.educators.register import services
from practica.educators.tests.factories import PeApplicationFactory, SelectionCriterionFactory
from practica.imports.framework import BatchResult
from practica.imports.registry import get_importer
from practica.imports.testing import as_csv, import_text

RULES = (
    "lead_organisation,months_since_student,months_since_training,warning_months,review_months\n"
)
CRITERIA = "organisation,title,description,max_score,position,in_use\n"


def run(user: User, kind: str, text: str) -> tuple[list[str], BatchResult]:
    return import_text((kind, text), viewer=user)


@pytest.fixture
def lead(partnership: Partnership, org_a: Organisation) -> Organisation:
    partnership.lead_organisation = org_a
    partnership.save()
    return org_a


def test_the_lead_s_coordinator_imports_the_partnership_s_currency_rules(
    alice: User, lead: Organisation
) -> None:
    errors, _result = run(alice, "currency-rules", RULES + "AAA,36,18,2,6\n")
    assert errors == []
    rule = CurrencyRule.objects.unscoped("test").get(partnership=lead.partnership)
    assert (rule.months_since_student, rule.months_since_training) == (36, 18)
    assert (rule.warning_months, rule.review_months) == (2, 6)
    _errors, again = run(alice, "currency-rules", RULES + "AAA,36,18,2,6\n")
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 1}


def test_exported_currency_rules_import_back_the_same(alice: User, lead: Organisation) -> None:
    services.set_currency_rule(
        actor=alice,
        partnership=lead.partnership,
        months_since_student=30,
        months_since_training=20,
        warning_months=4,
        review_months=9,
    )
    exported = get_importer("currency-rules").export_rows(alice)
    CurrencyRule.objects.unscoped("test").all().delete()
    errors, _result = run(alice, "currency-rules", as_csv(exported))
    assert errors == []
    assert get_importer("currency-rules").export_rows(alice) == exported


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("AAA,12,24,12,12\n", "row 2, column warning_months: The warning must be shorter"),
        ("AAA,0,24,3,12\n", "row 2, column months_since_student: 0 is below"),
        ("BBB,24,24,3,12\n", "row 2, column lead_organisation: you cannot import records"),
    ],
)
def test_each_currency_rule_error_names_its_column_and_nothing_is_written(
    alice: User, lead: Organisation, org_b: Organisation, row: str, expected: str
) -> None:
    errors, _result = run(alice, "currency-rules", RULES + row)
    assert any(error.startswith(expected) for error in errors), errors
    assert not CurrencyRule.objects.unscoped("test").exists()


def test_only_the_lead_organisation_sets_the_currency_rules(
    alice: User, partnership: Partnership, org_a: Organisation, org_b: Organisation
) -> None:
    partnership.lead_organisation = org_b
    partnership.save()
    errors, _result = run(alice, "currency-rules", RULES + "AAA,24,24,3,12\n")
    assert errors == [
        "row 2, column lead_organisation: AAA is not the lead organisation of its partnership, "
        "which sets these rules."
    ]


def test_selection_criteria_are_imported_found_by_title_and_can_be_retired(
    alice: User, org_a: Organisation
) -> None:
    errors, _result = run(
        alice,
        "selection-criteria",
        CRITERIA
        + "AAA,Reflective practice,Uses supervision well,10,1,yes\nAAA,Old criterion,,,,no\n",
    )
    assert errors == []
    criteria = {c.title: c for c in SelectionCriterion.objects.unscoped("test").all()}
    assert (
        criteria["Reflective practice"].max_score,
        criteria["Reflective practice"].position,
    ) == (
        10,
        1,
    )
    assert criteria["Old criterion"].max_score == 5
    assert not criteria["Old criterion"].is_active
    _errors, again = run(
        alice,
        "selection-criteria",
        CRITERIA + "AAA,reflective practice,Uses supervision well,8,1,yes\n",
    )
    assert again.counts()["update"] == 1
    assert (
        SelectionCriterion.objects.unscoped("test").get(title="reflective practice").max_score == 8
    )


def test_lowering_a_highest_score_below_a_given_score_rolls_the_import_back(
    alice: User, org_a: Organisation
) -> None:
    criterion = SelectionCriterionFactory.create(organisation=org_a, title="Values", max_score=10)
    application = PeApplicationFactory.create(organisation=org_a)
    ApplicationScore.objects.create(application=application, criterion=criterion, score=9)
    errors, result = run(alice, "selection-criteria", CRITERIA + "AAA,Values,,5,0,yes\n")
    assert errors == [
        "selection-criteria.csv, row 2, column max_score: A panel has already given a score of 9 against it."
    ]
    assert not result.applied
    criterion.refresh_from_db()
    assert criterion.max_score == 10

"""A register row its entry already holds is not validated again (docs/0039): it writes
nothing, so a stored entry that breaks a rule (written around the services, or before the rule
existed) is reported unchanged when re-imported as it is, and refused as soon as a row changes
it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from practica.accounts import permissions
from practica.educators.models import PracticeEducator
from practica.educators.register.importers import PracticeEducatorImporter
from practica.educators.tests.factories import PracticeEducatorFactory
from practica.imports.testing import as_csv, import_text

pytestmark = pytest.mark.django_db

# why the update below reads every organisation's rows (core/scoping.py)
TEST = "the test breaks a stored entry on purpose"


def stored_with_a_future_training_date() -> PracticeEducator:
    entry = PracticeEducatorFactory.create()
    future = timezone.localdate() + datetime.timedelta(days=30)
    PracticeEducator.objects.unscoped(TEST).filter(pk=entry.pk).update(last_training_date=future)
    return entry


def exported() -> list[dict[str, str]]:
    return PracticeEducatorImporter().export_rows(permissions.OPERATOR)


def test_an_entry_re_imported_as_it_is_is_unchanged_even_if_it_breaks_a_rule() -> None:
    stored_with_a_future_training_date()

    errors, result = import_text(("practice-educators", as_csv(exported())), dry_run=True)

    assert errors == []
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 1}


def test_a_row_that_changes_that_entry_is_checked_against_every_rule() -> None:
    stored_with_a_future_training_date()
    rows = exported()
    rows[0]["last_student_date"] = "2020-01-06"

    errors, result = import_text(("practice-educators", as_csv(rows)), dry_run=True)

    assert errors == [
        "row 2, column last_training_date: The last update training cannot be in the future."
    ]
    assert result.counts() == {"create": 0, "update": 0, "unchanged": 0}

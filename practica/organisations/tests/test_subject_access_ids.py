"""SECURITY.md §11 whatever ids the rows get: a person's subject access export finds their rows
by their own ids, in the table each id belongs to. On SQLite every test's ids start at 1, so
Pat's person, login and register entry share one id and a lookup that takes an id from the
wrong table still finds Pat's row; on PostgreSQL, where ids are not reset between tests, the
same lookup could find another person's. Here the ids are laid out on purpose, on both."""

from __future__ import annotations

import json

import pytest

from practica.core.models import Organisation
from practica.organisations.subject_access import subject_access_document
from practica.organisations.tests.subject_access_fixtures import (
    Crossing,
    Held,
    exported_ids,
    people_with_crossed_ids,
)


@pytest.fixture(params=Crossing.all(), ids=str)
def crossed(request: pytest.FixtureRequest, org_a: Organisation) -> tuple[Held, Held]:
    crossing: Crossing = request.param
    return people_with_crossed_ids(org_a, crossing)


def test_it_holds_the_persons_own_rows_and_nothing_of_another_however_the_ids_fall(
    crossed: tuple[Held, Held],
) -> None:
    pat, _quinn = crossed
    assert pat.person.user is not None
    document = subject_access_document(pat.person)
    text = json.dumps(document)
    for trace in ("Quinn", "Otherly", "quinn@example.test"):
        assert trace not in text
    # every section, part and "changes they made" row, by model: Pat's, all of them, and no
    # other (Quinn's rows have, in some table, the very ids Pat's rows have in another)
    assert exported_ids(document) == {
        "core.person": {pat.person.pk},
        "accounts.user": {pat.person.user.pk},
        **pat.ids,
    }
    # and each row with its own versions, from the one that created it
    for section in document["sections"]:
        for record in section["records"]:
            parts = [row for rows in record.get("parts", {}).values() for row in rows]
            for row in [record, *parts] if "history" in record else []:
                assert row["history"][0]["action"] == "Created", (section["model"], row["id"])

"""The people import applies a file's rows in bulk (``PersonImporter.apply_all``,
``core.services.save_people``) and looks its people and teams up once per file
(``prefetch``); both only change speed. Each test runs the same file both ways — in bulk, and
one row at a time as every other kind does — and compares what they leave and say."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from practica.accounts.models import User
from practica.core import audit, services
from practica.core.models import Organisation, Person
from practica.imports import framework
from practica.imports.framework import Importer
from practica.imports.testing import import_text
from practica.organisations.importers import PersonImporter
from practica.organisations.tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

HEADER = "organisation,first_name,last_name,email,team,job_title\n"


class UndoError(Exception):
    """Rolls a run back so the other way starts from the same database."""


def one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The people import as before: every look-up and write row by row."""
    monkeypatch.setattr(PersonImporter, "apply_all", Importer.apply_all)
    monkeypatch.setattr(PersonImporter, "prefetch", Importer.prefetch)


def snapshot() -> dict[str, Any]:
    """The people and their history, by value (ids and times differ between two runs)."""

    def person(p: Any) -> tuple[Any, ...]:
        team = p.team.name if p.team_id else None
        return (p.organisation.code, p.first_name, p.last_name, p.email, p.job_title, team)

    people = Person.objects.unscoped("test").select_related("organisation", "team")
    history = Person.history.select_related("organisation", "team")
    return {
        "people": sorted(person(p) for p in people),
        "history": sorted(
            (h.history_type, h.history_user_id or 0, h.history_change_reason or "", *person(h))
            for h in history
        ),
    }


def both_ways(monkeypatch: pytest.MonkeyPatch, run: Callable[[], Any]) -> list[Way]:
    """``run()``'s answer, the database after it and the queries it took, in bulk and then
    one by one (each undone after)."""
    ways = []
    for bulk in (True, False):
        with monkeypatch.context() as patch:
            if bulk:  # no row is applied one by one, as a fallback, in bulk
                patch.setattr(framework, "_apply_row", _not_in_bulk)
            else:
                one_by_one(patch)
            try:
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    answer = run()
                    ways.append(Way(answer, snapshot(), len(queries.captured_queries)))
                    raise UndoError
            except UndoError:
                pass
    return ways


@dataclass
class Way:
    answer: Any
    database: dict[str, Any]
    queries: int


def _not_in_bulk(*args: object) -> None:
    raise AssertionError("a row was applied one by one")


@pytest.fixture
def people(org_a: Organisation, org_b: Organisation) -> None:
    assessment = TeamFactory.create(organisation=org_a, name="Assessment")
    TeamFactory.create(organisation=org_a, name="Duty")
    PersonFactory.create(
        organisation=org_a,
        email="same@example.test",
        team=assessment,
        job_title="Social worker",
        first_name="Sam",
        last_name="Same",
    )
    PersonFactory.create(
        organisation=org_a, email="moves@example.test", first_name="Mo", last_name="Moves"
    )
    PersonFactory.create(organisation=org_a, email="", first_name="Nia", last_name="Okoro")
    PersonFactory.create(organisation=org_b, email="theirs@example.test")


OURS = HEADER + "".join(
    [
        "AAA,Sam,Same,same@example.test,Assessment,Social worker\n",  # unchanged
        "AAA,Mo,Moves,MOVES@example.test,duty,Team manager\n",  # changed
        "AAA,Nia,Okoro,,Assessment,Advanced practitioner\n",  # changed, found by name
        "AAA,New,Person,New.Person@Example.test,,\n",
        "AAA,No,Address,,Duty,Student\n",
        *(f"AAA,First{n},Last{n},p{n}@example.test,Assessment,Worker {n}\n" for n in range(40)),
    ]
)
GOOD = OURS + "BBB,Ben,Baker,ben@example.test,,\n"


@pytest.mark.usefixtures("people")
def test_a_coordinators_file_in_bulk_leaves_what_one_by_one_leaves_history_included(
    monkeypatch: pytest.MonkeyPatch, alice: User
) -> None:
    def run() -> Any:
        errors, result = import_text(("people", OURS), viewer=User.objects.get(pk=alice.pk))
        records = [(action, kind, str(record)) for record, action, kind in result.records]
        return errors, result.applied, result.counts(), records

    bulk, single = both_ways(monkeypatch, run)

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied, counts, _records = bulk.answer
    assert (errors, applied) == ([], True)
    assert counts == {"create": 42, "update": 2, "unchanged": 1}
    assert {
        h[1] for h in bulk.database["history"] if h[0] == "+" and h[6] == "p1@example.test"
    } == {alice.pk}


@pytest.mark.usefixtures("people")
def test_the_command_lines_import_in_bulk_matches_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def run() -> Any:
        errors, result = import_text(("people", GOOD))
        records = [(action, kind, str(record)) for record, action, kind in result.records]
        return errors, result.applied, result.counts(), records

    bulk, single = both_ways(monkeypatch, run)

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied, counts, _records = bulk.answer
    assert (errors, applied) == ([], True)
    assert counts == {"create": 43, "update": 2, "unchanged": 1}
    assert ("AAA", "Mo", "Moves", "moves@example.test", "Team manager", "Duty") in bulk.database[
        "people"
    ]
    assert sum(1 for h in bulk.database["history"] if h[0] == "~") == 2
    assert bulk.queries * 5 < single.queries  # looked up once per file, written in batches


@pytest.mark.usefixtures("people")
def test_bad_rows_are_refused_with_the_same_messages_in_bulk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = HEADER + (
        "AAA,Sam,Same,same@example.test,Assessment,Social worker\n"
        "AAA,Tess,Theirs,theirs@example.test,,\n"  # another organisation's person
        "AAA,Una,Known,una@example.test,Nowhere,\n"  # no such team
        "AAA,Dee,Dupe,p1@example.test,,\n"
        "AAA,Dee,Dupe,P1@example.test,,\n"  # the same address twice
        "AAA,Bad,Address,not-an-address,,\n"
        "ZZZ,No,Organisation,z@example.test,,\n"
    )

    def run() -> Any:
        errors, result = import_text(("people", bad))
        return errors, result.applied

    bulk, single = both_ways(monkeypatch, run)

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied = bulk.answer
    assert not applied
    assert len(errors) == 5
    assert any(
        "whom this row cannot change" in e or "cannot be used for this row" in e for e in errors
    )
    assert any("has no team “Nowhere”" in e for e in errors)


@pytest.mark.usefixtures("people")
def test_a_bulk_write_that_fails_is_undone_and_the_rows_applied_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail_after_creating(*args: object, **kwargs: object) -> None:
        raise IntegrityError("as if a constraint were broken after the new people were written")

    def run() -> Any:
        errors, result = import_text(("people", GOOD))
        records = [(action, kind, str(record)) for record, action, kind in result.records]
        return errors, result.applied, result.counts(), records

    bulk, single = both_ways(monkeypatch, run)  # the reference: in bulk, and one by one
    with monkeypatch.context() as patch:
        patch.setattr(audit, "update_all_audited", fail_after_creating)
        patch.setattr(services, "update_all_audited", fail_after_creating)
        try:
            with transaction.atomic():
                fell_back = Way(run(), snapshot(), 0)
                raise UndoError
        except UndoError:
            pass

    assert fell_back.answer == single.answer == bulk.answer
    assert fell_back.database == single.database  # nothing of the attempt is left

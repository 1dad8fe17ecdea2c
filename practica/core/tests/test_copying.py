"""On PostgreSQL, ``core.audit.create_all_audited`` writes new records and their history rows
with ``COPY`` (``core.copying``): the same rows as simple-history's ``bulk_create_with_history``
would write, in the caller's transaction, and a broken constraint refused as before."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from simple_history.utils import bulk_create_with_history

from practica.core.audit import create_all_audited
from practica.core.models import Person
from practica.educators.register.models import PracticeEducator
from practica.organisations.tests.factories import (
    OrganisationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite keeps bulk_create"
)

DIFFERENT = {"id", "email", "person", "person_id", "created_at", "updated_at", "modified"}


def _people(prefix: str, organisation: Any, team: Any) -> list[Person]:
    return [
        Person(
            organisation=organisation,
            team=team if n % 2 else None,
            first_name=f"Ann {n}",
            last_name='O\'Brien, "Tab"\there',  # COPY's separators and quotes in the text
            email=f"{prefix}{n}@example.test",
            job_title="" if n % 3 else "Practice educator\\manager",
        )
        for n in range(6)
    ]


def _entries(people: list[Person]) -> list[PracticeEducator]:
    return [
        PracticeEducator(
            person=person,
            service_area_id=person.team.service_area_id if person.team else None,
            peps_stage="stage2",
            stage1_date=datetime.date(2015, 7, 1),
            stage2_date=datetime.date(2017, 7, 1),
            last_student_date=datetime.date(2024, n + 1, 1) if n % 2 else None,
        )
        for n, person in enumerate(people)
    ]


def _rows(model: type[models.Model], ids: list[int]) -> list[dict[str, Any]]:
    stored = model._base_manager.filter(pk__in=ids).order_by("pk").values()
    return [{k: v for k, v in row.items() if k not in DIFFERENT} for row in stored]


def _history(model: type[models.Model], ids: list[int]) -> list[dict[str, Any]]:
    stored = model.history.filter(id__in=ids).order_by("id").values()  # type: ignore[attr-defined]
    return [
        {k: v for k, v in row.items() if k not in DIFFERENT | {"history_id", "history_date"}}
        for row in stored
    ]


def test_new_records_and_their_history_are_copied_as_bulk_create_writes_them(db: None) -> None:
    organisation = OrganisationFactory.create()
    team = TeamFactory.create(organisation=organisation)
    actor = UserFactory.create()
    copied, created = _people("c", organisation, team), _people("o", organisation, team)
    with CaptureQueriesContext(connection) as queries:
        create_all_audited(copied, actor=actor)
        copied_entries = _entries(copied)
        create_all_audited(copied_entries, actor=actor)
    bulk_create_with_history(created, Person, default_user=actor)
    created_entries = _entries(created)
    bulk_create_with_history(created_entries, PracticeEducator, default_user=actor)

    sent = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert "INSERT" not in sent
    assert sent.count("COPY") == 4  # people, their history, entries, their history
    assert all(person.pk and not person._state.adding for person in copied)
    for model, mine, theirs in (
        (Person, copied, created),
        (PracticeEducator, copied_entries, created_entries),
    ):
        ids, other_ids = [obj.pk for obj in mine], [obj.pk for obj in theirs]
        assert _rows(model, ids) == _rows(model, other_ids)
        assert len(_rows(model, ids)) == 6
        assert _history(model, ids) == _history(model, other_ids)
        assert {row["history_user_id"] for row in _history(model, ids)} == {actor.pk}
    entry = PracticeEducator._base_manager.get(pk=copied_entries[1].pk)
    assert entry.person.last_name == 'O\'Brien, "Tab"\there'
    assert entry.person.email == "c1@example.test"


def test_a_copied_record_breaking_a_unique_constraint_is_refused_and_nothing_is_written(
    db: None,
) -> None:
    organisation = OrganisationFactory.create()
    create_all_audited(_people("p", organisation, None)[:1], actor=None)
    clash = _people("p", organisation, None)
    clash[0].email = "P0@Example.test"  # the same address in other letters: unique without case
    with pytest.raises(ValidationError, match="conflicts with one that already exists"):
        create_all_audited(clash, actor=None)
    assert Person._base_manager.filter(email__startswith="p").count() == 1
    assert Person.history.filter(email__startswith="p").count() == 1


def test_rows_given_as_values_are_copied_as_bulk_create_writes_their_records(db: None) -> None:
    """``copy_values`` (an import's list of records, ``imports.services._record``): the same
    rows as ``bulk_create`` of the records holding those values, with no instance built."""
    from django.contrib.contenttypes.models import ContentType

    from practica.core.copying import copy_values
    from practica.imports.models import ImportedRecord, ImportRun

    run = ImportRun.objects.create(kind="people", file_name="people.csv")
    kind = ContentType.objects.get_for_model(Person).pk
    fields = ("run_id", "kind", "action", "content_type_id", "object_id", "label")
    values = [
        (run.pk, "people", "create", kind, 7, 'O\'Brien, "Tab"\there\\'),
        (run.pk, "people", "update", kind, 2**40, ""),
    ]
    with CaptureQueriesContext(connection) as queries:
        assert copy_values(ImportedRecord, fields, values)
    assert not any("INSERT" in query["sql"] for query in queries.captured_queries)
    copied = list(ImportedRecord.objects.values(*fields).order_by("pk"))
    ImportedRecord.objects.bulk_create(
        ImportedRecord(**dict(zip(fields, row, strict=True))) for row in values
    )
    created = list(ImportedRecord.objects.values(*fields).order_by("pk"))[len(values) :]
    assert copied == created == [dict(zip(fields, row, strict=True)) for row in values]
    with pytest.raises(ValueError, match="every field"):
        copy_values(ImportedRecord, fields[:-1], [row[:-1] for row in values])

"""The practice-educators import applies a file's rows in bulk
(``PracticeEducatorImporter.apply_all``, ``register.services.save_register``) and looks its
people, teams and entries up once per file (``prefetch``); both only change speed. Each test
runs the same file both ways — in bulk, and one row at a time as before — and compares what
they leave (people, entries, activities and every history row) and what they say."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practica.accounts.models import User
from practica.core.models import Organisation, Person
from practica.educators.models import ActivityKind, PracticeEducator, PracticeEducatorActivity
from practica.educators.register import services
from practica.educators.register.importers import PracticeEducatorImporter
from practica.educators.tests.factories import ActivityFactory, PracticeEducatorFactory
from practica.imports import framework
from practica.imports.framework import Importer
from practica.imports.testing import import_text
from practica.organisations.tests.factories import LocationFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "email,first_name,last_name,organisation,team,service_area,location,independent,peps_stage,"
    "stage1_date,stage2_date,activities,last_student_date,last_training_date,reviewed_on,"
    "reviewed_by\n"
)


class UndoError(Exception):
    """Rolls a run back so the other way starts from the same database."""


def one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The practice-educators import as before: every look-up and write row by row."""
    monkeypatch.setattr(PracticeEducatorImporter, "apply_all", Importer.apply_all)
    monkeypatch.setattr(PracticeEducatorImporter, "prefetch", Importer.prefetch)


def _person(p: Any) -> tuple[Any, ...]:
    team = p.team.name if p.team_id else None
    return (p.organisation.code, p.first_name, p.last_name, p.email, p.job_title, team)


def _entry(e: Any) -> tuple[Any, ...]:
    return (
        e.person.email,
        e.peps_stage,
        e.stage1_date,
        e.stage2_date,
        e.independent,
        e.service_area.code if e.service_area_id else None,
        e.location.name if e.location_id else None,
        e.last_student_date,
        e.last_training_date,
        e.last_training_source,
        e.reviewed_on,
        e.reviewed_by.email if e.reviewed_by_id else None,
    )


def _activity(a: Any) -> tuple[Any, ...]:
    return (a.educator.person.email, a.kind, a.started_on, a.ended_on)


def _history(h: Any, values: Callable[[Any], tuple[Any, ...]]) -> tuple[Any, ...]:
    return (h.history_type, h.history_user_id or 0, h.history_change_reason or "", *values(h))


def snapshot() -> dict[str, Any]:
    """People, register entries, activities and their history, by value (ids and times
    differ between two runs)."""
    people = Person.objects.unscoped("test").select_related("organisation", "team")
    entries = PracticeEducator.objects.unscoped("test").select_related(
        "person", "service_area", "location", "reviewed_by"
    )
    activities = PracticeEducatorActivity.objects.unscoped("test").select_related(
        "educator__person"
    )
    return {
        "people": sorted(_person(p) for p in people),
        "entries": sorted(map(_entry, entries), key=repr),
        "activities": sorted(map(_activity, activities), key=repr),
        "people history": sorted(
            _history(h, _person) for h in Person.history.select_related("organisation", "team")
        ),
        "entry history": sorted(
            (
                _history(h, _entry)
                for h in PracticeEducator.history.select_related(
                    "person", "service_area", "location", "reviewed_by"
                )
            ),
            key=repr,
        ),
        "activity history": sorted(
            (
                _history(h, _activity)
                for h in PracticeEducatorActivity.history.select_related("educator__person")
            ),
            key=repr,
        ),
    }


@dataclass
class Way:
    answer: Any
    database: dict[str, Any]
    queries: int


def _not_in_bulk(*args: object) -> None:
    raise AssertionError("a row was applied one by one")


def both_ways(
    monkeypatch: pytest.MonkeyPatch, run: Callable[[], Any], *, falls_back: bool = False
) -> list[Way]:
    """``run()``'s answer, the database after it and the queries it took, in bulk and then
    one by one (each undone after). Unless ``falls_back``, no row of the bulk way may be
    applied one by one."""
    ways = []
    for bulk in (True, False):
        with monkeypatch.context() as patch:
            if bulk and not falls_back:
                patch.setattr(framework, "_apply_row", _not_in_bulk)
            elif not bulk:
                one_by_one(patch)
            try:
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    answer = run()
                    ways.append(Way(answer, snapshot(), len(queries.captured_queries)))
                    raise UndoError
            except UndoError:
                pass
    return ways


def run_file(content: str, viewer: User | None = None) -> Callable[[], Any]:
    def run() -> Any:
        if viewer is None:
            errors, result = import_text(("practice-educators", content))
        else:
            errors, result = import_text(
                ("practice-educators", content), viewer=User.objects.get(pk=viewer.pk)
            )
        records = [(action, kind, str(record)) for record, action, kind in result.records]
        return errors, result.applied, result.counts(), records

    return run


@pytest.fixture
def register(org_a: Organisation, org_b: Organisation, alice: User) -> None:
    chatham = LocationFactory.create(organisation=org_a, name="Chatham")
    LocationFactory.create(organisation=org_a, name="Rochester")
    assessment = TeamFactory.create(organisation=org_a, name="Assessment", location=chatham)
    TeamFactory.create(organisation=org_a, name="Duty")
    same = PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__email="same@example.test",
        person__first_name="Sam",
        person__last_name="Same",
        person__team=assessment,
        location=chatham,
        last_student_date=datetime.date(2024, 6, 1),
        last_training_date=datetime.date(2024, 3, 1),
        reviewed_on=datetime.date(2024, 5, 1),
        reviewed_by=alice,
    )
    ActivityFactory.create(educator=same, kind=ActivityKind.STUDENT_PE)
    moves = PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__email="moves@example.test",
        person__first_name="Mo",
        person__last_name="Moves",
        person__team=assessment,
        last_student_date=datetime.date(2024, 6, 1),
        last_training_date=datetime.date(2024, 3, 1),
        reviewed_on=datetime.date(2023, 5, 1),
    )
    ActivityFactory.create(educator=moves, kind=ActivityKind.STUDENT_PE)
    ActivityFactory.create(educator=moves, kind=ActivityKind.PEPS_ASSESSOR)
    today = PracticeEducatorFactory.create(
        person__organisation=org_a,
        person__email="today@example.test",
        person__first_name="Tod",
        person__last_name="Ay",
        last_student_date=datetime.date(2024, 6, 1),
        last_training_date=datetime.date(2024, 3, 1),
    )
    ActivityFactory.create(
        educator=today, kind=ActivityKind.ASYE_ASSESSOR, started_on=timezone.localdate()
    )
    PersonFactory.create(
        organisation=org_a, email="person@example.test", first_name="Per", last_name="Son"
    )
    PersonFactory.create(organisation=org_b, email="theirs@example.test")


GOOD = HEADER + "".join(
    [
        # unchanged
        "same@example.test,Sam,Same,AAA,Assessment,,Chatham,no,stage2,2015-07-01,"
        "2017-07-01,student_pe,2024-06-01,2024-03-01,2024-05-01,alice@example.test\n",
        # changed: team, location, dates, activities (one ends, one starts), a review
        "moves@example.test,Mo,Moves,AAA,Duty,adults,Rochester,yes,stage2,2015-07-01,"
        "2017-07-01,peps_assessor;asye_assessor,2024-07-01,2024-04-01,2024-09-01,"
        "alice@example.test\n",
        # changed: an activity started today is removed, reviewed by no one named
        "today@example.test,Tod,Ay,AAA,,,,no,stage2,2015-07-01,2017-07-01,,2024-06-01,"
        "2024-03-01,2024-08-01,\n",
        # an existing person put on the register, their team changed
        "person@example.test,Per,Son,AAA,Duty,,,no,stage1,2016-07-01,,student_pe,,,,\n",
        *(
            f"pe{n}@example.test,First{n},Last{n},AAA,{('Assessment', 'Duty', '')[n % 3]},"
            f"childrens,{('Chatham', '')[n % 2]},no,{('stage2', 'stage1_training')[n % 2]},"
            f"{('2015-07-01', '')[n % 2]},{('2017-07-01', '')[n % 2]},"
            f"{('student_pe;peps_assessor', '', 'onsite_supervisor')[n % 3]},,2024-01-0{n % 9 + 1},"
            f"{('2024-02-01', '')[n % 2]},{('alice@example.test', '', '', '')[n % 4]}\n"
            for n in range(40)
        ),
    ]
)


@pytest.mark.usefixtures("register")
def test_a_coordinators_register_file_in_bulk_leaves_what_one_by_one_leaves_history_included(
    monkeypatch: pytest.MonkeyPatch, alice: User
) -> None:
    bulk, single = both_ways(monkeypatch, run_file(GOOD, alice))

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied, counts, _records = bulk.answer
    assert (errors, applied) == ([], True)
    assert counts == {"create": 41, "update": 2, "unchanged": 1}
    history = bulk.database["activity history"]
    assert {h[0] for h in history} == {"+", "~", "-"}  # started, ended, removed
    assert {h[1] for h in history if h[3] == "pe0@example.test"} == {alice.pk}
    moves = [h for h in bulk.database["entry history"] if h[3] == "moves@example.test"]
    # the entry changed, then reviewed: two changes, as review_practice_educator records them
    assert sorted(h[13] for h in moves if h[0] == "~") == [
        datetime.date(2023, 5, 1),
        datetime.date(2024, 9, 1),
    ]
    assert bulk.queries * 5 < single.queries  # looked up once per file, written in batches


@pytest.mark.usefixtures("register")
def test_the_command_lines_register_import_in_bulk_matches_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bulk, single = both_ways(monkeypatch, run_file(GOOD))

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    assert bulk.answer[:3] == ([], True, {"create": 41, "update": 2, "unchanged": 1})


@pytest.mark.usefixtures("register")
def test_a_file_without_the_activity_and_review_columns_keeps_them_in_bulk_as_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    header = HEADER.replace(",activities", "").replace(",reviewed_on,reviewed_by", "")
    rows = [line.split(",") for line in GOOD.splitlines()[1:]]
    content = header + "".join(",".join(row[:11] + row[12:14]) + "\n" for row in rows)

    bulk, single = both_ways(monkeypatch, run_file(content))

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    assert bulk.answer[0] == []


@pytest.mark.usefixtures("register")
def test_bad_register_rows_are_refused_with_the_same_messages_in_bulk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bad = HEADER + (
        "same@example.test,Sam,Same,AAA,Assessment,,Chatham,no,stage2,2015-07-01,"
        "2017-07-01,student_pe,2024-06-01,2024-03-01,2024-05-01,alice@example.test\n"
        "theirs@example.test,Tess,Theirs,AAA,,,,no,none,,,,,,,\n"  # another organisation's
        "una@example.test,Una,Known,AAA,Nowhere,,,no,none,,,,,,,\n"  # no such team
        "loc@example.test,Lo,Cation,AAA,,,Nowhere,no,none,,,,,,,\n"  # no such location
        "s1@example.test,Stage,One,AAA,,,,no,stage1,,,,,,,\n"  # no Stage 1 date
        "d@example.test,Dee,Dupe,AAA,,,,no,none,,,,,,,\n"
        "D@example.test,Dee,Dupe,AAA,,,,no,none,,,,,,,\n"  # the same address twice
        "not-an-address,Bad,Address,AAA,,,,no,none,,,,,,,\n"
        "z@example.test,No,Organisation,ZZZ,,,,no,none,,,,,,,\n"
    )

    bulk, single = both_ways(monkeypatch, run_file(bad))

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied, _counts, _records = bulk.answer
    assert not applied
    assert len(errors) == 7
    assert any("has no team “Nowhere”" in e for e in errors)
    assert any("Give the date PEPS Stage 1 was achieved." in e for e in errors)


@pytest.mark.usefixtures("register")
def test_a_row_refused_only_while_applying_is_named_as_one_by_one_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A review earlier than the last one is refused by the service, not while checking: the
    bulk attempt is undone and the rows applied one by one say which row, as before."""
    earlier = GOOD.replace(
        "2024-07-01,2024-04-01,2024-09-01,alice@example.test",
        "2024-07-01,2024-04-01,2022-09-01,alice@example.test",
    )

    bulk, single = both_ways(monkeypatch, run_file(earlier), falls_back=True)

    assert bulk.answer == single.answer
    assert bulk.database == single.database
    errors, applied, _counts, _records = bulk.answer
    assert not applied
    assert errors == [
        "practice-educators.csv, row 3, column reviewed_on: "
        "The entry was last reviewed later, on 1 May 2023."
    ]


@pytest.mark.usefixtures("register")
def test_a_bulk_register_write_that_fails_is_undone_and_the_rows_applied_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail_after_creating(*args: object, **kwargs: object) -> None:
        raise IntegrityError("as if a constraint were broken after the entries were written")

    bulk, single = both_ways(monkeypatch, run_file(GOOD))
    with monkeypatch.context() as patch:  # the one-by-one services never update in bulk
        patch.setattr(services, "update_all_audited", fail_after_creating)
        try:
            with transaction.atomic():
                fell_back = Way(run_file(GOOD)(), snapshot(), 0)
                raise UndoError
        except UndoError:
            pass

    assert fell_back.answer == single.answer == bulk.answer
    assert fell_back.database == single.database  # nothing of the attempt is left

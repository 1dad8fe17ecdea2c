"""The practice-educators and students imports at bulk speed (docs/0025 sections 6 and 7): a
file of new rows (50,000 by default, ``PRACTICA_BENCH_IMPORT_ROWS``) through the whole framework
(read, check, look-ups once per file, write in batches with history: ``COPY`` on PostgreSQL)
against two baselines measured in the same run — ``bulk_create_with_history`` of the same
records (people, entries and their activities; people and students) and, on PostgreSQL, the
same records and history rows sent with ``COPY`` and nothing checked (the floor) — then a
dry-run re-check of the same file once they exist, the former row-by-row path on a smaller file
(``PRACTICA_BENCH_ONE_BY_ONE_ROWS``, 0 to leave it out), and the peak memory (tracemalloc) of
importing two smaller files, the second twice the first (``PRACTICA_BENCH_MEMORY_ROWS``). Rows
per second are printed beside each ratio, and a FAIL line for each of issue 16's targets missed
(5,000 new rows a second, 10,000 unchanged rows re-checked a second, memory a row that grows
with the file)."""

from __future__ import annotations

import datetime
import os
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any
from unittest.mock import patch

from benchmarks.__main__ import Result, best_of

# why the queries below read every organisation's rows (core/scoping.py)
BENCHMARK = "the benchmark sets up and clears its own records"

ROWS = int(os.environ.get("PRACTICA_BENCH_IMPORT_ROWS", "50000"))
# the former row-by-row path, for comparison (slow: a smaller file; 0 skips it)
ONE_BY_ONE_ROWS = int(os.environ.get("PRACTICA_BENCH_ONE_BY_ONE_ROWS", "500"))
NEW_ROWS_A_SECOND = 5_000  # issue 16's targets
RECHECKED_ROWS_A_SECOND = 10_000
# peak memory (tracemalloc, which slows Python down: untimed runs on smaller files) is measured
# for two files, the second twice the first; per row it must not grow by more than a quarter
MEMORY_ROWS = int(os.environ.get("PRACTICA_BENCH_MEMORY_ROWS", str(max(ROWS // 20, 100))))
MEMORY_GROWTH_ALLOWED = 1.25


def peak_memory(setup: Callable[[], object], work: Callable[[], object]) -> int:
    """The most memory Python held at once (bytes above what it held before) while ``work``
    ran, after an untimed ``setup()``."""
    setup()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


type Writer = Callable[[list[Any], type[Any]], list[Any]]


def best_after(setup: Callable[[], object], work: Callable[[], object], repeats: int = 1) -> float:
    """``best_of`` with ``setup()`` (emptying the tables) before each run, not timed."""
    timings = []
    for _ in range(repeats):
        setup()
        timings.append(best_of(1, work))
    return min(timings)


def run() -> list[Result]:
    from django.db import connection
    from django.test import override_settings
    from simple_history.utils import bulk_create_with_history

    from practica.accounts import permissions
    from practica.core import services
    from practica.core.copying import copy_create_with_history
    from practica.core.models import Organisation, Partnership, Person, ServiceArea, Team
    from practica.educators.register.importers import PracticeEducatorImporter
    from practica.educators.register.models import PracticeEducator, PracticeEducatorActivity
    from practica.imports.framework import Importer
    from practica.imports.registry import get_importer
    from practica.imports.services import import_files
    from practica.placements.importers import StudentImporter
    from practica.placements.models import Student

    partnership = Partnership.objects.get_or_create(name="Benchmark partnership")[0]

    def organisation(code: str, kind: str) -> Organisation:
        return Organisation.objects.unscoped(BENCHMARK).filter(
            code=code
        ).first() or services.create_organisation(
            actor=None, partnership=partnership, code=code, name=f"Benchmark {code}", kind=kind
        )

    council, university = organisation("BENCHR", "local_authority"), organisation("BENCHU", "hei")
    area = ServiceArea.objects.get(code="adults")
    teams = [
        Team.objects.unscoped(BENCHMARK).get_or_create(
            organisation=council, name=f"Team {n}", defaults={"service_area": area}
        )[0]
        for n in range(20)
    ]
    today = datetime.date.today()

    def educators_file(rows: int) -> bytes:
        return (
            "email,first_name,last_name,organisation,team,service_area,independent,peps_stage,"
            "stage1_date,stage2_date,activities,last_student_date,last_training_date\n"
            + "".join(
                f"pe{n}@bench.example,First{n},Last{n},BENCHR,Team {n % 20},adults,no,stage2,"
                f"2015-07-01,2017-07-01,student_pe,2024-0{n % 9 + 1}-01,2024-03-01\n"
                for n in range(rows)
            )
        ).encode()

    def students_file(rows: int) -> bytes:
        return (
            "student_ref,hei,first_name,last_name,email,route,year_of_study,home_location,"
            "travel_limit_minutes\n"
            + "".join(
                f"R{n},BENCHU,First{n},Last{n},st{n}@bench.example,ba,{n % 3 + 1},Town {n % 50},60\n"
                for n in range(rows)
            )
        ).encode()

    def clear() -> None:
        """Deletes the benchmark's records with plain DELETEs (the ORM's deletion visits every
        model pointing at a person: 15-20 s for 5,000 people here)."""
        for org in (council, university):
            ids = list(
                PracticeEducator.objects.unscoped(BENCHMARK)
                .filter(person__organisation=org)
                .values_list("pk", flat=True)
            )
            for query in (
                PracticeEducatorActivity.history.filter(educator_id__in=ids),
                PracticeEducatorActivity.objects.unscoped(BENCHMARK).filter(educator_id__in=ids),
                PracticeEducator.history.filter(id__in=ids),
                PracticeEducator.objects.unscoped(BENCHMARK).filter(pk__in=ids),
                Student.history.filter(hei_id=org.pk),
                Student.objects.unscoped(BENCHMARK).filter(hei=org),
                Person.history.filter(organisation_id=org.pk),
                Person.objects.unscoped(BENCHMARK).filter(organisation=org),
            ):
                query._raw_delete(query.db)  # Django's DELETE without the collector

    def framework(kind: str, content: bytes, rows: int, dry_run: bool = False) -> None:
        # a national file is over the default limits (20,000 rows, 5 MB): PRACTICA_IMPORT_MAX_*
        with override_settings(
            IMPORT_MAX_ROWS=max(rows, 20_000), IMPORT_MAX_BYTES=max(len(content), 5 * 1024 * 1024)
        ):
            result = import_files(
                actor=None,
                viewer=permissions.OPERATOR,
                files=[(get_importer(kind), f"{kind}.csv", content)],
                dry_run=dry_run,
            )
        assert not result.errors, result.errors[:3]
        key = "unchanged" if dry_run else "create"
        assert result.counts()[key] == rows, result.counts()

    def orm(objs: list[Any], model: type[Any]) -> list[Any]:
        return bulk_create_with_history(objs, model, batch_size=500)  # type: ignore[no-any-return]

    def copy(objs: list[Any], model: type[Any]) -> list[Any]:
        assert copy_create_with_history(objs, model)
        return objs

    def people(org: Organisation, prefix: str, teamed: bool, write: Writer) -> list[Person]:
        created: list[Person] = write(
            [
                Person(
                    organisation=org,
                    team=teams[n % 20] if teamed else None,
                    first_name=f"First{n}",
                    last_name=f"Last{n}",
                    email=f"{prefix}{n}@bench.example",
                )
                for n in range(ROWS)
            ],
            Person,
        )
        return created

    def educators_baseline(write: Writer) -> None:
        entries = write(
            [
                PracticeEducator(
                    person=person,
                    service_area=area,
                    peps_stage="stage2",
                    stage1_date=datetime.date(2015, 7, 1),
                    stage2_date=datetime.date(2017, 7, 1),
                    last_student_date=datetime.date(2024, n % 9 + 1, 1),
                    last_training_date=datetime.date(2024, 3, 1),
                )
                for n, person in enumerate(people(council, "pe", teamed=True, write=write))
            ],
            PracticeEducator,
        )
        write(
            [
                PracticeEducatorActivity(educator=entry, kind="student_pe", started_on=today)
                for entry in entries
            ],
            PracticeEducatorActivity,
        )

    def students_baseline(write: Writer) -> None:
        write(
            [
                Student(
                    person=person,
                    hei=university,
                    student_ref=f"R{n}",
                    route="ba",
                    year_of_study=n % 3 + 1,
                    home_location=f"Town {n % 50}",
                    travel_limit_minutes=60,
                )
                for n, person in enumerate(people(university, "st", teamed=False, write=write))
            ],
            Student,
        )

    results: list[Result] = []
    failures: list[str] = []
    for kind, importer, content, baseline in (
        ("practice-educators", PracticeEducatorImporter, educators_file, educators_baseline),
        ("students", StudentImporter, students_file, students_baseline),
    ):
        big, few = content(ROWS), content(ONE_BY_ONE_ROWS)

        def one_by_one(
            kind: str = kind, importer: type[Importer] = importer, small: bytes = few
        ) -> None:
            with (
                patch.object(importer, "apply_all", Importer.apply_all),
                patch.object(importer, "prefetch", Importer.prefetch),
            ):
                framework(kind, small, ONE_BY_ONE_ROWS)

        base = best_after(clear, partial(baseline, orm))
        # the floor on PostgreSQL: the same records and history rows sent with COPY, unchecked
        floor = (
            best_after(clear, partial(baseline, copy))
            if connection.vendor == "postgresql"
            else None
        )
        bulk = best_after(clear, partial(framework, kind, big, ROWS))
        recheck = best_of(1, partial(framework, kind, big, ROWS, dry_run=True))
        single = best_after(clear, one_by_one, repeats=1) if ONE_BY_ONE_ROWS else None
        memory = {
            rows: peak_memory(clear, partial(framework, kind, content(rows), rows)) / rows
            for rows in (MEMORY_ROWS, 2 * MEMORY_ROWS)
        }
        clear()
        records = "records" if kind == "students" else "records and activities"
        results += [
            Result(
                f"import {ROWS} new {kind} ({ROWS / bulk:,.0f} rows/s)",
                bulk,
                f"bulk_create_with_history of their people, {records}",
                base,
            ),
            Result(
                f"dry-run re-check of {ROWS} unchanged {kind} ({ROWS / recheck:,.0f} rows/s)",
                recheck,
                "bulk_create_with_history",
                base,
            ),
        ]
        if floor is not None:
            results.append(
                Result(
                    f"import {ROWS} new {kind} ({ROWS / bulk:,.0f} rows/s)",
                    bulk,
                    f"COPY of their people, {records} with history, unchecked",
                    floor,
                )
            )
        if single is not None:
            results.append(
                Result(
                    f"import {ONE_BY_ONE_ROWS} new {kind} one row at a time, as before "
                    f"({ONE_BY_ONE_ROWS / single:,.0f} rows/s)",
                    single,
                    f"bulk_create_with_history of {ROWS}",
                    base,
                )
            )
        (small, per_small), (large, per_large) = memory.items()
        print(
            f"peak memory of importing new {kind}: {small} rows {per_small * small / 1e6:.1f} MB "
            f"({per_small / 1e3:.1f} KB a row), {large} rows {per_large * large / 1e6:.1f} MB "
            f"({per_large / 1e3:.1f} KB a row); at that rate {ROWS} rows "
            f"≈ {per_large * ROWS / 1e6:.0f} MB",
            flush=True,
        )
        if per_large > MEMORY_GROWTH_ALLOWED * per_small:
            failures.append(
                f"FAIL: {kind} import's peak memory a row grows with the file "
                f"({per_small / 1e3:.1f} KB at {small} rows, {per_large / 1e3:.1f} KB at {large})"
            )
        if ROWS / bulk < NEW_ROWS_A_SECOND:
            failures.append(
                f"FAIL: {kind} import of new rows at {ROWS / bulk:,.0f} rows/s, "
                f"below the target of {NEW_ROWS_A_SECOND:,}"
            )
        if ROWS / recheck < RECHECKED_ROWS_A_SECOND:
            failures.append(
                f"FAIL: {kind} re-check of unchanged rows at {ROWS / recheck:,.0f} rows/s, "
                f"below the target of {RECHECKED_ROWS_A_SECOND:,}"
            )
    for failure in failures:
        print(failure, flush=True)
    return results

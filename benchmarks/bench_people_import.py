"""The people import at bulk speed: a file of new people through the whole framework (read,
check, look-ups once per file, write in batches with history) against the baseline of
``bulk_create_with_history`` of the same people, and a dry-run re-check of the same file once
they exist. Rows per second are printed beside each ratio."""

from __future__ import annotations

from collections.abc import Callable
from unittest.mock import patch

from benchmarks.__main__ import Result, best_of

# why the queries below read every organisation's rows (core/scoping.py)
BENCHMARK = "the benchmark sets up and clears its own records"

ROWS = 5_000
ONE_BY_ONE_ROWS = 500  # the former row-by-row path, for comparison (slow: a smaller file)


def best_after(setup: Callable[[], object], work: Callable[[], object], repeats: int = 3) -> float:
    """``best_of`` with ``setup()`` (emptying the table: slow on PostgreSQL) before each run,
    not timed."""
    timings = []
    for _ in range(repeats):
        setup()
        timings.append(best_of(1, work))
    return min(timings)


def run() -> list[Result]:
    from simple_history.utils import bulk_create_with_history

    from practica.accounts import permissions
    from practica.core import services
    from practica.core.models import Organisation, Partnership, Person, ServiceArea, Team
    from practica.imports.framework import Importer
    from practica.imports.registry import get_importer
    from practica.imports.services import import_files
    from practica.organisations.importers import PersonImporter

    partnership = Partnership.objects.get_or_create(name="Benchmark partnership")[0]
    organisation = Organisation.objects.unscoped(BENCHMARK).filter(
        code="BENCHP"
    ).first() or services.create_organisation(
        actor=None,
        partnership=partnership,
        code="BENCHP",
        name="Benchmark People Council",
        kind="local_authority",
    )
    area = ServiceArea.objects.get(code="adults")
    teams = [
        Team.objects.unscoped(BENCHMARK).get_or_create(
            organisation=organisation, name=f"Team {n}", defaults={"service_area": area}
        )[0]
        for n in range(20)
    ]

    def content(rows: int) -> bytes:
        return (
            "organisation,first_name,last_name,email,team,job_title\n"
            + "".join(
                f"BENCHP,First{n},Last{n},person{n}@bench.example,Team {n % 20},Social worker\n"
                for n in range(rows)
            )
        ).encode()

    def clear() -> None:
        people = Person.objects.unscoped(BENCHMARK).filter(organisation=organisation)
        Person.history.filter(organisation_id=organisation.pk).delete()
        people.delete()

    def framework(rows: int, dry_run: bool = False) -> None:
        result = import_files(
            actor=None,
            viewer=permissions.OPERATOR,
            files=[(get_importer("people"), "people.csv", content(rows))],
            dry_run=dry_run,
        )
        assert not result.errors, result.errors[:3]
        key = "unchanged" if dry_run else "create"
        assert result.counts()[key] == rows

    def baseline() -> None:
        bulk_create_with_history(
            [
                Person(
                    organisation=organisation,
                    team=teams[n % 20],
                    first_name=f"First{n}",
                    last_name=f"Last{n}",
                    email=f"person{n}@bench.example",
                    job_title="Social worker",
                )
                for n in range(ROWS)
            ],
            Person,
            batch_size=500,
        )

    def one_by_one() -> None:
        with (
            patch.object(PersonImporter, "apply_all", Importer.apply_all),
            patch.object(PersonImporter, "prefetch", Importer.prefetch),
        ):
            framework(ONE_BY_ONE_ROWS)

    base = best_after(clear, baseline)
    bulk = best_after(clear, lambda: framework(ROWS))
    recheck = best_of(3, lambda: framework(ROWS, dry_run=True))
    single = best_after(clear, one_by_one, repeats=1)
    clear()
    return [
        Result(
            f"import {ROWS} new people ({ROWS / bulk:,.0f} rows/s)",
            bulk,
            "bulk_create_with_history",
            base,
        ),
        Result(
            f"dry-run re-check of {ROWS} unchanged people ({ROWS / recheck:,.0f} rows/s)",
            recheck,
            "bulk_create_with_history",
            base,
        ),
        Result(
            f"import {ONE_BY_ONE_ROWS} new people one row at a time, as before "
            f"({ONE_BY_ONE_ROWS / single:,.0f} rows/s)",
            single,
            f"bulk_create_with_history of {ROWS}",
            base,
        ),
    ]

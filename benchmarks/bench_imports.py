"""The import framework's cost: checking and applying a teams file through the framework
(validation, natural keys, all-or-nothing transaction) against the baseline of calling the
same service directly for each row, inside one transaction, with no checks."""

from __future__ import annotations

from django.db import transaction

from benchmarks.__main__ import Result, best_of

# why the queries below read every organisation's rows (core/scoping.py)
BENCHMARK = "the benchmark sets up and clears its own records"

ROWS = 1_000


def run() -> list[Result]:
    from practica.accounts import permissions
    from practica.core import services
    from practica.core.models import Organisation, Partnership, ServiceArea, Team
    from practica.imports.registry import get_importer
    from practica.imports.services import import_files

    partnership = Partnership.objects.get_or_create(name="Benchmark partnership")[0]
    organisation = Organisation.objects.unscoped(BENCHMARK).filter(
        code="BENCH"
    ).first() or services.create_organisation(
        actor=None,
        partnership=partnership,
        code="BENCH",
        name="Benchmark Council",
        kind="local_authority",
    )
    area = ServiceArea.objects.get(code="adults")
    content = (
        "organisation,name,service_area\n"
        + "".join(f"BENCH,Team {n},adults\n" for n in range(ROWS))
    ).encode()

    def framework() -> None:
        Team.objects.unscoped(BENCHMARK).filter(organisation=organisation).delete()
        result = import_files(
            actor=None,
            viewer=permissions.OPERATOR,
            files=[(get_importer("teams"), "teams.csv", content)],
            dry_run=False,
        )
        assert not result.errors
        assert result.counts()["create"] == ROWS

    def direct() -> None:
        Team.objects.unscoped(BENCHMARK).filter(organisation=organisation).delete()
        with transaction.atomic():
            for n in range(ROWS):
                services.create_team(
                    actor=None, organisation=organisation, name=f"Team {n}", service_area=area
                )

    def recheck() -> None:
        result = import_files(
            actor=None,
            viewer=permissions.OPERATOR,
            files=[(get_importer("teams"), "teams.csv", content)],
            dry_run=True,
        )
        assert result.counts()["unchanged"] == ROWS

    baseline = best_of(3, direct)
    return [
        Result(f"import {ROWS} new teams", best_of(3, framework), "direct service calls", baseline),
        Result(
            f"dry-run re-check of {ROWS} unchanged teams",
            best_of(3, recheck),
            "direct service calls",
            baseline,
        ),
    ]

"""`practica allocate --year 2019/20 [--org CODE]`: propose placements for the year's students in
its open offers (the allocation engine), and record them as matched placements unless
``--dry-run``. Coordinators confirm each one through the usual confirm step."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from practica.placements.allocation_runs import (
    AllocationRun,
    apply_proposals,
    build_run,
    find_organisation,
    find_year,
)


class Command(BaseCommand):
    help = (
        "Propose placements for an academic year's students in its open offers; without "
        "--dry-run the proposals are recorded as matched placements for coordinators to confirm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="academic year, e.g. 2019/20")
        parser.add_argument(
            "--org",
            metavar="CODE",
            help="a university's code (its students) or a provider's (its offers)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show the proposals and record nothing"
        )
        parser.add_argument(
            "--explain", action="store_true", help="say why each student got their offer"
        )
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = find_year(options["year"])
            organisation = find_organisation(options["org"]) if options["org"] else None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        run = build_run(year=year, organisation=organisation)
        recorded = 0
        if not options["dry_run"]:
            try:
                recorded = len(apply_proposals(actor=None, run=run))
            except ValidationError as error:
                raise CommandError(
                    "Nothing was recorded: " + " ".join(error.messages), returncode=1
                ) from None
        if options["format"] == "json":
            text = json.dumps(as_json(run, recorded, options["dry_run"]), indent=2) + "\n"
        else:
            text = as_table(run, recorded, options["dry_run"], options["explain"])
        self.stdout.write(text, ending="")


def as_json(run: AllocationRun, recorded: int, dry_run: bool) -> dict[str, Any]:
    result, objective = run.result, run.result.objective
    return {
        "year": run.year.label,
        "organisation": run.organisation.code if run.organisation else None,
        "dry_run": dry_run,
        "recorded": recorded,
        "optimal": result.optimal,
        "certificate_checked": result.proof is not None,
        "objective": {
            "placed": objective.placed,
            "unplaced": objective.unplaced,
            "worst_cost": objective.worst_cost,
            "total_cost": objective.total_cost,
            "total_cost_without_fairness": objective.total_cost_without_fairness,
            "price_of_fairness": objective.price_of_fairness,
        },
        "proposals": [
            {
                "student": run.students[a.student_id].ref,
                "university": run.students[a.student_id].hei,
                "offer": a.offer_id,
                "setting": run.offers[a.offer_id].setting,
                "organisation": run.offers[a.offer_id].organisation,
                "cost": a.cost,
                "minutes": a.minutes,
                "travel_unchecked": a.travel_unchecked,
                "explanation": a.explanation,
            }
            for a in result.assignments
        ],
        "unplaced": [
            {
                "student": run.students[u.student_id].ref,
                "university": run.students[u.student_id].hei,
                "binding": u.binding,
                "reason": u.reason,
            }
            for u in result.unplaced
        ],
        "warnings": list(result.warnings),
    }


def as_table(run: AllocationRun, recorded: int, dry_run: bool, explain: bool) -> str:
    result, objective = run.result, run.result.objective
    scope = f" for {run.organisation.code}" if run.organisation else ""
    lines = [
        f"Allocation {run.year.label}{scope}: {objective.placed} placed, "
        f"{objective.unplaced} unplaced.",
        f"Worst cost {objective.worst_cost}, total cost {objective.total_cost}"
        + (
            f" (price of fairness {objective.price_of_fairness})"
            if objective.price_of_fairness is not None
            else ""
        )
        + ".",
        ("Optimal" if result.optimal else "Best found, not proven optimal")
        + ("; certificate checked." if result.proof is not None else "."),
        "Dry run: nothing recorded."
        if dry_run
        else f"Recorded {recorded} matched placements for coordinators to confirm.",
    ]
    rows = [
        [
            run.students[a.student_id].ref,
            run.students[a.student_id].hei,
            run.offers[a.offer_id].setting,
            run.offers[a.offer_id].organisation,
            str(a.minutes) + (" (unchecked)" if a.travel_unchecked else ""),
            str(a.cost),
        ]
        for a in result.assignments
    ]
    notes = [a.explanation for a in result.assignments] if explain else None
    if rows:
        lines += [
            "",
            "Proposals:",
            *_table(
                ["Student", "University", "Setting", "Organisation", "Minutes", "Cost"], rows, notes
            ),
        ]
    if result.unplaced:
        lines += [
            "",
            "Unplaced:",
            *_table(
                ["Student", "University", "Why"],
                [
                    [run.students[u.student_id].ref, run.students[u.student_id].hei, u.reason]
                    for u in result.unplaced
                ],
            ),
        ]
    if result.warnings:
        lines += ["", "Warnings:", *(f"- {warning}" for warning in result.warnings)]
    return "\n".join(lines) + "\n"


def _table(header: list[str], rows: list[list[str]], notes: list[str] | None = None) -> list[str]:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()

    out = [line(header), "  ".join("-" * width for width in widths)]
    for index, row in enumerate(rows):
        out.append(line(row))
        if notes is not None:
            out.append(f"    {notes[index]}")
    return out

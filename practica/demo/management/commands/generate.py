"""`practica generate --scale demo|partnership|national [--years N] [--seed S]`: synthetic
partnerships for load tests and benchmarks (practica.demo.generate)."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from practica.demo.generate import SCALES, GenerationError, generate


class Command(BaseCommand):
    help = (
        "Generate synthetic partnerships (organisations, people, practice educators, events, "
        "students, offers, placements, time audits) at a given scale, deterministically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", required=True, help=f"One of: {', '.join(SCALES)}.")
        parser.add_argument(
            "--years", type=int, default=1, help="Academic years of activity (this one and before)."
        )
        parser.add_argument("--seed", type=int, default=0, help="The same seed, the same data.")

    def handle(self, *args: Any, **options: Any) -> None:
        scale = SCALES.get(options["scale"])
        if scale is None:
            raise CommandError(
                f"Unknown scale {options['scale']!r}: choose one of {', '.join(SCALES)}."
            )
        if options["years"] < 1:
            raise CommandError("--years must be at least 1.")
        started = time.perf_counter()
        try:
            counts = generate(
                scale=scale, years=options["years"], seed=options["seed"], progress=self._progress
            )
        except GenerationError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>9,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {sum(counts.values()):,} records in {seconds:.1f} s "
                f"(scale {options['scale']}, {options['years']} year(s), seed {options['seed']})."
            )
        )

    def _progress(self, step: str, done: int, total: int) -> None:
        # one line per step on a file, a line that redraws itself on a terminal
        ending = "\r" if sys.stdout.isatty() and done < total else "\n"
        self.stdout.write(f"[{step}] {done}/{total}", ending=ending)
        self.stdout.flush()

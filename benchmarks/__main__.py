"""Runs every benchmark module and prints each result as a ratio against its baseline.

A benchmark measures the candidate and a baseline in the same run, on this machine, so the
ratio (not the seconds) is the result that travels. Benchmarks run against a throwaway SQLite
database (or the one PRACTICA_DATABASE_URL names, e.g. PostgreSQL), migrated at start.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from practica.settings import environment


@dataclass(frozen=True)
class Result:
    name: str
    candidate_seconds: float
    baseline_name: str
    baseline_seconds: float

    @property
    def ratio(self) -> float:
        return self.candidate_seconds / self.baseline_seconds


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed by other processes)."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def setup_django(folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practica.settings.test")
    environment.show_old_names()
    if not environment.text("PRACTICA_DATABASE_URL", default="").strip():
        os.environ["PRACTICA_DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def main() -> int:
    """Every benchmark module, or those named on the command line (``python -m benchmarks
    bench_people_import``)."""
    found = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_") and (info.name in sys.argv[1:] or not sys.argv[1:])
    )
    if not found:
        print("No benchmarks yet: add benchmarks/bench_<name>.py with run() -> list[Result].")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        setup_django(Path(folder))
        for name in found:
            module = importlib.import_module(f"benchmarks.{name}")
            for result in module.run():
                print(
                    f"{result.name}: {result.candidate_seconds:.3f} s = {result.ratio:.2f} x "
                    f"{result.baseline_name} ({result.baseline_seconds:.3f} s)",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

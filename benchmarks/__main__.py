"""Runs every benchmark module and prints each result as a ratio against its baseline.

A benchmark measures the candidate and a baseline in the same run, on this machine, so the
ratio (not the seconds) is the result that travels.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    name: str
    candidate_seconds: float
    baseline_name: str
    baseline_seconds: float

    @property
    def ratio(self) -> float:
        return self.candidate_seconds / self.baseline_seconds


def main() -> int:
    found = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    if not found:
        print("No benchmarks yet: add benchmarks/bench_<name>.py with run() -> list[Result].")
        return 0
    for name in found:
        module = importlib.import_module(f"benchmarks.{name}")
        for result in module.run():
            print(
                f"{result.name}: {result.candidate_seconds:.3f} s, "
                f"{result.ratio:.2f}x {result.baseline_name} ({result.baseline_seconds:.3f} s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

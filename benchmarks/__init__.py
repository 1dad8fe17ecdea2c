"""Benchmarks for `make bench`: each module `bench_*.py` here defines `run() -> list[Result]`."""

"""Allocation runs kept in the database: a coordinator starts one as a background task, reviews
its proposals with their explanations, pins or forbids pairs, runs it again and confirms it
(docs/0028-allocation-runs.md). Built on the engine (``placements.allocation``) and its
database adapter (``placements.allocation_runs``)."""

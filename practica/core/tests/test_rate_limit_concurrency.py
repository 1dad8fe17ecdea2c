"""Rate-limit counts are exact when requests arrive together (issue 15: the database cache that
django-ratelimit used read, then wrote, and under-counted). Threads with a connection each
count at once on PostgreSQL, the supported production database (`make test-postgres`); SQLite
lets one writer in at a time, and its in-memory test database cannot be shared by threads, so
there the counting is checked in one thread only."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from practica.core.models import RateLimitCount
from practica.core.rate_limits import Count, Limit, hit, release

ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL for concurrent connections; `make test-postgres` runs it",
)


def _together[T](threads: int, work: Callable[[], T]) -> list[T]:
    """Runs ``work`` in ``threads`` threads released at the same instant; their results."""
    start = threading.Barrier(threads)
    results: list[T] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            start.wait()
            result = work()
            with lock:
                results.append(result)
        except BaseException as error:  # reported by the test, not lost in the thread
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    return results


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_attempts_made_at_the_same_instant_are_each_counted() -> None:
    limit = Limit("concurrency", attempts=1000, window_seconds=600)

    def twenty_attempts() -> list[int]:
        return [hit(limit, "192.0.2.1").hits for _ in range(20)]

    counts = [n for batch in _together(12, twenty_attempts) for n in batch]
    assert sorted(counts) == list(range(1, 241))  # every attempt saw a count of its own
    assert RateLimitCount.objects.get().hits == 240


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_many_attempts_at_once_exactly_the_limit_get_through() -> None:
    limit = Limit("concurrency", attempts=5, window_seconds=600)
    counts: list[Count] = _together(16, lambda: hit(limit, "192.0.2.1"))
    assert sum(not count.over for count in counts) == 5


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_attempts_given_back_at_the_same_instant_are_each_taken_off() -> None:
    limit = Limit("concurrency", attempts=1000, window_seconds=600)
    counts = [hit(limit, "192.0.2.1") for _ in range(30)]
    remaining = iter(counts[:20])
    lock = threading.Lock()

    def give_back() -> None:
        with lock:
            count = next(remaining)
        release(count)

    _together(20, give_back)
    assert RateLimitCount.objects.get().hits == 10


@pytest.mark.django_db
def test_counts_start_again_when_the_window_ends_and_keys_are_apart() -> None:
    limit = Limit("sequential", attempts=2, window_seconds=600)
    assert [hit(limit, "a").hits for _ in range(3)] == [1, 2, 3]
    assert hit(limit, "b").hits == 1
    assert hit(Limit("other", attempts=2, window_seconds=600), "a").hits == 1
    RateLimitCount.objects.update(window_end=0)  # every window has ended
    fresh = hit(limit, "a")
    assert fresh.hits == 1
    assert not fresh.over
    assert RateLimitCount.objects.count() == 1  # ended windows are deleted
    assert "192.0.2.1" not in str(list(RateLimitCount.objects.values_list("key_hash")))

"""A mail backend that dies part way through a sending, for the tests that a task sending
e-mail is idempotent when retried (issue 15, "Reliability"): the first ``limit`` messages are
delivered (to ``django.core.mail.outbox``, as the test backend does), then the "worker" dies.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends import locmem
from django.tasks import TaskResult, default_task_backend
from django.test import override_settings

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


class WorkerDiedError(Exception):
    """The worker stopped in the middle of the task (as SIGKILL would stop it)."""


class DiesPartWay(locmem.EmailBackend):
    limit: ClassVar[int] = 0
    delivered: ClassVar[int] = 0

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            if DiesPartWay.delivered >= DiesPartWay.limit:
                raise WorkerDiedError(f"the worker died after {DiesPartWay.delivered} e-mails")
            sent += super().send_messages([message])
            DiesPartWay.delivered += 1
        return sent


@contextmanager
def worker_dies_after(limit: int) -> Iterator[None]:
    """Within, the task's e-mails stop after ``limit`` have gone and the task dies
    (``WorkerDiedError`` is raised, and swallowed here as the dead worker's)."""
    DiesPartWay.limit, DiesPartWay.delivered = limit, 0
    backend = f"{DiesPartWay.__module__}.{DiesPartWay.__qualname__}"
    with override_settings(MAILERS={"default": {"BACKEND": backend}}):
        try:
            yield
        except WorkerDiedError:
            pass
        else:
            raise AssertionError("the task finished: it was not interrupted")


def outbox_to(outbox: Sequence[Any]) -> list[str]:
    """Who was e-mailed, one entry per e-mail (a person twice if e-mailed twice)."""
    return sorted(address for message in outbox for address in message.to)


class Held:
    """The tasks queued within ``tasks_held()``, not run: each can then be run (and run again)
    with the arguments it was queued with, as a worker would."""

    def __init__(self) -> None:
        self.results: list[TaskResult[Any, Any]] = []

    def run(self, index: int = 0) -> Any:
        result = self.results[index]
        return result.task.call(*result.args, **result.kwargs)


@contextmanager
def tasks_held() -> Iterator[Held]:
    """Tasks queued within are held back (Django's dummy task backend) instead of being run."""
    held = Held()
    with override_settings(TASKS=DUMMY_TASKS):
        yield held
        held.results = list(default_task_backend.results)  # type: ignore[attr-defined]

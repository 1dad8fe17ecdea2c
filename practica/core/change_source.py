"""How the changes being made now are made when not on the web: the command line ("Command
line: practica import") or a background task ("Background task: process import"). The audit
keeps it beside each change and event (``core.audit_log``) as their "from where"; it is empty
while answering a request, whose client address is kept instead.

It is a context variable with no Django import, so the ``practica`` command can set it before
Django starts (``practica.cli``); background tasks set it from ``django.tasks``' signals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

# ChangeAddress.source and AuditEvent.source hold this much
LENGTH = 100

_source: ContextVar[str] = ContextVar("practica_change_source", default="")
# the sources of the background tasks running now, by task result id (to end them)
_task_tokens: dict[str, Token[str]] = {}


def current() -> str:
    return _source.get()


@contextmanager
def changes_from(source: str) -> Iterator[None]:
    """Every change made inside is recorded as coming from ``source`` (innermost wins)."""
    token = _source.set(source[:LENGTH])
    try:
        yield
    finally:
        _source.reset(token)


def command_source(argv: list[str]) -> str:
    """The source of changes made by a ``practica`` command: its name only (its arguments
    can be file names or e-mail addresses, which the audit must not repeat)."""
    name = argv[0] if argv and not argv[0].startswith("-") else ""  # as Django reads it
    return f"Command line: practica {name}".strip()


def task_source(name: str) -> str:
    return f"Background task: {name.replace('_', ' ')}"


def on_task_started(sender: object, task_result: Any, **kwargs: object) -> None:
    """A background task's changes come from it (``django.tasks``' signal, sent by the
    worker and by the immediate backend alike)."""
    _task_tokens[task_result.id] = _source.set(task_source(task_result.task.name)[:LENGTH])


def on_task_finished(sender: object, task_result: Any, **kwargs: object) -> None:
    token = _task_tokens.pop(task_result.id, None)
    if token is not None:
        _source.reset(token)

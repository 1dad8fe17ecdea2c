"""``/healthz`` for monitoring: whether the database answers, every migration is applied and a
background worker has been heard from lately. No sign-in; no personal data (not even worker
ids); 200 when all is well, else 503, as JSON that names each check."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from practica.core import selectors

OK = "ok"
_migrated = False  # once all are applied they stay so for this process (a deploy restarts it)


def database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "the database does not answer"
    return OK


def migrations() -> str:
    global _migrated
    if _migrated:
        return OK
    try:
        executor = MigrationExecutor(connection)
        waiting = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "cannot read the applied migrations"
    if waiting:
        return f"{len(waiting)} migration{'s' if len(waiting) != 1 else ''} not applied: run `practica migrate`"
    _migrated = True
    return OK


def worker() -> str:
    try:
        last = selectors.last_worker_heartbeat()
    except DatabaseError:
        return "cannot read the worker's heartbeat"
    if last is None:
        return "no background worker has started: run `practica db_worker`"
    silent = (timezone.now() - last.last_seen).total_seconds()
    if silent > 3 * settings.PRACTICA_WORKER_HEARTBEAT_SECONDS:
        return f"no background worker heard from for {int(silent)} seconds"
    return OK


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": database(), "migrations": migrations(), "worker": worker()}
    healthy = all(result == OK for result in checks.values())
    response = JsonResponse(
        {"status": OK if healthy else "failing", "checks": checks}, status=200 if healthy else 503
    )
    response["Cache-Control"] = "no-store"
    return response

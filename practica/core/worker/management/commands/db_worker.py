"""``practica db_worker``: django-tasks-db's worker, with a heartbeat for ``/healthz``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as TasksWorkerCommand

from practica.core.worker.heartbeat import Heartbeat


class Command(TasksWorkerCommand):
    help = "Run the background worker (with a heartbeat that /healthz reads)"

    def handle(self, *args: Any, worker_id: str, **options: Any) -> None:
        heartbeat = Heartbeat(worker_id, seconds=settings.PRACTICA_WORKER_HEARTBEAT_SECONDS)
        heartbeat.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            heartbeat.stop()

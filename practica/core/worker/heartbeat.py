"""The background worker's heartbeat: a thread of the worker process that records, every
``PRACTICA_WORKER_HEARTBEAT_SECONDS``, that the worker is alive (``core.WorkerHeartbeat``).
``/healthz`` reports a worker not heard from in three beats."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.db import connections
from django.utils import timezone

from practica.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
FORGET_AFTER = timedelta(days=1)  # a worker gone this long is forgotten


def beat(worker_id: str, *, started_at: datetime) -> None:
    """Records that ``worker_id`` is alive now, and forgets workers long gone."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen": now},
        create_defaults={"started_at": started_at, "last_seen": now},
    )
    WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()


class Heartbeat:
    """Beats once at ``start`` (so a worker is seen at once), then every ``seconds`` until
    ``stop``. A beat that fails (the database away for a moment) is logged and tried again at
    the next one."""

    def __init__(self, worker_id: str, *, seconds: float) -> None:
        self.worker_id = worker_id
        self.seconds = seconds
        self.started_at = timezone.now()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> None:
        beat(self.worker_id, started_at=self.started_at)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(timeout=self.seconds)

    def _run(self) -> None:
        try:
            while not self._stopped.wait(self.seconds):
                try:
                    beat(self.worker_id, started_at=self.started_at)
                except Exception:  # the next beat tries again; healthz shows a lasting fault
                    logger.exception("The worker's heartbeat could not be recorded")
        finally:
            connections.close_all()

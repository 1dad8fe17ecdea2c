from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """Holds only Practica's ``db_worker`` command, which adds a heartbeat to
    django-tasks-db's. Listed before ``django_tasks_db`` in INSTALLED_APPS: of two apps with a
    command of the same name, Django runs the one listed first."""

    name = "practica.core.worker"
    label = "practica_worker"
    verbose_name = "Background worker"

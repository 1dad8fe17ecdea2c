from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs: Any) -> None:
    """Every migrate (the demo's, the tests', production's) also makes the database cache's
    table if settings use one; it is not a model, so migrations alone would not."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "practica.core"
    label = "core"
    verbose_name = "Partnership and organisations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models import EmailField
        from django.tasks.signals import task_finished, task_started
        from simple_history.signals import post_create_historical_record

        from practica.core import audit_log, change_source
        from practica.core.addresses import Address

        user_logged_in.connect(audit_log.on_signed_in, dispatch_uid="practica_audit_sign_in")
        user_logged_out.connect(audit_log.on_signed_out, dispatch_uid="practica_audit_sign_out")
        user_login_failed.connect(
            audit_log.on_sign_in_failed, dispatch_uid="practica_audit_sign_in_failed"
        )
        post_create_historical_record.connect(
            audit_log.on_history_row, dispatch_uid="practica_audit_change_address"
        )
        task_started.connect(change_source.on_task_started, dispatch_uid="practica_audit_task")
        task_finished.connect(change_source.on_task_finished, dispatch_uid="practica_audit_task")

        EmailField.register_lookup(Address)
        post_migrate.connect(create_cache_table, sender=self)

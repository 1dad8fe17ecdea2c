from django.apps import AppConfig


class TimeAuditConfig(AppConfig):
    name = "practica.timeaudit"
    label = "timeaudit"
    verbose_name = "Practice educator time audit"

    def ready(self) -> None:
        from practica.core.home import HomePanel, add_home_panel
        from practica.core.navigation import Section, add_section
        from practica.timeaudit import (  # noqa: F401 - registers the import kinds and reports
            importers,
            reports,
        )
        from practica.timeaudit.models import TimeAudit
        from practica.timeaudit.pages import time_audit_cards
        from practica.timeaudit.rules import KEEP_AUDITS

        add_section(
            Section(
                "Time audits",
                "timeaudit:audit-list",
                TimeAudit,
                order=38,
                ability=KEEP_AUDITS,
                group="placements",
            )
        )
        add_home_panel(HomePanel("timeaudit", time_audit_cards, order=45))

        from practica.core import breadcrumbs
        from practica.timeaudit.models import AuditEnrolment

        breadcrumbs.register_object("timeaudit:audit-detail", TimeAudit, lambda audit: audit.name)
        breadcrumbs.register_object(
            "timeaudit:enrolment-detail",
            AuditEnrolment,
            lambda enrolment: enrolment.practice_educator.person.full_name,
        )

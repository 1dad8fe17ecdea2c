from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "practica.reports"
    label = "reports"

    def ready(self) -> None:
        from practica.core.navigation import Section, add_section
        from practica.reports.registry import reports_visible_to

        add_section(
            Section(
                "Reports",
                "reports:report-list",
                None,
                order=800,
                shown_to=lambda user: bool(reports_visible_to(user)),
                group="reports",
            )
        )

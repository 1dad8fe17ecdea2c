from django.apps import AppConfig


class EducatorsConfig(AppConfig):
    name = "practica.educators"
    label = "educators"
    verbose_name = "Practice educators"

    def ready(self) -> None:
        from practica.core.navigation import Section, add_section
        from practica.educators import (  # noqa: F401 - they register their import kinds and reports
            importers,
            reports,
        )
        from practica.educators.models import PracticeEducator
        from practica.educators.selectors import (
            has_only_own_entry,
            has_own_applications_page,
            sits_on_panels,
        )

        add_section(Section("Practice educators", "educators:register", PracticeEducator, order=40))
        # a PE who may not read the register still reaches their own entry
        add_section(
            Section(
                "My practice educator profile",
                "educators:my-profile",
                None,
                order=41,
                shown_to=has_only_own_entry,
            )
        )
        add_section(
            Section(
                "My applications",
                "educators:my-applications",
                None,
                order=42,
                shown_to=has_own_applications_page,
            )
        )
        add_section(
            Section(
                "Panels I sit on", "educators:panel-list", None, order=43, shown_to=sits_on_panels
            )
        )

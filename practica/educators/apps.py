from django.apps import AppConfig


class EducatorsConfig(AppConfig):
    name = "practica.educators"
    label = "educators"
    verbose_name = "Practice educators"

    def ready(self) -> None:
        from practica.accounts import permissions
        from practica.accounts.models import Role
        from practica.core.navigation import Section, add_section
        from practica.educators.models import PracticeEducator
        from practica.educators.selectors import (
            has_only_own_entry,
            has_own_applications_page,
            sits_on_panels,
        )

        coordinators = {Role.COORDINATOR}
        # An HEI academic reads the PEs their own organisation employs; the partnership's shared
        # Stage 2 register is a separate page (docs/0010-pe-sharing.md).
        readers = {Role.COORDINATOR, Role.ACADEMIC}
        for label, view in [
            ("educators.practiceeducator", readers),
            ("educators.practiceeducatoractivity", readers),
            ("educators.pepscohort", coordinators),
            ("educators.pepsenrolment", coordinators),
            ("educators.selectioncriterion", coordinators),
            ("educators.panelmember", coordinators),
            ("educators.applicationscore", coordinators),
            ("educators.currencyrule", coordinators),
        ]:
            permissions.register(label, {permissions.VIEW: view, permissions.MANAGE: coordinators})
        # Practitioners apply to become a practice educator themselves (``apply``, their own
        # applications only); a selection panel's members score the applications they sit on
        # (``score``), whichever organisation employs them (docs/0011-pe-self-service-and-panels.md).
        permissions.register(
            "educators.peapplication",
            {
                permissions.VIEW: coordinators,
                permissions.MANAGE: coordinators,
                permissions.APPLY: {Role.PRACTICE_EDUCATOR, Role.PRACTITIONER_TEACHER},
            },
        )
        permissions.register_personal(
            "educators.peapplication",
            {
                permissions.APPLY: "applicant__user",
                permissions.SCORE: "panel_members__person__user",
            },
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

        from practica.educators import (
            importers,  # noqa: F401  (registers the import kinds)
            reports,  # noqa: F401  (registers the reports)
        )

from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "practica.placements"
    label = "placements"
    verbose_name = "Students and placements"

    def ready(self) -> None:
        from practica.accounts import permissions
        from practica.core.navigation import Section, add_section
        from practica.placements import importers  # noqa: F401 - registers the students kind
        from practica.placements.models import Student
        from practica.placements.selectors import keeps_students

        # A university's coordinators keep its students; a partnership manager reads them
        # (PARTNERSHIP_WIDE). Students are people of an HEI, so an LA's coordinators see none.
        permissions.register(
            "placements.student",
            {
                permissions.VIEW: permissions.COORDINATORS,
                permissions.MANAGE: permissions.COORDINATORS,
            },
        )
        add_section(
            Section(
                "Students", "placements:student-list", Student, order=35, shown_to=keeps_students
            )
        )

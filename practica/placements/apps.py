from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "practica.placements"
    label = "placements"
    verbose_name = "Students and placements"

    def ready(self) -> None:
        from practica.core.navigation import Section, add_section
        from practica.placements import importers  # noqa: F401 - registers the students kind
        from practica.placements.models import Student
        from practica.placements.rules import KEEP

        add_section(Section("Students", "placements:student-list", Student, order=35, ability=KEEP))

from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "practica.placements"
    label = "placements"
    verbose_name = "Students and placements"

    def ready(self) -> None:
        from practica.core.navigation import Section, add_section
        from practica.placements import importers  # noqa: F401 - registers the import kinds
        from practica.placements.models import Placement, PlacementOffer, Student
        from practica.placements.rules import KEEP, KEEP_OFFERS, KEEP_PLACEMENTS

        add_section(Section("Students", "placements:student-list", Student, order=35, ability=KEEP))
        add_section(
            Section(
                "Placements",
                "placements:placement-list",
                Placement,
                order=36,
                ability=KEEP_PLACEMENTS,
            )
        )
        add_section(
            Section(
                "Placement offers",
                "placements:offer-list",
                PlacementOffer,
                order=37,
                ability=KEEP_OFFERS,
            )
        )

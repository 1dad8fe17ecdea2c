from importlib import import_module

from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "practica.placements"
    label = "placements"
    verbose_name = "Students and placements"

    def import_models(self) -> None:
        """Django finds an app's models in ``<app>.models``; the records kept during a
        placement live in their own sub-package (docs/0029), which builds on those models, so
        it is loaded here, after them, instead of being imported by ``models.py`` (which would
        make the two import each other)."""
        super().import_models()
        import_module(f"{self.name}.during.models")

    def ready(self) -> None:
        from practica.core.home import HomePanel, add_home_panel
        from practica.core.navigation import Section, add_section
        from practica.core.profiles import ProfileSection, add_profile_section
        from practica.placements import (  # noqa: F401 - registers the import kinds and reports
            during_importers,
            importers,
            reports,
        )
        from practica.placements.allocation_models import AllocationRun
        from practica.placements.during.pages import during_cards
        from practica.placements.models import Placement, PlacementOffer, Student
        from practica.placements.pages import placement_cards, supervised_section
        from practica.placements.rules import ALLOCATE, KEEP, KEEP_OFFERS, KEEP_PLACEMENTS

        add_section(
            Section(
                "Students",
                "placements:student-list",
                Student,
                order=35,
                ability=KEEP,
                group="placements",
            )
        )
        add_section(
            Section(
                "Placements",
                "placements:placement-list",
                Placement,
                order=36,
                ability=KEEP_PLACEMENTS,
                group="placements",
            )
        )
        add_section(
            Section(
                "Placement offers",
                "placements:offer-list",
                PlacementOffer,
                order=37,
                ability=KEEP_OFFERS,
                group="placements",
            )
        )
        from practica.organisations import retention
        from practica.placements.retention import STUDENTS

        retention.register(STUDENTS)
        add_section(
            Section(
                "Allocation",
                "placements:allocation-list",
                AllocationRun,
                order=38,
                ability=ALLOCATE,
                group="placements",
            )
        )
        from practica.placements.allocation_models import PlacementQuota
        from practica.placements.rules import KEEP_QUOTAS

        add_section(
            Section(
                "Allocation quotas",
                "placements:quota-list",
                PlacementQuota,
                order=38,
                ability=KEEP_QUOTAS,
                group="placements",
            )
        )
        add_home_panel(HomePanel("placements", placement_cards, order=40))
        add_home_panel(HomePanel("during-placements", during_cards, order=41))
        add_profile_section(
            ProfileSection("practice-educator", "placements", supervised_section, order=40)
        )
        # placement evaluations (docs/0031): the engine's filters and link words, and the page
        from practica.placements import evaluation
        from practica.placements.rules import READ_EVALUATIONS

        evaluation.register()
        add_section(
            Section(
                "Placement evaluations",
                "placements:evaluations",
                Placement,
                order=38,
                ability=READ_EVALUATIONS,
                group="placements",
            )
        )

        from practica.core import breadcrumbs
        from practica.placements.allocation_models import AllocationRun
        from practica.placements.during.models import CauseForConcern
        from practica.placements.models import Placement, PlacementOffer, Student

        breadcrumbs.register_object("placements:student-detail", Student)
        breadcrumbs.register_object("placements:student-checks", Student, lambda s: "Checks")
        breadcrumbs.register_object("placements:offer-detail", PlacementOffer)
        breadcrumbs.register_object("placements:placement-detail", Placement)
        breadcrumbs.register_object(
            "placements:placement-during", Placement, lambda p: "During the placement"
        )
        breadcrumbs.register_object("placements:attendance-log", Placement, lambda p: "Attendance")
        breadcrumbs.register_object("placements:concern-detail", CauseForConcern)
        breadcrumbs.register_object("placements:allocation-detail", AllocationRun)
        breadcrumbs.register_object(
            "placements:allocation-constraint-add", AllocationRun, lambda run: "Pins and forbids"
        )
        breadcrumbs.register_list("placements:my-preferences", "Your placement preferences")
        breadcrumbs.register_object(
            "placements:quota-edit",
            PlacementQuota,
            lambda quota: f"Quota of {quota.limit} for {quota.hei.name}, {quota.academic_year}",
        )

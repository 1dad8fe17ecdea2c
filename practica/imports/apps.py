from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "practica.imports"
    label = "imports"

    def ready(self) -> None:
        from practica.core.home import HomePanel, add_home_panel
        from practica.core.navigation import Section, add_section
        from practica.imports.models import ImportRun
        from practica.imports.rules import IMPORT
        from practica.imports.tasks import import_tasks

        add_section(
            Section(
                "Imports", "imports:kind-list", ImportRun, order=850, ability=IMPORT, group="setup"
            )
        )
        add_home_panel(HomePanel("import-tasks", import_tasks, order=80))

        from practica.core import breadcrumbs

        breadcrumbs.register_object("imports:run-detail", ImportRun)
        breadcrumbs.register_list("imports:run-list", "Past imports")

from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "practica.imports"
    label = "imports"

    def ready(self) -> None:
        from practica.core.navigation import Section, add_section
        from practica.imports.models import ImportRun
        from practica.imports.rules import IMPORT

        add_section(
            Section(
                "Imports", "imports:kind-list", ImportRun, order=850, ability=IMPORT, group="setup"
            )
        )

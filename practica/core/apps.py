from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "practica.core"
    label = "core"
    verbose_name = "Partnership and organisations"

    def ready(self) -> None:
        from practica.core import importers, reports  # noqa: F401 - registers them
        from practica.core.models import Organisation, Person, Team
        from practica.core.navigation import Section, add_section

        add_section(Section("Home", "home", None, order=0))
        add_section(Section("Organisations", "core:organisation-list", Organisation, order=10))
        add_section(Section("Teams", "core:team-list", Team, order=20))
        add_section(Section("People", "core:person-list", Person, order=30))

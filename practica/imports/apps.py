from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "practica.imports"
    label = "imports"

    def ready(self) -> None:
        from practica.accounts import permissions
        from practica.accounts.models import Role
        from practica.core.navigation import Section, add_section
        from practica.imports.selectors import may_import

        permissions.register(
            "imports.importrun",
            {permissions.VIEW: {Role.COORDINATOR}, permissions.MANAGE: {Role.COORDINATOR}},
        )
        add_section(Section("Imports", "imports:kind-list", None, order=850, shown_to=may_import))

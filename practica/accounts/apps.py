from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "practica.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from practica.accounts import importers  # noqa: F401 - registers the users kind
        from practica.accounts.models import Invitation
        from practica.core.navigation import Section, add_section

        add_section(Section("Invitations", "accounts:invitation-list", Invitation, order=900))

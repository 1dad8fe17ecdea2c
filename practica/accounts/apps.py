from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "practica.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from practica.accounts import permissions
        from practica.accounts.models import Invitation
        from practica.core.navigation import Section, add_section

        # every app's rules.py: the one table of who may see and do what
        permissions.load_rules()
        add_section(Section("Invitations", "accounts:invitation-list", Invitation, order=900))

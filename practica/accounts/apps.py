from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "practica.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from practica.accounts import permissions
        from practica.accounts.models import Invitation
        from practica.accounts.selectors import invitations_waiting_card
        from practica.core.home import HomePanel, add_home_panel
        from practica.core.navigation import Section, add_section

        # every app's rules.py: the one table of who may see and do what
        permissions.load_rules()
        add_section(
            Section("Invitations", "accounts:invitation-list", Invitation, order=900, group="setup")
        )
        add_home_panel(HomePanel("invitations", invitations_waiting_card, order=30))

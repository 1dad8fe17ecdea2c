from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "practica.organisations"
    label = "organisations"
    verbose_name = "Organisations, teams and people"

    def ready(self) -> None:
        from practica.core.home import HomePanel, add_home_panel
        from practica.core.models import AuditEvent, Organisation, Person, Team
        from practica.core.navigation import Section, add_section
        from practica.organisations import (  # noqa: F401 - they register themselves
            importers,
            reports,
            user_importers,
        )
        from practica.organisations.dashboard import teams_and_people

        add_home_panel(HomePanel("teams-and-people", teams_and_people, order=10))
        add_section(Section("Home", "home", None, order=0))
        add_section(
            Section(
                "Organisations",
                "organisations:organisation-list",
                Organisation,
                order=10,
                group="people",
            )
        )
        add_section(Section("Teams", "organisations:team-list", Team, order=20, group="people"))
        add_section(
            Section("People", "organisations:person-list", Person, order=30, group="people")
        )
        add_section(Section("Audit", "organisations:audit", AuditEvent, order=950, group="setup"))

        from practica.core import breadcrumbs

        breadcrumbs.register_object("organisations:organisation-detail", Organisation)
        breadcrumbs.register_object("organisations:team-detail", Team)
        breadcrumbs.register_object(
            "organisations:person-detail", Person, lambda person: person.full_name
        )

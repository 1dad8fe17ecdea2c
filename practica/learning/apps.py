from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "practica.learning"
    label = "learning"
    verbose_name = "Events, CPD and the CPD-needs survey"

    def ready(self) -> None:
        from practica.accounts import permissions
        from practica.accounts.models import Role
        from practica.core.navigation import Section, add_section
        from practica.learning import (
            importers,  # noqa: F401  (registers the events and event-registrations kinds)
            reports,  # noqa: F401  (registers the cpd-events report)
        )
        from practica.learning.models import ATTENDEES, RESULTS, CpdNeedsSurvey, Event

        # Who holds each ability inside their own organisation; the querysets of these models
        # widen VIEW to the partnership by design (docs/0007-cpd-events-sharing.md).
        permissions.register(
            "learning.event",
            {
                permissions.VIEW: permissions.ALL_ROLES,
                permissions.MANAGE: permissions.COORDINATORS,
                ATTENDEES: permissions.COORDINATORS,
            },
        )
        permissions.register(
            "learning.registration",
            {permissions.VIEW: permissions.ALL_ROLES, permissions.MANAGE: permissions.COORDINATORS},
        )
        permissions.register(
            "learning.cpdneedssurvey",
            {
                permissions.VIEW: permissions.COORDINATORS | {Role.PRACTICE_EDUCATOR},
                permissions.MANAGE: permissions.COORDINATORS,
                RESULTS: permissions.COORDINATORS,
            },
        )
        add_section(Section("Events", "learning:event-list", Event, order=50))
        add_section(Section("CPD-needs surveys", "learning:survey-list", CpdNeedsSurvey, order=55))

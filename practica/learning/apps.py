from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "practica.learning"
    label = "learning"
    verbose_name = "Events, CPD and the CPD-needs survey"

    def ready(self) -> None:
        from practica.core.home import HomePanel, add_home_panel
        from practica.core.navigation import Section, add_section
        from practica.core.profiles import ProfileSection, add_profile_section

        # importing the importers and reports modules registers their import kinds and reports
        from practica.learning.events import importers as event_importers  # noqa: F401
        from practica.learning.events import reports as event_reports  # noqa: F401
        from practica.learning.events import selectors as event_selectors
        from practica.learning.events.models import Event
        from practica.learning.events.tasks import event_tasks
        from practica.learning.surveys import importers as survey_importers  # noqa: F401
        from practica.learning.surveys import reports as survey_reports  # noqa: F401
        from practica.learning.surveys.models import CpdNeedsSurvey
        from practica.learning.templatetags import learning_tags

        add_home_panel(HomePanel("event-tasks", event_tasks, order=25))
        add_profile_section(
            ProfileSection("practice-educator", "cpd", learning_tags.cpd_record_section, order=50)
        )
        add_section(Section("Events", "learning:event-list", Event, order=50, group="learning"))
        add_section(
            Section(
                "CPD-needs surveys",
                "learning:survey-list",
                CpdNeedsSurvey,
                order=55,
                group="learning",
            )
        )
        add_section(
            Section(
                "My CPD record",
                "learning:my-cpd-record",
                None,
                order=56,
                shown_to=event_selectors.is_practice_educator,
                group="learning",
            )
        )

        from practica.core import breadcrumbs

        breadcrumbs.register_object("learning:event-detail", Event)
        breadcrumbs.register_object("learning:survey-detail", CpdNeedsSurvey)

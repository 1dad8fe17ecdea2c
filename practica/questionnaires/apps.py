from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "practica.questionnaires"
    label = "questionnaires"
    verbose_name = "Questionnaires"

    def ready(self) -> None:
        from practica.core.navigation import Section, add_section

        # importing the importers and reports modules registers the import kinds and report
        from practica.questionnaires import importers, reports  # noqa: F401
        from practica.questionnaires.models import Questionnaire

        add_section(
            Section(
                "Questionnaires", "questionnaires:list", Questionnaire, order=60, group="learning"
            )
        )

        from practica.core import breadcrumbs

        breadcrumbs.register_object("questionnaires:detail", Questionnaire)

from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "practica.teaching"
    label = "teaching"
    verbose_name = "Practitioner teaching"

    def ready(self) -> None:
        from practica.teaching.directory import apps as directory
        from practica.teaching.sessions.setup import register as register_sessions

        directory.register()
        register_sessions()

        from practica.core import breadcrumbs
        from practica.teaching.directory.models import (
            LivedExperienceContributor,
            PractitionerTeacher,
        )
        from practica.teaching.sessions.models import TeachingRequest, TeachingSession

        breadcrumbs.register_object("teaching:pt-detail", PractitionerTeacher)
        breadcrumbs.register_object("teaching:contributor-detail", LivedExperienceContributor)
        breadcrumbs.register_object("teaching:request-detail", TeachingRequest)
        breadcrumbs.register_object("teaching:session-detail", TeachingSession)
        breadcrumbs.register_list("teaching:session-list", "Teaching sessions")
        breadcrumbs.register_list("teaching:contact-list", "Nominated contacts")
        breadcrumbs.register_list("teaching:pt-diversity", "Your diversity answers")

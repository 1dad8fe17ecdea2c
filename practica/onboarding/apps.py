from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "practica.onboarding"
    label = "onboarding"
    verbose_name = "Setting up a partnership"

    def ready(self) -> None:
        from practica.core import breadcrumbs
        from practica.onboarding import importers  # noqa: F401 - registers the partnership kind

        breadcrumbs.register_list("onboarding:task-list", "Set-up tasks")

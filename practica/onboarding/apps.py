from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "practica.onboarding"
    label = "onboarding"
    verbose_name = "Setting up a partnership"

    def ready(self) -> None:
        from practica.onboarding import importers  # noqa: F401 - registers the partnership kind

from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "practica.teaching"
    label = "teaching"
    verbose_name = "Practitioner teaching"

    def ready(self) -> None:
        from practica.teaching.sessions.setup import register as register_sessions

        register_sessions()

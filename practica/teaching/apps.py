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

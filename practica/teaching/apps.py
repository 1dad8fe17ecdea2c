from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "practica.teaching"
    label = "teaching"
    verbose_name = "Practitioner teaching"

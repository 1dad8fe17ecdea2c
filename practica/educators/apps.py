from django.apps import AppConfig


class EducatorsConfig(AppConfig):
    name = "practica.educators"
    label = "educators"

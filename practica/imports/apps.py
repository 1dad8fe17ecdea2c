from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "practica.imports"
    label = "imports"

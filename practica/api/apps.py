from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "practica.api"
    label = "api"
    verbose_name = "REST API"

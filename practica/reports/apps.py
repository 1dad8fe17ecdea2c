from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "practica.reports"
    label = "reports"

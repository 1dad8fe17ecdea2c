from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "practica.demo"
    label = "demo"

from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "practica.placements"
    label = "placements"

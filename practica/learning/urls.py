"""The learning app's pages, all in the ``learning`` namespace: events (and one's CPD record)
and the CPD-needs survey each list their own routes."""

from django.urls import include, path

app_name = "learning"
urlpatterns = [
    path("", include("practica.learning.events.urls")),
    path("", include("practica.learning.surveys.urls")),
    path("", include("practica.learning.outside.urls")),
]

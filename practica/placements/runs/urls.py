"""The allocation pages' routes (included in the placements namespace)."""

from django.urls import path

from practica.placements.runs import views

urlpatterns = [
    path("allocation/", views.run_list, name="allocation-list"),
    path("allocation/<int:pk>/", views.run_detail, name="allocation-detail"),
    path("allocation/<int:pk>/again/", views.run_again, name="allocation-again"),
    path("allocation/<int:pk>/confirm/", views.run_confirm, name="allocation-confirm"),
    path("allocation/<int:pk>/pins/", views.constraint_add, name="allocation-constraint-add"),
    path(
        "allocation/<int:pk>/pins/<int:constraint>/remove/",
        views.constraint_remove,
        name="allocation-constraint-remove",
    ),
]

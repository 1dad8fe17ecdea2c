"""Outside CPD routes (``learning:`` namespace)."""

from django.urls import path

from practica.learning.outside import views

urlpatterns = [
    path("my-cpd/outside/new/", views.outside_cpd_add, name="outside-cpd-add"),
    path("outside-cpd/<int:pk>/edit/", views.outside_cpd_edit, name="outside-cpd-edit"),
    path("outside-cpd/<int:pk>/remove/", views.outside_cpd_remove, name="outside-cpd-remove"),
    path("outside-cpd/<int:pk>/evidence/", views.outside_cpd_evidence, name="outside-cpd-evidence"),
]

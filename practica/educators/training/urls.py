"""The PEPS training pages' routes, included by
``practica/educators/urls.py`` under the ``educators:`` namespace."""

from django.urls import path

from practica.educators.training import views

urlpatterns = [
    path("peps/", views.cohort_list, name="cohort-list"),
    path("peps/new/", views.cohort_create, name="cohort-create"),
    path("peps/<int:pk>/", views.cohort_detail, name="cohort-detail"),
    path("peps/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("peps/enrolments/<int:pk>/outcome/", views.outcome, name="outcome"),
]

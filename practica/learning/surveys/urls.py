"""The CPD-needs survey pages, in the ``learning`` namespace (included by ``learning/urls.py``)."""

from django.urls import path

from practica.learning.surveys import views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey-list"),
    path("surveys/new/", views.survey_create, name="survey-create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("surveys/<int:pk>/respond/", views.survey_respond, name="survey-respond"),
    path("surveys/<int:pk>/send/", views.survey_send, name="survey-send"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey-edit"),
]

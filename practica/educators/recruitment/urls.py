"""The recruitment pages' routes, included by
``practica/educators/urls.py`` under the ``educators:`` namespace."""

from django.urls import path

from practica.educators.recruitment import views

urlpatterns = [
    path("applications/", views.application_list, name="application-list"),
    path("applications/new/", views.application_create, name="application-create"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/written/", views.application_edit, name="application-edit"),
    path(
        "applications/<int:pk>/line-manager/",
        views.application_request_support,
        name="application-request-support",
    ),
    path("applications/<int:pk>/panel/", views.application_panel, name="application-panel"),
    path(
        "applications/<int:pk>/interview/",
        views.application_interview,
        name="application-interview",
    ),
    path("applications/<int:pk>/scores/", views.application_scores, name="application-scores"),
    path(
        "applications/<int:pk>/decision/",
        views.application_decision,
        name="application-decision",
    ),
    path("apply/", views.apply, name="apply"),
    path("my-applications/", views.my_applications, name="my-applications"),
    path("my-applications/<int:pk>/", views.my_application, name="my-application"),
    path(
        "my-applications/<int:pk>/statement/",
        views.my_application_statement,
        name="my-application-statement",
    ),
    path("panels/", views.panel_list, name="panel-list"),
    path("panels/<int:pk>/", views.panel_application, name="panel-application"),
    path("panels/<int:pk>/scores/", views.panel_scores, name="panel-scores"),
    path("criteria/", views.criterion_list, name="criterion-list"),
    path("criteria/new/", views.criterion_create, name="criterion-create"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion-edit"),
    path("support/<str:token>/", views.line_manager_support, name="line-manager-support"),
    path("support-requests/", views.support_request_list, name="support-request-list"),
    path("support-requests/<int:pk>/", views.support_request_answer, name="support-request-answer"),
]

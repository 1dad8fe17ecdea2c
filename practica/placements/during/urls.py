"""The routes of the pages kept during a placement; ``placements/urls.py`` adds them to its
own (namespace ``placements``)."""

from django.urls import path

from practica.placements.during import views

urlpatterns = [
    path("students/<int:pk>/checks/", views.student_checks, name="student-checks"),
    path("students/<int:pk>/checks/record/", views.check_record, name="check-record"),
    path("students/<int:pk>/skills-days/", views.skills_days_record, name="skills-days-record"),
    path("during/<int:pk>/", views.placement_during, name="placement-during"),
    path("during/<int:pk>/attendance/", views.attendance_log, name="attendance-log"),
    path(
        "during/<int:pk>/attendance/<int:week>/sign-off/",
        views.attendance_sign_off,
        name="attendance-sign-off",
    ),
    path("attendance-link/<str:token>/", views.attendance_link, name="attendance-link"),
    path("during/<int:pk>/meetings/<slug:kind>/", views.review_record, name="review-record"),
    path("during/<int:pk>/observations/new/", views.observation_add, name="observation-add"),
    path("during/<int:pk>/concerns/new/", views.concern_raise, name="concern-raise"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern-detail"),
    path("concerns/<int:pk>/<slug:step>/", views.concern_step, name="concern-step"),
    path("preferences/", views.my_preferences, name="my-preferences"),
    path("preferences/<int:pk>/", views.preferences_submit, name="preferences-submit"),
    path(
        "preference-windows/new/",
        views.preference_window_create,
        name="preference-window-create",
    ),
    path(
        "preference-windows/<int:pk>/",
        views.preference_window_detail,
        name="preference-window-detail",
    ),
]

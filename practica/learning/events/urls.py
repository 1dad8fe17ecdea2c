"""The events pages, in the ``learning`` namespace (included by ``learning/urls.py``)."""

from django.urls import path

from practica.learning.events import views

urlpatterns = [
    path("events/", views.event_list, name="event-list"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/<int:pk>/", views.event_detail, name="event-detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/calendar.ics", views.event_calendar, name="event-calendar"),
    path("events/<int:pk>/register/", views.event_register, name="event-register"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event-cancel"),
    path("events/<int:pk>/attendance/", views.event_attendance, name="event-attendance"),
    path("events/<int:pk>/book/", views.event_book, name="event-book"),
    path(
        "registrations/<int:pk>/attendance/", views.attendance_mark, name="registration-attendance"
    ),
    path("update-training/", views.update_training, name="update-training"),
    path("my-cpd/", views.my_cpd_record, name="my-cpd-record"),
]

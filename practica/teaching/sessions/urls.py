"""The request protocol's and the sessions' pages, under the app's namespace ``teaching:``."""

from django.urls import path

from practica.teaching.sessions import views

urlpatterns = [
    path("contacts/", views.contact_list, name="contact-list"),
    path("contacts/set/", views.contact_set, name="contact-set"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/offer/", views.request_offer, name="request-offer"),
    path(
        "requests/<int:pk>/contributors/add/",
        views.request_contributor_add,
        name="request-contributor-add",
    ),
    path("requests/<int:pk>/change/", views.request_change, name="request-change"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request-cancel"),
    path("offers/<int:pk>/<slug:step>/", views.offer_step, name="offer-step"),
    path("offer-link/<str:token>/", views.offer_link, name="offer-link"),
    path("sessions/", views.session_list, name="session-list"),
    path("my-sessions/", views.my_sessions, name="my-sessions"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("sessions/<int:pk>/feedback/", views.session_feedback, name="session-feedback"),
    path(
        "sessions/<int:pk>/contributors/add/",
        views.session_contributor_add,
        name="session-contributor-add",
    ),
    path("sessions/<int:pk>/observe/", views.session_observe, name="session-observe"),
    path("sessions/<int:pk>/<slug:step>/", views.session_step, name="session-step"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
]

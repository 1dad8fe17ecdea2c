from django.urls import path

from practica.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.task_list, name="task-list"),
    path("partnership/", views.partnership, name="partnership"),
    path("lead/", views.lead, name="lead"),
    path("organisations/", views.members, name="members"),
    path("year/", views.year, name="year"),
    path("coordinators/", views.coordinators, name="coordinators"),
    path("check/", views.check, name="check"),
    path("done/", views.done, name="done"),
]

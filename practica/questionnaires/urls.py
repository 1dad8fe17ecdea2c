from django.urls import path

from practica.questionnaires import views

app_name = "questionnaires"
urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("add/", views.questionnaire_create, name="create"),
    path("<int:pk>/", views.questionnaire_detail, name="detail"),
    path("<int:pk>/change/", views.questionnaire_edit, name="edit"),
    path("<int:pk>/draft/", views.draft_create, name="draft"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/send/", views.distribute, name="distribute"),
    path("<int:pk>/sent/<int:distribution>/", views.distribution_detail, name="distribution"),
    path("<int:pk>/results/", views.results, name="results"),
    path("answer/<str:token>/", views.respond, name="respond"),
]

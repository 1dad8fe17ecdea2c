from django.urls import path

from practica.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.kind_list, name="kind-list"),
    path("runs/", views.run_list, name="run-list"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/import/", views.run_import, name="run-import"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run-retry"),
    path("several-files/", views.upload_batch, name="upload-batch"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
]

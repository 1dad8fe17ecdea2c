from django.urls import path

from practica.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("<slug:name>/", views.report_detail, name="report-detail"),
]

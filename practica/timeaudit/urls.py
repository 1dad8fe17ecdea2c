from django.urls import path

from practica.timeaudit import views

app_name = "timeaudit"
urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("<int:pk>/", views.audit_detail, name="audit-detail"),
    path("educators/<int:pk>/", views.enrolment_detail, name="enrolment-detail"),
    path("educators/<int:pk>/weeks/<str:week>/", views.log_week, name="log-week"),
]

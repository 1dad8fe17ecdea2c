from django.urls import path

from practica.timeaudit import views

app_name = "timeaudit"
urlpatterns = [
    path("", views.audit_list, name="audit-list"),
    path("new/", views.audit_create, name="audit-create"),
    path("<int:pk>/", views.audit_detail, name="audit-detail"),
    path("<int:pk>/enrol/", views.enrolment_add, name="enrolment-add"),
    path("educators/<int:pk>/remove/", views.enrolment_remove, name="enrolment-remove"),
    path("educators/<int:pk>/", views.enrolment_detail, name="enrolment-detail"),
    path("educators/<int:pk>/weeks/<str:week>/", views.log_week, name="log-week"),
]

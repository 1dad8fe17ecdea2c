from django.urls import path

from practica.placements import views

app_name = "placements"
urlpatterns = [
    path("students/", views.student_list, name="student-list"),
    path("students/<int:pk>/", views.student_detail, name="student-detail"),
]

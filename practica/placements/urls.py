from django.urls import path

from practica.placements import views

app_name = "placements"
urlpatterns = [
    path("students/", views.student_list, name="student-list"),
    path("students/<int:pk>/", views.student_detail, name="student-detail"),
    path("students/<int:pk>/placement/", views.student_profile, name="student-profile"),
    path("offers/", views.offer_list, name="offer-list"),
    path("offers/new/", views.offer_create, name="offer-create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer-detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer-edit"),
    path("", views.placement_list, name="placement-list"),
    path("request/", views.placement_request, name="placement-request"),
    path("<int:pk>/", views.placement_detail, name="placement-detail"),
    path("<int:pk>/<slug:step>/", views.placement_step, name="placement-step"),
    path("link/<str:token>/", views.placement_link, name="placement-link"),
]

# placement evaluations (docs/0031-placement-evaluation.md)
from practica.placements import evaluation_views  # noqa: E402

urlpatterns += [
    path("evaluations/", evaluation_views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", evaluation_views.placement_evaluation, name="evaluation"),
]

from django.urls import path

from practica.placements import evaluation_views, views
from practica.placements.during import urls as during_urls
from practica.placements.runs import urls as runs

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
    *runs.urlpatterns,
]

# the pages kept during a placement (docs/0029-during-placement.md)
urlpatterns += during_urls.urlpatterns

# placement evaluations (docs/0031-placement-evaluation.md)
urlpatterns += [
    path("evaluations/", evaluation_views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", evaluation_views.placement_evaluation, name="evaluation"),
]

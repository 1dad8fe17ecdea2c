"""The allocation pages' routes (included in the placements namespace)."""

from django.urls import path

from practica.placements.runs import views

urlpatterns = [
    path("allocation/", views.run_list, name="allocation-list"),
    path("allocation/<int:pk>/", views.run_detail, name="allocation-detail"),
    path("allocation/<int:pk>/again/", views.run_again, name="allocation-again"),
    path("allocation/<int:pk>/confirm/", views.run_confirm, name="allocation-confirm"),
    path("allocation/<int:pk>/pins/", views.constraint_add, name="allocation-constraint-add"),
    path(
        "allocation/<int:pk>/pins/<int:constraint>/remove/",
        views.constraint_remove,
        name="allocation-constraint-remove",
    ),
    # quotas per university (docs/0028, "Quotas")
    path("allocation/quotas/", views.quota_list, name="quota-list"),
    path("allocation/quotas/new/", views.quota_create, name="quota-create"),
    path("allocation/quotas/<int:pk>/", views.quota_edit, name="quota-edit"),
    path("allocation/quotas/<int:pk>/remove/", views.quota_remove, name="quota-remove"),
]

"""The directories' routes, included by ``practica/teaching/urls.py`` under the ``teaching:``
namespace."""

from django.urls import path

from practica.teaching.directory import views

urlpatterns = [
    path("practitioner-teachers/", views.pt_list, name="pt-list"),
    path("practitioner-teachers/new/", views.pt_create, name="pt-create"),
    path("practitioner-teachers/reviews-overdue/", views.pt_reviews, name="pt-reviews"),
    path("practitioner-teachers/me/", views.pt_mine, name="pt-mine"),
    path("practitioner-teachers/me/diversity/", views.pt_diversity, name="pt-diversity"),
    path(
        "practitioner-teachers/me/diversity/withdraw/",
        views.pt_diversity_withdraw,
        name="pt-diversity-withdraw",
    ),
    path("practitioner-teachers/express-interest/", views.pt_interest, name="pt-interest"),
    path("practitioner-teachers/agree/<str:token>/", views.pt_agree, name="pt-agree"),
    path("practitioner-teachers/readiness/", views.readiness_rule, name="pt-readiness"),
    path("practitioner-teachers/<int:pk>/", views.pt_detail, name="pt-detail"),
    path("practitioner-teachers/<int:pk>/edit/", views.pt_edit, name="pt-edit"),
    path("practitioner-teachers/<int:pk>/review/", views.pt_review, name="pt-review"),
    path("practitioner-teachers/<int:pk>/shadowing/", views.pt_shadowing, name="pt-shadowing"),
    path("contributors/", views.contributor_list, name="contributor-list"),
    path("contributors/new/", views.contributor_create, name="contributor-create"),
    path("contributors/me/", views.contributor_mine, name="contributor-mine"),
    path("contributors/<int:pk>/", views.contributor_detail, name="contributor-detail"),
    path("contributors/<int:pk>/edit/", views.contributor_edit, name="contributor-edit"),
    path("contributors/<int:pk>/consent/", views.contributor_consent, name="contributor-consent"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw, name="consent-withdraw"),
]

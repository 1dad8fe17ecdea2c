"""The register pages' routes, included by
``practica/educators/urls.py`` under the ``educators:`` namespace."""

from django.urls import path

from practica.educators.register import views

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.create, name="create"),
    path("me/", views.my_profile, name="my-profile"),
    path("me/report-a-change/", views.report_change, name="report-change"),
    path("changes/", views.change_list, name="change-list"),
    path("changes/<int:pk>/", views.change_report, name="change-report"),
    path("lapsing/", views.lapsing, name="lapsing"),
    path("lapsing/message/", views.lapsing_message, name="lapsing-message"),
    path("reviews-due/", views.reviews_due, name="reviews-due"),
    path("stage-2-register/", views.shared_register, name="shared-register"),
    path("currency-rules/", views.currency_rule, name="currency-rule"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/activities/new/", views.activity_add, name="activity-add"),
    path("activities/<int:pk>/end/", views.activity_end, name="activity-end"),
]

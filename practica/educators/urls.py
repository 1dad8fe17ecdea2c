from django.urls import path

from practica.educators import views

app_name = "educators"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.create, name="create"),
    path("me/", views.my_profile, name="my-profile"),
    path("lapsing/", views.lapsing, name="lapsing"),
    path("reviews-due/", views.reviews_due, name="reviews-due"),
    path("stage-2-register/", views.shared_register, name="shared-register"),
    path("currency-rules/", views.currency_rule, name="currency-rule"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/activities/new/", views.activity_add, name="activity-add"),
    path("activities/<int:pk>/end/", views.activity_end, name="activity-end"),
    path("peps/", views.cohort_list, name="cohort-list"),
    path("peps/new/", views.cohort_create, name="cohort-create"),
    path("peps/<int:pk>/", views.cohort_detail, name="cohort-detail"),
    path("peps/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("peps/enrolments/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/new/", views.application_create, name="application-create"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/written/", views.application_edit, name="application-edit"),
    path(
        "applications/<int:pk>/line-manager/",
        views.application_request_support,
        name="application-request-support",
    ),
    path("applications/<int:pk>/panel/", views.application_panel, name="application-panel"),
    path(
        "applications/<int:pk>/interview/",
        views.application_interview,
        name="application-interview",
    ),
    path("applications/<int:pk>/scores/", views.application_scores, name="application-scores"),
    path(
        "applications/<int:pk>/decision/",
        views.application_decision,
        name="application-decision",
    ),
    path("criteria/", views.criterion_list, name="criterion-list"),
    path("criteria/new/", views.criterion_create, name="criterion-create"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion-edit"),
    path("support/<str:token>/", views.line_manager_support, name="line-manager-support"),
]

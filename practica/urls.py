from django.contrib import admin
from django.urls import include, path

from practica.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/", include("practica.accounts.urls")),
    path("", include("practica.core.urls")),
    path("admin/", admin.site.urls),
]

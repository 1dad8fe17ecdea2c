"""Django's admin with Practica's own site (``core/admin_site.py``)."""

from django.contrib.admin.apps import AdminConfig


class PracticaAdminConfig(AdminConfig):
    """Django's admin, whose pages read every organisation (they are for administrators)."""

    default_site = "practica.core.admin_site.PracticaAdminSite"

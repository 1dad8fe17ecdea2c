"""Reads of the vocabulary every organisation shares: service areas and academic years."""

from __future__ import annotations

from django.db.models import QuerySet

from practica.core.models import AcademicYear, ServiceArea


def service_areas() -> QuerySet[ServiceArea]:
    return ServiceArea.objects.all()


def academic_years() -> QuerySet[AcademicYear]:
    return AcademicYear.objects.all()
